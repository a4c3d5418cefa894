import { invalidDomain, invalidDomainField, invalidLeaf } from '../errors.ts'
import { pyStr } from '../python.ts'
import type { Json } from '../python.ts'
import type { FieldDef, ModelDef, Row, StoredValue, Version } from '../schema.ts'
import type { ModelRegistry } from './fields.ts'
import { odooLikePattern, sqlLike } from './sql-like.ts'

/**
 * Odoo domains: prefix notation with '&', '|', '!' and an implicit '&' between terms, leaves
 * (field path, operator, value). Compiled once into a predicate over stored rows, with Odoo's
 * semantics for False (an unset value), negative operators (they also match unset values),
 * many2one names, x2many "any" matching and dotted paths through relations.
 */
export type Predicate = (row: Row) => boolean

const OPERATORS = new Set([
  '=', '!=', '<>', '<', '<=', '>', '>=', '=?', 'in', 'not in', 'like', 'not like', 'ilike', 'not ilike', '=like', '=ilike',
  'child_of', 'parent_of', 'any', 'not any',
])
const NEGATIVE: Record<string, string> = { '!=': '=', '<>': '=', 'not in': 'in', 'not like': 'like', 'not ilike': 'ilike', 'not any': 'any' }

const TRUE: Predicate = () => true
const FALSE: Predicate = () => false

export function compileDomain(domain: Json | undefined, def: ModelDef, registry: ModelRegistry, version: Version): Predicate {
  if (domain === null || domain === undefined || domain === false) return TRUE
  if (!Array.isArray(domain)) throw invalidDomain(domain)
  const stack: Predicate[] = []
  const pop = (): Predicate => {
    const top = stack.pop()
    if (!top) throw invalidDomain(domain)
    return top
  }
  for (let i = domain.length - 1; i >= 0; i--) {
    const token = domain[i]
    if (token === '!') {
      const operand = pop()
      stack.push((row) => !operand(row))
    } else if (token === '&' || token === '|') {
      const left = pop()
      const right = pop()
      stack.push(token === '&' ? (row) => left(row) && right(row) : (row) => left(row) || right(row))
    } else {
      stack.push(compileLeaf(token as Json, def, registry, version))
    }
  }
  if (stack.length === 1) return stack[0] as Predicate
  const all = [...stack].reverse()
  return (row) => all.every((p) => p(row))
}

function compileLeaf(leaf: Json, def: ModelDef, registry: ModelRegistry, version: Version): Predicate {
  if (!Array.isArray(leaf) || leaf.length !== 3) throw invalidLeaf(version, leaf)
  const [path, rawOperator] = leaf
  const value = leaf[2] as Json
  const operator = typeof rawOperator === 'string' ? rawOperator.toLowerCase() : rawOperator
  if (typeof operator !== 'string' || !OPERATORS.has(operator)) throw invalidLeaf(version, leaf)
  if (path === 1 || path === 0) return path === 1 ? TRUE : FALSE
  if (typeof path !== 'string') throw invalidLeaf(version, leaf)
  const steps: { owner: ModelDef; field: FieldDef }[] = []
  let owner: ModelDef | undefined = def
  for (const name of path.split('.')) {
    const field: FieldDef | undefined = owner?.fields.get(name)
    if (!owner || !field) throw invalidDomainField(version, owner?.name ?? def.name, name, leaf)
    steps.push({ owner, field })
    owner = field.relation ? registry.model(field.relation) : undefined
  }
  const last = steps[steps.length - 1] as { owner: ModelDef; field: FieldDef }
  const negated = NEGATIVE[operator]
  const test = testFor(last.field, last.owner, negated ?? operator, value, registry, version)
  // Odoo 19 compares a datetime at the precision of the stored value's whole seconds (files 530/540:
  // `=` with a returned write_date matches, `>` does not); 16 and 18 compare the hidden microseconds.
  const secondsOnly = version === 19 && last.field.type === 'datetime'
  const stored = (row: Row): StoredValue => {
    const value = registry.value(last.owner, row, last.field)
    return secondsOnly && typeof value === 'string' ? value.slice(0, 19) : value
  }
  let predicate: Predicate = (row) => test(stored(row), row)
  for (const step of steps.slice(0, -1).reverse()) predicate = throughRelation(step.owner, step.field, registry, predicate)
  return negated ? (row) => !predicate(row) : predicate
}

