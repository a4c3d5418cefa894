import type { RecordSource, Row, Schema, StoredValue } from './schema.ts'

/**
 * The raw in-memory tables: rows by id per model, id sequences, and an index for every many2one a
 * one2many reads backwards (children of a partner, pickings of an order...); other reverse lookups
 * scan. No business rule lives here.
 */
export class Tables implements RecordSource {
  readonly #rows = new Map<string, Map<number, Row>>()
  readonly #nextId = new Map<string, number>()
  /** model -> indexed many2one fields -> target id -> referencing ids */
  readonly #indexes = new Map<string, Map<string, Map<number, number[]>>>()
  /** model -> its ids in ascending order, while rows were only appended in id order (else rebuilt when asked) */
  readonly #sortedIds = new Map<string, number[]>()

  constructor(schema: Schema) {
    for (const def of schema.values()) {
      this.#rows.set(def.name, new Map())
      this.#nextId.set(def.name, 1)
      this.#indexes.set(def.name, new Map())
    }
    for (const def of schema.values()) {
      for (const field of def.fields.values()) {
        if (field.type === 'one2many' && field.relation && field.inverse) this.#indexes.get(field.relation)?.set(field.inverse, new Map())
      }
    }
  }

  has(model: string): boolean {
    return this.#rows.has(model)
  }

  get(model: string, id: number): Row | undefined {
    return this.#rows.get(model)?.get(id)
  }

  rows(model: string): IterableIterator<Row> {
    return this.#table(model).values()
  }

  /** The id the next insert without an explicit id gets. */
  nextId(model: string): number {
    return this.#nextId.get(model) ?? 1
  }

  count(model: string): number {
    return this.#table(model).size
  }

  /** Whether `referencing` answers this many2one from an index rather than a scan. */
  isIndexed(model: string, field: string): boolean {
    return this.#indexes.get(model)?.has(field) ?? false
  }

  /** The rows with an id above `afterId` (or from it, when `inclusive`), in id order. */
  *rowsFromId(model: string, afterId: number, inclusive: boolean): Generator<Row> {
    const table = this.#table(model)
    let ids = this.#sortedIds.get(model)
    if (!ids) {
      ids = [...table.keys()].sort((a, b) => a - b)
      this.#sortedIds.set(model, ids)
    }
    let lo = 0
    let hi = ids.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((ids[mid] as number) < afterId || (!inclusive && ids[mid] === afterId)) lo = mid + 1
      else hi = mid
    }
    for (let i = lo; i < ids.length; i++) {
      const row = table.get(ids[i] as number)
      if (row) yield row
    }
  }

  referencing(model: string, field: string, id: number): number[] {
    const index = this.#indexes.get(model)?.get(field)
    if (index) return [...(index.get(id) ?? [])]
    const ids: number[] = []
    for (const row of this.rows(model)) if (row[field] === id) ids.push(row.id)
    return ids
  }

  /** Inserts a row; an explicit id must not be taken, and the sequence continues after it. */
  insert(model: string, values: Record<string, StoredValue>): Row {
    const table = this.#table(model)
    const id = typeof values.id === 'number' ? values.id : (this.#nextId.get(model) ?? 1)
    if (table.has(id)) throw new Error(`${model} ${id} already exists`)
    const row: Row = { ...values, id }
    table.set(id, row)
    const sorted = this.#sortedIds.get(model)
    if (sorted && (sorted.length === 0 || (sorted.at(-1) as number) < id)) sorted.push(id)
    else this.#sortedIds.delete(model)
    this.#nextId.set(model, Math.max(this.#nextId.get(model) ?? 1, id + 1))
    this.#reindex(model, row, undefined)
    return row
  }

  patch(model: string, id: number, values: Record<string, StoredValue>): Row {
    const row = this.get(model, id)
    if (!row) throw new Error(`${model} ${id} does not exist`)
    const before = { ...row }
    Object.assign(row, values, { id })
    this.#reindex(model, row, before)
    return row
  }

  delete(model: string, id: number): void {
    const row = this.get(model, id)
    if (!row) return
    this.#table(model).delete(id)
    this.#sortedIds.delete(model)
    this.#reindex(model, undefined, row)
  }

  #reindex(model: string, after: Row | undefined, before: Row | undefined): void {
    for (const [field, index] of this.#indexes.get(model) ?? []) {
      const old = before?.[field]
      const now = after?.[field]
      if (old === now) continue
      if (typeof old === 'number') {
        const ids = index.get(old)?.filter((id) => id !== (before as Row).id)
        if (ids?.length) index.set(old, ids)
        else index.delete(old)
      }
      if (typeof now === 'number') {
        const ids = index.get(now)
        if (ids) ids.push((after as Row).id)
        else index.set(now, [(after as Row).id])
      }
    }
  }

  #table(model: string): Map<number, Row> {
    const table = this.#rows.get(model)
    if (!table) throw new Error(`unknown model ${model}`)
    return table
  }
}
