import { defaultValues } from './defaults.ts'
import { deleteWithDependants } from './deletion.ts'
import type { ModelDef, Row, Schema, StoredValue, Version } from './schema.ts'
import type { Tables } from './tables.ts'
import type { TransactionClock } from './timestamps.ts'
import { formatDatetime } from './timestamps.ts'
import { ChatterTracking } from './tracking.ts'

type Values = Record<string, StoredValue>

/** Told of every record created or written, after the change (automation rules listen). */
export type ChangeListener = (model: string, ids: readonly number[], event: 'create' | 'write') => void

export interface WriteOptions {
  uid: number
  /** Post chatter tracking for tracked fields, as mail.thread does unless the context disables it. */
  tracking: boolean
}

/**
 * The data changes Odoo's ORM makes around a create, write or unlink: every transaction stamps
 * create_date/write_date with its own microsecond time, a write of tracked fields posts to the
 * chatter, a delete follows the database's foreign keys.
 */
export class DataWriter {
  readonly #schema: Schema
  readonly #tables: Tables
  readonly #clock: TransactionClock
  readonly #version: Version
  readonly #tracking: ChatterTracking
  readonly #onChange: ChangeListener

  constructor(schema: Schema, tables: Tables, clock: TransactionClock, version: Version, onChange: ChangeListener = () => undefined) {
    this.#schema = schema
    this.#tables = tables
    this.#clock = clock
    this.#version = version
    this.#tracking = new ChatterTracking(tables, version)
    this.#onChange = onChange
  }

  create(model: string, values: Values, uid: number): Row {
    return this.insert(model, this.prepare(model, values, uid), uid)
  }

  /** The values of a new record: Odoo's defaults completed by the given values. */
  prepare(model: string, values: Values, uid: number): Values {
    return { ...defaultValues(model, values, { tables: this.#tables, version: this.#version, uid, now: this.#clock.now() }), ...values }
  }

  /** Inserts prepared values in a transaction of its own. */
  insert(model: string, values: Values, uid: number): Row {
    const stamp = this.#clock.stamp()
    const row = this.#tables.insert(model, { ...values, create_date: stamp, write_date: stamp, create_uid: uid, write_uid: uid })
    this.#onChange(model, [row.id], 'create')
    return row
  }

  /** One transaction writing every record: the values may depend on the record (many2many commands). */
  write(model: string, ids: readonly number[], valuesFor: (current: Row) => Values, options: WriteOptions): void {
    const def = this.#model(model)
    const stamp = this.#clock.stamp()
    const at = { stamp, date: formatDatetime(this.#clock.now()), uid: options.uid }
    for (const id of ids) {
      const current = this.#tables.get(model, id)
      if (!current) throw new Error(`${model} ${id} does not exist`)
      const before = options.tracking ? this.#tracking.snapshot(def, id) : undefined
      this.#tables.patch(model, id, { ...valuesFor(current), write_date: stamp, write_uid: options.uid })
      if (before) this.#tracking.post(def, id, before, at)
    }
    this.#onChange(model, ids, 'write')
  }

  /** Sets write_date by hand (or to a fresh transaction stamp). */
  touch(model: string, ids: readonly number[], stamp = this.#clock.stamp()): void {
    for (const id of ids) this.#tables.patch(model, id, { write_date: stamp })
  }

  /** Deletes records with what depends on them; throws ForeignKeyViolation when the database would refuse. */
  unlink(model: string, ids: readonly number[]): void {
    deleteWithDependants(this.#schema, this.#tables, model, ids)
  }

  #model(model: string): ModelDef {
    const def = this.#schema.get(model)
    if (!def) throw new Error(`unknown model ${model}`)
    return def
  }
}
