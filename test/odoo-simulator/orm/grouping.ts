import { OdooError } from '../errors.ts'
import { PyFloat } from '../python.ts'
import type { Json, PyValue } from '../python.ts'
import type { FieldDef, ModelDef, Row, StoredValue, Version } from '../schema.ts'
import type { ModelRegistry } from './fields.ts'
import { compileOrder } from './ordering.ts'
import { formatValue } from './reader.ts'

/** An aggregate such as "amount_total:sum", or "total:sum(amount_total)". */
interface Aggregate {
  key: string
  field: FieldDef
  fn: string
}

export interface Group {
  values: StoredValue[]
  rows: Row[]
}

/**
 * The grouping behind read_group (16-19) and formatted_read_group (19): rows bucketed by the values
 * of the group-by fields, many2one groups ordered like the related model and the empty group last.
 */
export function groupRows(def: ModelDef, rows: Iterable<Row>, groupBy: readonly FieldDef[], registry: ModelRegistry, version: Version): Group[] {
  const groups = new Map<string, Group>()
  for (const row of rows) {
    const keys = groupBy.map((field) => registry.value(def, row, field))
    for (const values of expandMany2many(groupBy, keys)) {
      const key = JSON.stringify(values)
      let group = groups.get(key)
      if (!group) groups.set(key, (group = { values, rows: [] }))
      group.rows.push(row)
    }
  }
  const compare = groupComparator(groupBy, registry, version)
  return [...groups.values()].sort((a, b) => compare(a.values, b.values))
}

/** A record grouped by a many2many field appears in the group of each of its values. */
function expandMany2many(groupBy: readonly FieldDef[], keys: StoredValue[]): StoredValue[][] {
  let combos: StoredValue[][] = [[]]
  groupBy.forEach((field, i) => {
    const key = keys[i] ?? false
    const options = field.type === 'many2many' && Array.isArray(key) ? (key.length ? key : [false]) : [key]
    combos = combos.flatMap((combo) => options.map((option) => [...combo, option]))
  })
  return combos
}

function groupComparator(groupBy: readonly FieldDef[], registry: ModelRegistry, version: Version): (a: StoredValue[], b: StoredValue[]) => number {
  const compares = groupBy.map((field) => {
    const comodel = field.relation ? registry.model(field.relation) : undefined
    const order = comodel ? compileOrder(comodel.order, comodel, registry, version) : undefined
    return (x: StoredValue, y: StoredValue): number => {
      if (x === y) return 0
      if (x === false) return 1
      if (y === false) return -1
      if (order && comodel) {
        const rx = registry.source.get(comodel.name, x as number)
        const ry = registry.source.get(comodel.name, y as number)
        if (rx && ry) return order(rx, ry)
      }
      return x < y ? -1 : 1
    }
  })
  return (a, b) => {
    for (const [i, cmp] of compares.entries()) {
      const result = cmp(a[i] ?? false, b[i] ?? false)
      if (result) return result
    }
    return 0
  }
}

export function parseAggregates(def: ModelDef, specs: readonly Json[]): Aggregate[] {
  const aggregates: Aggregate[] = []
  for (const spec of specs) {
    if (typeof spec !== 'string' || spec === '__count') continue
    const m = /^(\w+)(?::(\w+)(?:\((\w+)\))?)?$/.exec(spec)
    const [, key = '', fn, source] = m ?? []
    const field = def.fields.get(source ?? key)
    if (!m || !field) throw new OdooError({ exception: 'builtins.ValueError', message: `Invalid field ${JSON.stringify(spec)} on model ${JSON.stringify(def.name)}` })
    const numeric = ['integer', 'float', 'monetary'].includes(field.type)
    if (fn || numeric) aggregates.push({ key: spec, field, fn: fn ?? 'sum' })
  }
  return aggregates
}

export function aggregate(def: ModelDef, rows: readonly Row[], agg: Aggregate, registry: ModelRegistry): PyValue {
  const values = rows.map((row) => registry.value(def, row, agg.field)).filter((v) => v !== false)
  const numbers = values.filter((v): v is number => typeof v === 'number')
  const wrap = (n: number): PyValue => (agg.field.type === 'integer' ? n : new PyFloat(n))
  switch (agg.fn) {
    case 'sum':
      return wrap(numbers.reduce((a, b) => a + b, 0))
    case 'avg':
      return numbers.length ? wrap(numbers.reduce((a, b) => a + b, 0) / numbers.length) : false
    case 'min':
      return numbers.length ? wrap(Math.min(...numbers)) : false
    case 'max':
      return numbers.length ? wrap(Math.max(...numbers)) : false
    case 'count':
      return values.length
    case 'count_distinct':
      return new Set(values.map((v) => JSON.stringify(v))).size
    default:
      throw new OdooError({ exception: 'builtins.ValueError', message: `Invalid aggregation function ${JSON.stringify(agg.fn)}.` })
  }
}

/** The value a group shows for its field: a many2many group stands for one related record. */
export function groupValue(field: FieldDef, value: StoredValue, registry: ModelRegistry): PyValue {
  if (field.type !== 'many2many') return formatValue(field, value, registry)
  return typeof value === 'number' ? [value, registry.displayName(field.relation as string, value)] : false
}

/** domain AND [leaf], normalized like odoo.osv.expression.AND. */
export function andLeaf(domain: readonly Json[], leaf: Json): Json[] {
  if (domain.length === 0) return [leaf]
  return ['&', ...normalizeDomain(domain), leaf]
}

function normalizeDomain(domain: readonly Json[]): Json[] {
  const result: Json[] = []
  let expected = 1
  for (const token of domain) {
    if (expected === 0) {
      result.unshift('&')
      expected = 1
    }
    if (token === '&' || token === '|') expected += 1
    else if (token !== '!') expected -= 1
    result.push(token)
  }
  return result
}
