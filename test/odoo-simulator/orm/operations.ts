import { invalidField, missingRecord, stillReferenced, typeError, userError } from '../errors.ts'
import { isJsonObject, pyStr } from '../python.ts'
import type { Json, PyValue } from '../python.ts'
import type { FieldDef, ModelDef, Row, Version } from '../schema.ts'
import type { Tables } from '../tables.ts'
import { ForeignKeyViolation } from '../deletion.ts'
import type { DataWriter } from '../writer.ts'
import { compileDomain } from './domain.ts'
import type { ModelRegistry } from './fields.ts'
import { aggregate, andLeaf, groupRows, groupValue, parseAggregates } from './grouping.ts'
import type { Group } from './grouping.ts'
import { compileOrder, selectRows } from './ordering.ts'
import { readRow } from './reader.ts'
import { checkConstraints, parseValues } from './values.ts'

export interface OperationEnv {
  uid: number
  context: { [key: string]: Json }
}

export interface Paging {
  offset?: Json
  limit?: Json
  order?: Json
}

/**
 * What the ORM methods do once called and allowed: search with Odoo's domains, order and paging;
 * read with Odoo's value formats; write, create and unlink with the database's constraints and the
 * chatter; read_group and formatted_read_group.
 */
export class RecordOperations {
  readonly #version: Version
  readonly #registry: ModelRegistry
  readonly #tables: Tables
  readonly #writer: DataWriter

  constructor(version: Version, registry: ModelRegistry, tables: Tables, writer: DataWriter) {
    this.#version = version
    this.#registry = registry
    this.#tables = tables
    this.#writer = writer
  }

