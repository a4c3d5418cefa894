import type { Role } from '../accounts.ts'
import { httpError, missingRecord, OdooError, privateMethod, stillReferenced, typeError, unknownMethod, unknownModel, userError, invalidField } from '../errors.ts'
import { isJsonObject } from '../python.ts'
import type { Json, PyValue } from '../python.ts'
import type { FieldDef, ModelDef, Row, Version } from '../schema.ts'
import type { Tables } from '../tables.ts'
import { ForeignKeyViolation } from '../writer.ts'
import type { DataWriter } from '../writer.ts'
import { checkAccess, hasAccess, OPERATIONS } from './access.ts'
import type { Operation } from './access.ts'
import { compileDomain } from './domain.ts'
import type { ModelRegistry } from './fields.ts'
import { aggregate, andLeaf, groupRows, groupValue, parseAggregates } from './grouping.ts'
import { compileOrder, selectRows } from './ordering.ts'
import { readRow } from './reader.ts'
import { checkConstraints, parseValues } from './values.ts'

export interface CallEnv {
  uid: number
  role: Role
  context: { [key: string]: Json }
}

interface Param {
  name: string
  required?: boolean
  fallback?: Json
}

interface Call {
  def: ModelDef
  ids: number[]
  args: { [name: string]: Json }
  env: CallEnv
}

interface MethodSpec {
  /** A record method receives ids first (browse); a model method does not. */
  onRecords: boolean
  params: readonly Param[]
  versions?: readonly Version[]
  models?: readonly string[]
  run: (call: Call) => PyValue
}

/**
 * The public model methods a client may call over RPC, bound to their arguments the way Python
 * binds them, with Odoo's checks in Odoo's order: private method, unknown model, unknown method,
 * access rights, then the method itself.
 */
export class ModelService {
  readonly #version: Version
  readonly #registry: ModelRegistry
  readonly #tables: Tables
  readonly #writer: DataWriter
  readonly #methods: Record<string, MethodSpec>

  constructor(version: Version, registry: ModelRegistry, tables: Tables, writer: DataWriter) {
    this.#version = version
    this.#registry = registry
    this.#tables = tables
    this.#writer = writer
    this.#methods = this.#specs()
  }

  /** execute_kw / call_kw: positional args (ids first for record methods) and keyword args. */
  call(model: string, method: string, args: readonly Json[], kwargs: { [key: string]: Json }, env: CallEnv): PyValue {
    const { def, spec } = this.resolve(model, method)
    const positional = [...args]
    let ids: number[] = []
    if (spec.onRecords) {
      if (positional.length === 0) throw typeError(`${method}() missing 1 required positional argument: 'self'`)
      ids = toIds(positional.shift() as Json)
    }
    return spec.run({ def, ids, args: bindPositional(method, spec.params, positional, kwargs), env })
  }

  /** JSON-2: every argument named in the body; a binding failure is a 422 like inspect.Signature.bind. */
  callNamed(model: string, method: string, ids: number[], named: { [key: string]: Json }, env: CallEnv): PyValue {
    const { def, spec } = this.resolve(model, method)
    const args: { [name: string]: Json } = {}
    for (const param of spec.params) {
      if (param.name in named) args[param.name] = named[param.name] as Json
      else if (param.required) throw httpError('UnprocessableEntity', `missing a required argument: '${param.name}'`)
      else args[param.name] = param.fallback ?? null
    }
    const unexpected = Object.keys(named).find((key) => !spec.params.some((p) => p.name === key))
    if (unexpected) throw httpError('UnprocessableEntity', `got an unexpected keyword argument '${unexpected}'`)
    return spec.run({ def, ids, args, env })
  }