/** A condition on related records holds when it holds for any of them. */
function throughRelation(owner: ModelDef, field: FieldDef, registry: ModelRegistry, inner: Predicate): Predicate {
  const comodel = field.relation as string
  return (row) =>
    asIds(registry.value(owner, row, field)).some((id) => {
      const related = registry.source.get(comodel, id)
      return related !== undefined && inner(related)
    })
}

type Test = (value: StoredValue, row: Row) => boolean

const isEmpty = (value: StoredValue): boolean => value === false || value === '' || (Array.isArray(value) && value.length === 0)
const asIds = (value: StoredValue): number[] => (Array.isArray(value) ? value : typeof value === 'number' && value ? [value] : [])

function testFor(field: FieldDef, owner: ModelDef, operator: string, value: Json, registry: ModelRegistry, version: Version): Test {
  const relational = field.type === 'many2one' || field.type === 'one2many' || field.type === 'many2many'
  switch (operator) {
    case '=?':
      return value === false || value === null ? () => true : testFor(field, owner, '=', value, registry, version)
    case '=':
      if (value === false || value === null) return (stored) => (field.type === 'boolean' ? !stored : isEmpty(stored))
      if (relational && typeof value === 'string') return nameTest(field, registry, (name) => name === value)
      if (relational) return (stored) => asIds(stored).includes(value as number)
      if (field.type === 'boolean') return (stored) => Boolean(stored) === Boolean(value)
      return (stored) => stored === value
    case 'in': {
      const list = Array.isArray(value) ? value : [value]
      const wantsEmpty = list.includes(false) || list.includes(null)
      if (field.type === 'boolean') return (stored) => list.some((v) => Boolean(v) === Boolean(stored))
      // A set, as PostgreSQL hashes a long IN list: a page of 500 ids must not cost 500 comparisons per row.
      const wanted = new Set<Json>(list)
      if (relational) return (stored) => (wantsEmpty && isEmpty(stored)) || asIds(stored).some((id) => wanted.has(id))
      return (stored) => (wantsEmpty && isEmpty(stored)) || wanted.has(stored)
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (stored) => !isEmpty(stored) && value !== false && value !== null && compare(stored, value, operator)
    case 'like':
    case 'ilike':
    case '=like':
    case '=ilike': {
      const matches = sqlLike(odooLikePattern(pyStr(value), operator), { caseInsensitive: operator.endsWith('ilike') })
      if (relational) return nameTest(field, registry, matches)
      return (stored) => typeof stored === 'string' && matches(stored)
    }
    case 'child_of':
    case 'parent_of':
      return hierarchyTest(field.name === 'id' ? owner.name : field.relation, field, operator, value, registry)
    case 'any': {
      const comodel = field.relation ? registry.model(field.relation) : undefined
      if (!comodel) return () => false
      const inner = compileDomain(value, comodel, registry, version)
      return (stored) => asIds(stored).some((id) => {
        const related = registry.source.get(comodel.name, id)
        return related !== undefined && inner(related)
      })
    }
    default:
      throw new Error(`unhandled operator ${operator}`)
  }
}

function compare(stored: StoredValue, value: Json, operator: string): boolean {
  const a = stored as number | string
  const b = value as number | string
  if (operator === '<') return a < b
  if (operator === '<=') return a <= b
  if (operator === '>') return a > b
  return a >= b
}

/** A name compared against a relational field matches the display names of the related records. */
function nameTest(field: FieldDef, registry: ModelRegistry, match: (name: string) => boolean): Test {
  return (stored) => asIds(stored).some((id) => {
    const name = registry.displayName(field.relation as string, id)
    return typeof name === 'string' && match(name)
  })
}

/** child_of / parent_of: the record (or the related one) is one of the roots or below (above) them. */
function hierarchyTest(model: string | undefined, field: FieldDef, operator: string, value: Json, registry: ModelRegistry): Test {
  const roots = (Array.isArray(value) ? value : [value]).filter((v): v is number => typeof v === 'number')
  const parentField = model ? registry.model(model)?.parentField : undefined
  const family = new Set<number>(roots)
  const queue = [...roots]
  for (let id = queue.shift(); id !== undefined && model && parentField; id = queue.shift()) {
    const next = operator === 'child_of'
      ? registry.source.referencing(model, parentField, id)
      : asIds(registry.source.get(model, id)?.[parentField] ?? false)
    for (const n of next) {
      if (!family.has(n)) {
        family.add(n)
        queue.push(n)
      }
    }
  }
  return (stored, row) => (field.name === 'id' ? [row.id] : asIds(stored)).some((id) => family.has(id))
}