  search(def: ModelDef, domain: Json, paging: Paging, env: OperationEnv): Row[] {
    const orderBy = typeof paging.order === 'string' && paging.order ? paging.order : def.order
    const order = compileOrder(orderBy, def, this.#registry, this.#version)
    const offset = typeof paging.offset === 'number' ? paging.offset : 0
    const candidates = this.#candidates(def, domain)
    const inOrder = candidates.idOrder && /^\s*id(\s+asc)?\s*$/i.test(orderBy)
    return selectRows(candidates.rows, this.#predicate(def, domain, env), order, offset, positiveLimit(paging.limit), inOrder)
  }

  /**
   * The rows a search needs to look at, as PostgreSQL's indexes would narrow them: a conjunction
   * naming an indexed many2one's ids, or a lower bound on the id, spares a scan of every row (a
   * walk through a million orders, a page at a time, would otherwise scan them all for each page).
   * The domain's predicate still decides which of them match.
   */
  #candidates(def: ModelDef, domain: Json): { rows: Iterable<Row>; idOrder: boolean } {
    const leaves = Array.isArray(domain) && domain.every((term) => Array.isArray(term) && term.length === 3) ? (domain as Json[][]) : []
    for (const [field, operator, value] of leaves) {
      if (typeof field !== 'string' || field === 'id' || !this.#tables.isIndexed(def.name, field)) continue
      const ids = operator === 'in' && Array.isArray(value) ? value : operator === '=' ? [value] : undefined
      if (!ids?.every((id) => typeof id === 'number')) continue
      const rows = [...new Set(ids)].flatMap((id) => this.#tables.referencing(def.name, field, id))
      return { rows: rows.sort((a, b) => a - b).map((id) => this.#tables.get(def.name, id) as Row), idOrder: true }
    }
    const lowerBound = leaves.find(([field, operator, value]) => field === 'id' && (operator === '>' || operator === '>=') && typeof value === 'number')
    if (lowerBound) return { rows: this.#tables.rowsFromId(def.name, lowerBound[2] as number, lowerBound[1] === '>='), idOrder: true }
    return { rows: this.#tables.rows(def.name), idOrder: false }
  }

  count(def: ModelDef, domain: Json, limit: Json, env: OperationEnv): number {
    const count = this.#matching(def, domain, env).length
    const cap = positiveLimit(limit)
    return cap === undefined ? count : Math.min(count, cap)
  }

  /** Records as read() formats them: the fields are checked before anything is looked up. */
  read(def: ModelDef, ids: readonly number[], fieldNames: Json, load: Json): PyValue[] {
    const fields = this.#fields(def, fieldNames)
    return this.#existing(def, ids).map((row) => readRow(def, row, fields, this.#registry, Boolean(load)))
  }

  searchRead(def: ModelDef, domain: Json, fieldNames: Json, paging: Paging, load: Json, env: OperationEnv): PyValue[] {
    const fields = this.#fields(def, fieldNames)
    return this.search(def, domain, paging, env).map((row) => readRow(def, row, fields, this.#registry, Boolean(load)))
  }

  /** The rows of the ids that exist: Odoo's read leaves missing ones out. */
  #existing(def: ModelDef, ids: readonly number[]): Row[] {
    return [...new Set(ids)].map((id) => this.#tables.get(def.name, id)).filter((row): row is Row => row !== undefined)
  }

  write(def: ModelDef, ids: readonly number[], vals: Json, env: OperationEnv): true {
    const valuesFor = parseValues(def, vals, this.#version, 'write')
    const missing = ids.filter((id) => !this.#tables.get(def.name, id))
    if (missing.length) throw missingRecord(def.name, missing, env.uid)
    const touched = new Set(Object.keys(isJsonObject(vals) ? vals : {}))
    const rows = this.#existing(def, ids)
    for (const row of rows) checkConstraints(this.#version, def, { ...row, ...valuesFor(row) }, touched)
    const tracking = !env.context.tracking_disable && !env.context.mail_notrack
    this.#writer.write(def.name, rows.map((row) => row.id), valuesFor, { uid: env.uid, tracking })
    return true
  }

  /** create(vals) answers an id, create([vals, ...]) a list of ids. */
  create(def: ModelDef, valsList: Json, env: OperationEnv): number | number[] {
    const single = isJsonObject(valsList)
    const list = single ? [valsList] : valsList
    if (!Array.isArray(list)) throw typeError('create() expects a dict or a list of dicts')
    const prepared = list.map((vals) => {
      const values = this.#writer.prepare(def.name, parseValues(def, vals, this.#version, 'create')(undefined), env.uid)
      checkConstraints(this.#version, def, { id: 0, ...values }, 'all')
      return values
    })
    const ids = prepared.map((values) => this.#writer.insert(def.name, values, env.uid).id)
    return single ? (ids[0] as number) : ids
  }

  unlink(def: ModelDef, ids: readonly number[]): true {
    const rows = this.#existing(def, ids)
    // sale.order's _unlink_except_draft_or_cancel
    if (def.name === 'sale.order' && rows.some((row) => row.state === 'sale' || row.state === 'done')) {
      throw userError('You can not delete a sent quotation or a confirmed sales order. You must first cancel it.')
    }
    try {
      this.#writer.unlink(def.name, rows.map((row) => row.id))
    } catch (error) {
      if (!(error instanceof ForeignKeyViolation)) throw error
      const referencing = this.#registry.model(error.referencingModel)
      const field = referencing?.fields.get(error.field)
      throw stillReferenced(this.#version, referencing?.description ?? error.referencingModel, error.referencingModel, field?.string ?? error.field, error.field)
    }
    return true
  }

  /** fields_get: each field's attributes, restricted to the asked ones (relation only on relational fields). */
  fieldsGet(def: ModelDef, allfields: Json, attributes: Json): PyValue {
    const wanted = Array.isArray(allfields) && allfields.length ? new Set(allfields) : undefined
    const asked = Array.isArray(attributes) ? new Set(attributes) : undefined
    const out: { [name: string]: PyValue } = {}
    for (const field of def.fields.values()) {
      if (wanted && !wanted.has(field.name)) continue
      const description: { [key: string]: PyValue } = {
        readonly: field.readonly,
        ...(field.relation ? { relation: field.relation } : {}),
        required: field.required,
        ...(field.selection ? { selection: field.selection.map((value) => [value, value]) } : {}),
        string: field.string,
        type: field.type,
      }
      out[field.name] = Object.fromEntries(Object.entries(description).filter(([key]) => !asked || asked.has(key)))
    }
    return out
  }

  /** read_group: lazy groups by the first field only and counts as <field>_count. */
  readGroup(def: ModelDef, domain: Json, fieldSpecs: Json, groupSpec: Json, lazy: boolean, paging: Paging, env: OperationEnv): PyValue[] {
    const groupSpecs = typeof groupSpec === 'string' ? [groupSpec] : Array.isArray(groupSpec) ? groupSpec : []
    const groupBy = this.#groupFields(def, lazy ? groupSpecs.slice(0, 1) : groupSpecs)
    const aggregates = parseAggregates(def, Array.isArray(fieldSpecs) ? fieldSpecs.filter((f) => !groupSpecs.includes(f)) : [])
    const base = Array.isArray(domain) ? domain : []
    return this.#groups(def, base, groupBy, paging, env).map((group) => {
      const out = this.#groupValues(groupBy, group)
      out[lazy && groupBy[0] ? `${groupBy[0].name}_count` : '__count'] = group.rows.length
      for (const agg of aggregates) out[agg.key.split(':')[0] as string] = aggregate(def, group.rows, agg, this.#registry)
      out.__domain = groupBy.reduce<Json[]>((acc, field, i) => andLeaf(acc, [field.name, '=', groupKey(group.values[i])]), base)
      if (lazy && groupSpecs.length > 1) out.__context = { group_by: groupSpecs.slice(1) }
      return out
    })
  }

  /** formatted_read_group (19): aggregates named as asked ("__count", "amount_total:sum"). */
  formattedReadGroup(def: ModelDef, domain: Json, groupSpec: Json, aggregateSpec: Json, paging: Paging, env: OperationEnv): PyValue[] {
    const groupBy = this.#groupFields(def, Array.isArray(groupSpec) ? groupSpec : [])
    const aggregateSpecs = Array.isArray(aggregateSpec) ? aggregateSpec : []
    const aggregates = parseAggregates(def, aggregateSpecs)
    return this.#groups(def, Array.isArray(domain) ? domain : [], groupBy, paging, env).map((group) => {
      const out = this.#groupValues(groupBy, group)
      out.__extra_domain = groupBy.map((field, i) => [field.name, '=', groupKey(group.values[i])])
      if (aggregateSpecs.includes('__count')) out.__count = group.rows.length
      for (const agg of aggregates) out[agg.key] = aggregate(def, group.rows, agg, this.#registry)
      return out
    })
  }

  #groups(def: ModelDef, domain: Json[], groupBy: FieldDef[], paging: Paging, env: OperationEnv): Group[] {
    const groups = groupRows(def, this.#matching(def, domain, env), groupBy, this.#registry, this.#version)
    const offset = typeof paging.offset === 'number' ? paging.offset : 0
    const limit = positiveLimit(paging.limit)
    return groups.slice(offset, limit === undefined ? undefined : offset + limit)
  }

  #groupValues(groupBy: FieldDef[], group: Group): { [key: string]: PyValue } {
    const out: { [key: string]: PyValue } = {}
    groupBy.forEach((field, i) => (out[field.name] = groupValue(field, group.values[i] ?? false, this.#registry)))
    return out
  }

  #matching(def: ModelDef, domain: Json, env: OperationEnv): Row[] {
    return [...this.#tables.rows(def.name)].filter(this.#predicate(def, domain, env))
  }

  /** The domain, plus active=True unless the context or the domain itself asks about archived records. */
  #predicate(def: ModelDef, domain: Json, env: OperationEnv): (row: Row) => boolean {
    const matches = compileDomain(domain, def, this.#registry, this.#version)
    const activeOnly = def.hasActive && env.context.active_test !== false && !mentionsActive(domain)
    return activeOnly ? (row: Row) => row.active !== false && matches(row) : matches
  }

  /** The fields to read: all of them when none are named; 'id' always comes first anyway. */
  #fields(def: ModelDef, names: Json): FieldDef[] {
    if (names === null || names === false || (Array.isArray(names) && names.length === 0)) {
      return [...def.fields.values()].filter((f) => f.name !== 'id')
    }
    if (!Array.isArray(names)) throw typeError(`'${typeof names}' object is not iterable`)
    return names.filter((name) => name !== 'id').map((name) => this.#field(def, name))
  }

  #groupFields(def: ModelDef, specs: readonly Json[]): FieldDef[] {
    return specs.map((spec) => this.#field(def, spec))
  }

  #field(def: ModelDef, name: Json): FieldDef {
    const field = typeof name === 'string' ? def.fields.get(name) : undefined
    if (!field) throw invalidField(this.#version, def.name, pyStr(name))
    return field
  }
}

/** Odoo reads a limit of 0, None or False as "no limit". */
const positiveLimit = (limit: Json | undefined): number | undefined => (typeof limit === 'number' && limit > 0 ? limit : undefined)

const groupKey = (value: unknown): Json => (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? value : false)

function mentionsActive(domain: Json): boolean {
  return Array.isArray(domain) && domain.some((leaf) => Array.isArray(leaf) && leaf[0] === 'active')
}
