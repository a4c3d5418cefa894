import { ADMIN_UID } from './defaults.ts'
import type { Row, StoredValue } from './schema.ts'
import type { Tables } from './tables.ts'
import type { TransactionClock } from './timestamps.ts'
import { formatDatetime, formatMicros, toMicros } from './timestamps.ts'
import type { DataWriter } from './writer.ts'

export interface UpdateOptions {
  /** Post chatter tracking as a user's edit would (default true). */
  tracking?: boolean
}

/**
 * The simulator's database as tests see it: inspect raw stored values (write_date with
 * microseconds, many2one as ids, False for empty) and change data as someone working in Odoo would,
 * without going through RPC.
 */
export interface SimulatorStore {
  /** Every row of a model, copies of the stored values. */
  records(model: string): Row[]
  get(model: string, id: number): Row | undefined
  count(model: string): number
  /** Creates a record with Odoo's defaults; returns its id. */
  create(model: string, values: Record<string, StoredValue>): number
  /** Edits records as a user in Odoo: moves write_date, posts chatter tracking of tracked fields. */
  update(model: string, ids: number | readonly number[], values: Record<string, StoredValue>, options?: UpdateOptions): void
  /** Deletes records as Odoo does (cascades, chatter); throws if a foreign key forbids it. */
  remove(model: string, ids: number | readonly number[]): void
  /** Validates a delivery: state done and date_done. Only the picking's write_date moves, not the order's. */
  validatePicking(pickingId: number, when?: Date): void
  /** Cancels an order and its deliveries that are not done. */
  cancelOrder(id: number): void
  /** Sets write_date: to `at` (a Date, or "YYYY-MM-DD HH:MM:SS[.ffffff]"), or to a fresh transaction time. */
  touch(model: string, ids: number | readonly number[], at?: Date | string): void
}

const list = (ids: number | readonly number[]): number[] => (typeof ids === 'number' ? [ids] : [...ids])

const copy = (row: Row): Row => {
  const out: Row = { id: row.id }
  for (const [key, value] of Object.entries(row)) out[key] = Array.isArray(value) ? [...value] : value
  return out
}

export class ShopStore implements SimulatorStore {
  readonly #tables: Tables
  readonly #writer: DataWriter
  readonly #clock: TransactionClock

  constructor(tables: Tables, writer: DataWriter, clock: TransactionClock) {
    this.#tables = tables
    this.#writer = writer
    this.#clock = clock
  }

  records(model: string): Row[] {
    return [...this.#tables.rows(model)].map(copy)
  }

  get(model: string, id: number): Row | undefined {
    const row = this.#tables.get(model, id)
    return row && copy(row)
  }

  count(model: string): number {
    return this.#tables.count(model)
  }

  create(model: string, values: Record<string, StoredValue>): number {
    return this.#writer.create(model, values, ADMIN_UID).id
  }

  update(model: string, ids: number | readonly number[], values: Record<string, StoredValue>, options: UpdateOptions = {}): void {
    this.#writer.write(model, this.#existing(model, ids), () => values, { uid: ADMIN_UID, tracking: options.tracking ?? true })
  }

  remove(model: string, ids: number | readonly number[]): void {
    this.#writer.unlink(model, this.#existing(model, ids))
  }

  validatePicking(pickingId: number, when?: Date): void {
    const values = { state: 'done', date_done: formatDatetime(when ?? this.#clock.now()) }
    this.#writer.write('stock.picking', this.#existing('stock.picking', pickingId), () => values, { uid: ADMIN_UID, tracking: true })
  }

  cancelOrder(id: number): void {
    this.#writer.write('sale.order', this.#existing('sale.order', id), () => ({ state: 'cancel' }), { uid: ADMIN_UID, tracking: true })
    const open = this.#tables
      .referencing('stock.picking', 'sale_id', id)
      .filter((pickingId) => !['done', 'cancel'].includes(String(this.#tables.get('stock.picking', pickingId)?.state)))
    if (open.length) this.#writer.write('stock.picking', open, () => ({ state: 'cancel' }), { uid: ADMIN_UID, tracking: true })
  }

  touch(model: string, ids: number | readonly number[], at?: Date | string): void {
    this.#writer.touch(model, this.#existing(model, ids), at === undefined ? undefined : formatMicros(toMicros(at)))
  }

  #existing(model: string, ids: number | readonly number[]): number[] {
    const wanted = list(ids)
    const missing = wanted.filter((id) => !this.#tables.get(model, id))
    if (missing.length) throw new Error(`${model} has no record ${missing.join(', ')}`)
    return wanted
  }
}