  resolve(model: string, method: string): { def: ModelDef; spec: MethodSpec } {
    if (method.startsWith('_')) throw privateMethod(this.#version, model, method)
    const def = this.#registry.model(model)
    if (!def) throw unknownModel(model)
    const spec = this.#methods[method]
    if (!spec || (spec.versions && !spec.versions.includes(this.#version)) || (spec.models && !spec.models.includes(model))) {
      throw unknownMethod(this.#version, model, method)
    }
    return { def, spec }
  }

  modelExists(model: string): boolean {
    return this.#registry.model(model) !== undefined
  }

  hasMethod(model: string, method: string): boolean {
    try {
      this.resolve(model, method)
      return true
    } catch {
      return false
    }
  }

  /** Whether model.method is a public record method (it takes ids first). */
  isRecordMethod(model: string, method: string): boolean {
    try {
      return this.resolve(model, method).spec.onRecords
    } catch {
      return false
    }
  }

  #specs(): Record<string, MethodSpec> {
    const v = this.#version
    const search = (call: Call): Row[] => {
      checkAccess(v, call.env.role, call.def, 'read')
      return this.#search(call.def, call.args.domain ?? null, call.args, call.env)
    }
    return {
      search: {
        onRecords: false,
        params: [{ name: 'domain', required: true }, { name: 'offset', fallback: 0 }, { name: 'limit' }, { name: 'order' }],
        run: (call) => search(call).map((row) => row.id),
      },
      search_count: {
        onRecords: false,
        params: [{ name: 'domain', required: true }, { name: 'limit' }],
        run: (call) => {
          checkAccess(v, call.env.role, call.def, 'read')
          const count = this.#matching(call.def, call.args.domain ?? null, call.env).length
          return typeof call.args.limit === 'number' && call.args.limit > 0 ? Math.min(count, call.args.limit) : count
        },
      },
      search_read: {
        onRecords: false,
        params: [{ name: 'domain' }, { name: 'fields' }, { name: 'offset', fallback: 0 }, { name: 'limit' }, { name: 'order' }, { name: 'load', fallback: '_classic_read' }],
        run: (call) => {
          const fields = this.#fields(call.def, call.args.fields ?? null)
          return search(call).map((row) => readRow(call.def, row, fields, this.#registry, Boolean(call.args.load)))
        },
      },
      read: {
        onRecords: true,
        params: [{ name: 'fields' }, { name: 'load', fallback: '_classic_read' }],
        run: (call) => {
          checkAccess(v, call.env.role, call.def, 'read')
          const fields = this.#fields(call.def, call.args.fields ?? null)
          return this.#existing(call.def, call.ids).map((row) => readRow(call.def, row, fields, this.#registry, Boolean(call.args.load)))
        },
      },
      write: { onRecords: true, params: [{ name: 'vals', required: true }], run: (call) => this.#write(call) },
      create: { onRecords: false, params: [{ name: 'vals_list', required: true }], run: (call) => this.#create(call) },
      unlink: { onRecords: true, params: [], run: (call) => this.#unlink(call) },
      fields_get: {
        onRecords: false,
        params: [{ name: 'allfields' }, { name: 'attributes' }],
        run: (call) => fieldsGet(call.def, call.args.allfields ?? null, call.args.attributes ?? null),
      },
      read_group: {
        onRecords: false,
        params: [{ name: 'domain', required: true }, { name: 'fields', required: true }, { name: 'groupby', required: true }, { name: 'offset', fallback: 0 }, { name: 'limit' }, { name: 'orderby', fallback: false }, { name: 'lazy', fallback: true }],
        run: (call) => this.#readGroup(call),
      },
      formatted_read_group: {
        onRecords: false,
        versions: [19],
        params: [{ name: 'domain', fallback: [] }, { name: 'groupby', fallback: [] }, { name: 'aggregates', fallback: [] }, { name: 'having', fallback: [] }, { name: 'offset', fallback: 0 }, { name: 'limit' }, { name: 'order' }],
        run: (call) => this.#formattedReadGroup(call),
      },
      check_access_rights: {
        onRecords: false,
        versions: [16, 18],
        params: [{ name: 'operation', required: true }, { name: 'raise_exception', fallback: true }],
        run: (call) => {
          const operation = toOperation(call.args.operation ?? null)
          if (hasAccess(call.env.role, call.def.name, operation)) return true
          if (call.args.raise_exception) checkAccess(v, call.env.role, call.def, operation)
          return false
        },
      },
      has_access: {
        onRecords: true,
        versions: [18, 19],
        params: [{ name: 'operation', required: true }],
        run: (call) => hasAccess(call.env.role, call.def.name, toOperation(call.args.operation ?? null)),
      },
      check_access: {
        onRecords: true,
        versions: [18, 19],
        params: [{ name: 'operation', required: true }],
        run: (call) => {
          checkAccess(v, call.env.role, call.def, toOperation(call.args.operation ?? null))
          return null
        },
      },
      context_get: {
        onRecords: false,
        models: ['res.users'],
        params: [],
        run: (call) => ({ lang: 'en_US', tz: false, uid: call.env.uid }),
      },
    }
  }

  #search(def: ModelDef, domain: Json, args: { [name: string]: Json }, env: CallEnv): Row[] {
    const predicate = this.#predicate(def, domain, env)
    const order = compileOrder(typeof args.order === 'string' && args.order ? args.order : def.order, def, this.#registry, this.#version)
    const limit = typeof args.limit === 'number' && args.limit > 0 ? args.limit : undefined
    const offset = typeof args.offset === 'number' ? args.offset : 0
    return selectRows(this.#tables.rows(def.name), predicate, order, offset, limit)
  }

  #matching(def: ModelDef, domain: Json, env: CallEnv): Row[] {
    const predicate = this.#predicate(def, domain, env)
    return [...this.#tables.rows(def.name)].filter(predicate)
  }

  /** The domain, plus active=True unless the context or the domain itself asks about archived records. */
  #predicate(def: ModelDef, domain: Json, env: CallEnv): (row: Row) => boolean {
    const matches = compileDomain(domain, def, this.#registry, this.#version)
    const activeOnly = def.hasActive && env.context.active_test !== false && !mentionsActive(domain)
    return activeOnly ? (row: Row) => row.active !== false && matches(row) : matches
  }

  #fields(def: ModelDef, names: Json): FieldDef[] {
    if (names === null || names === false || (Array.isArray(names) && names.length === 0)) {
      return [...def.fields.values()].filter((f) => f.name !== 'id')
    }
    if (!Array.isArray(names)) throw typeError(`'${typeof names}' object is not iterable`)
    return names
      .filter((name) => name !== 'id')
      .map((name) => {
        const field = typeof name === 'string' ? def.fields.get(name) : undefined
        if (!field) throw invalidField(this.#version, def.name, String(name))
        return field
      })
  }

  #existing(def: ModelDef, ids: readonly number[]): Row[] {
    return [...new Set(ids)].map((id) => this.#tables.get(def.name, id)).filter((row): row is Row => row !== undefined)
  }

  #write(call: Call): PyValue {
    const { def, ids, env } = call
    checkAccess(this.#version, env.role, def, 'write')
    const valuesFor = parseValues(def, call.args.vals ?? null, this.#version)
    const missing = ids.filter((id) => !this.#tables.get(def.name, id))
    if (missing.length) throw missingRecord(def.name, missing, env.uid)
    const touched = new Set(Object.keys(isJsonObject(call.args.vals) ? call.args.vals : {}))
    for (const row of this.#existing(def, ids)) checkConstraints(this.#version, def, { ...row, ...valuesFor(row) }, touched)
    const tracking = !env.context.tracking_disable && !env.context.mail_notrack
    this.#writer.write(def.name, [...new Set(ids)], valuesFor, { uid: env.uid, tracking })
    return true
  }

  #create(call: Call): PyValue {
    const { def, env } = call
    checkAccess(this.#version, env.role, def, 'create')
    const single = isJsonObject(call.args.vals_list)
    const list = single ? [call.args.vals_list] : call.args.vals_list
    if (!Array.isArray(list)) throw typeError('create() expects a dict or a list of dicts')
    const prepared = list.map((vals) => {
      const values = this.#writer.prepare(def.name, parseValues(def, vals ?? null, this.#version)(undefined), env.uid)
      checkConstraints(this.#version, def, { id: 0, ...values }, 'all')
      return values
    })
    const ids = prepared.map((values) => this.#writer.insert(def.name, values, env.uid).id)
    return single ? (ids[0] as number) : ids
  }

  #unlink(call: Call): PyValue {
    const { def, env } = call
    checkAccess(this.#version, env.role, def, 'unlink')
    const rows = this.#existing(def, call.ids)
    // sale.order refuses to delete confirmed orders (_unlink_except_draft_or_cancel)
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

  #readGroup(call: Call): PyValue {
    const { def, args, env } = call
    checkAccess(this.#version, env.role, def, 'read')
    const groupSpecs = typeof args.groupby === 'string' ? [args.groupby] : Array.isArray(args.groupby) ? args.groupby : []
    const lazy = args.lazy !== false
    const groupBy = this.#groupFields(def, lazy ? groupSpecs.slice(0, 1) : groupSpecs)
    const aggregates = parseAggregates(def, Array.isArray(args.fields) ? args.fields.filter((f) => !groupSpecs.includes(f)) : [])
    const domain = Array.isArray(args.domain) ? args.domain : []
    const groups = groupRows(def, this.#matching(def, domain, env), groupBy, this.#registry, this.#version)
    return page(groups, args).map((group) => {
      const out: { [key: string]: PyValue } = {}
      groupBy.forEach((field, i) => (out[field.name] = groupValue(field, group.values[i] ?? false, this.#registry)))
      out[lazy && groupBy[0] ? `${groupBy[0].name}_count` : '__count'] = group.rows.length
      for (const agg of aggregates) out[agg.key.split(':')[0] as string] = aggregate(def, group.rows, agg, this.#registry)
      let groupDomain: Json[] = domain
      groupBy.forEach((field, i) => (groupDomain = andLeaf(groupDomain, [field.name, '=', groupKey(group.values[i])])))
      out.__domain = groupDomain
      if (lazy && groupSpecs.length > 1) out.__context = { group_by: groupSpecs.slice(1) }
      return out
    })
  }

  #formattedReadGroup(call: Call): PyValue {
    const { def, args, env } = call
    checkAccess(this.#version, env.role, def, 'read')
    const groupSpecs = Array.isArray(args.groupby) ? args.groupby : []
    const groupBy = this.#groupFields(def, groupSpecs)
    const aggregateSpecs = Array.isArray(args.aggregates) ? args.aggregates : []
    const aggregates = parseAggregates(def, aggregateSpecs)
    const groups = groupRows(def, this.#matching(def, Array.isArray(args.domain) ? args.domain : [], env), groupBy, this.#registry, this.#version)
    return page(groups, args).map((group) => {
      const out: { [key: string]: PyValue } = {}
      groupBy.forEach((field, i) => (out[field.name] = groupValue(field, group.values[i] ?? false, this.#registry)))
      out.__extra_domain = groupBy.map((field, i) => [field.name, '=', groupKey(group.values[i])])
      if (aggregateSpecs.includes('__count')) out.__count = group.rows.length
      for (const agg of aggregates) out[agg.key] = aggregate(def, group.rows, agg, this.#registry)
      return out
    })
  }

  #groupFields(def: ModelDef, specs: readonly Json[]): FieldDef[] {
    return specs.map((spec) => {
      const field = typeof spec === 'string' ? def.fields.get(spec) : undefined
      if (!field) throw invalidField(this.#version, def.name, String(spec))
      return field
    })
  }
}

function page<T>(items: T[], args: { [name: string]: Json }): T[] {
  const offset = typeof args.offset === 'number' ? args.offset : 0
  const limit = typeof args.limit === 'number' && args.limit > 0 ? args.limit : undefined
  return items.slice(offset, limit === undefined ? undefined : offset + limit)
}

const groupKey = (value: unknown): Json => (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? value : false)

function mentionsActive(domain: Json): boolean {
  return Array.isArray(domain) && domain.some((leaf) => Array.isArray(leaf) && leaf[0] === 'active')
}

function toIds(value: Json): number[] {
  const list = Array.isArray(value) ? value : [value]
  if (!list.every((id) => typeof id === 'number')) throw typeError(`ids must be integers, got ${JSON.stringify(value)}`)
  return list as number[]
}

function toOperation(value: Json): Operation {
  if (typeof value === 'string' && (OPERATIONS as readonly string[]).includes(value)) return value as Operation
  throw new OdooError({ exception: 'builtins.ValueError', message: `Invalid access mode: ${String(value)}` })
}

/** Binds positional and keyword arguments as a Python call does, with Python's TypeError messages. */
function bindPositional(method: string, params: readonly Param[], positional: readonly Json[], kwargs: { [key: string]: Json }): { [name: string]: Json } {
  if (positional.length > params.length) {
    throw typeError(`${method}() takes ${params.length + 1} positional arguments but ${positional.length + 1} were given`)
  }
  const bound: { [name: string]: Json } = {}
  for (const [i, param] of params.entries()) {
    if (i < positional.length) {
      if (param.name in kwargs) throw typeError(`${method}() got multiple values for argument '${param.name}'`)
      bound[param.name] = positional[i] as Json
    } else if (param.name in kwargs) bound[param.name] = kwargs[param.name] as Json
    else if (param.required) throw typeError(`${method}() missing 1 required positional argument: '${param.name}'`)
    else bound[param.name] = param.fallback ?? null
  }
  const unexpected = Object.keys(kwargs).find((key) => !params.some((p) => p.name === key))
  if (unexpected) throw typeError(`${method}() got an unexpected keyword argument '${unexpected}'`)
  return bound
}

/** fields_get: each field's attributes, restricted to the asked ones (relation only on relational fields). */
function fieldsGet(def: ModelDef, allfields: Json, attributes: Json): PyValue {
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
