import { invalidField, invalidOrder } from '../errors.ts'
import type { ModelDef, Row, Version } from '../schema.ts'
import type { ModelRegistry } from './fields.ts'

export type Comparator = (a: Row, b: Row) => number

type Key = string | number | null

/**
 * ORDER BY as Odoo generates it: "field [asc|desc] [nulls first|last]", comma separated. A many2one
 * sorts by the related record's name; empty values sort as NULL does in PostgreSQL (last when
 * ascending, first when descending). The id breaks remaining ties so pages are stable.
 */
export function compileOrder(order: string, def: ModelDef, registry: ModelRegistry, version: Version): Comparator {
  const terms = order.split(',').map((term) => term.trim()).filter(Boolean).map((term) => {
    const m = /^([a-z_][a-z0-9_]*)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?$/i.exec(term)
    if (!m) throw invalidOrder(version, order)
    const [, name = '', direction = 'asc', nulls] = m
    const field = def.fields.get(name)
    if (!field) throw invalidField(version, def.name, name)
    const descending = direction.toLowerCase() === 'desc'
    const nullsFirst = nulls ? nulls.toLowerCase() === 'first' : descending
    const key = (row: Row): Key => {
      const value = registry.value(def, row, field)
      if (field.type === 'many2one') return typeof value === 'number' ? keyOf(registry.displayName(field.relation as string, value)) : null
      return keyOf(value)
    }
    return { key, descending, nullsFirst }
  })
  return (a, b) => {
    for (const term of terms) {
      const ka = term.key(a)
      const kb = term.key(b)
      if (ka === kb) continue
      if (ka === null) return term.nullsFirst ? -1 : 1
      if (kb === null) return term.nullsFirst ? 1 : -1
      const cmp = ka < kb ? -1 : 1
      return term.descending ? -cmp : cmp
    }
    return a.id - b.id
  }
}

function keyOf(value: unknown): Key {
  if (value === false || value === undefined || value === '') return null
  if (value === true) return 1
  if (typeof value === 'number' || typeof value === 'string') return value
  return null
}

/**
 * The rows a search returns: filtered, sorted, paged. With a small page it keeps only the best
 * offset+limit rows instead of sorting every match, which keeps paging through 100,000 orders fast.
 * `rowsInOrder`: the rows come sorted as `compare` sorts them, so the search stops once the page is full.
 */
export function selectRows(rows: Iterable<Row>, matches: (row: Row) => boolean, compare: Comparator, offset: number, limit: number | undefined, rowsInOrder = false): Row[] {
  if (limit === undefined) {
    const all: Row[] = []
    for (const row of rows) if (matches(row)) all.push(row)
    return all.sort(compare).slice(offset)
  }
  const keep = offset + limit
  if (keep === 0) return []
  const best: Row[] = []
  for (const row of rows) {
    if (!matches(row)) continue
    if (best.length === keep && compare(row, best[keep - 1] as Row) >= 0) {
      // Rows that come in the order asked for: none after this one can make the page.
      if (rowsInOrder) break
      continue
    }
    let lo = 0
    let hi = best.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (compare(best[mid] as Row, row) <= 0) lo = mid + 1
      else hi = mid
    }
    best.splice(lo, 0, row)
    if (best.length > keep) best.pop()
  }
  return best.slice(offset)
}
