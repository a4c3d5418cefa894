import { httpError, OdooError, privateMethod, typeError, unknownMethod, unknownModel } from '../errors.ts'
import { pyStr } from '../python.ts'
import type { Json, PyValue } from '../python.ts'
import type { ModelDef, Version } from '../schema.ts'
import type { Tables } from '../tables.ts'
import type { DataWriter } from '../writer.ts'
import { modelsTraversed, OPERATIONS } from './access.ts'
import type { AccessRules, Operation } from './access.ts'
import type { ModelRegistry } from './fields.ts'
import { RecordOperations } from './operations.ts'

export interface CallEnv {
  uid: number
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
  /** the Odoo versions that have it (all when absent) */
  versions?: readonly Version[]
  /** the models that have it (all when absent) */
  models?: readonly string[]
  /** the access right it needs before running */
  needs?: Operation
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
  readonly #access: AccessRules
  readonly #methods: Record<string, MethodSpec>

  constructor(version: Version, registry: ModelRegistry, tables: Tables, writer: DataWriter, access: AccessRules) {
    this.#version = version
    this.#registry = registry
    this.#access = access
    this.#methods = methodTable(new RecordOperations(version, registry, tables, writer), access)
  }

  /** execute_kw / call_kw: positional args (ids first for record methods) and keyword args. */
  call(model: string, method: string, args: readonly Json[], kwargs: { [key: string]: Json }, env: CallEnv): PyValue {
    const { def, spec } = this.#resolve(model, method)
    const positional = [...args]
    let ids: number[] = []
    if (spec.onRecords) {
      if (positional.length === 0) throw typeError(`${method}() missing 1 required positional argument: 'self'`)
      ids = toIds(positional.shift() as Json)
    }
    return this.#run(spec, { def, ids, args: bindPositional(method, spec.params, positional, kwargs), env })
  }

  /** JSON-2: every argument named in the body; a binding failure is a 422 like inspect.Signature.bind. */
  callNamed(model: string, method: string, ids: number[], named: { [key: string]: Json }, env: CallEnv): PyValue {
    const { def, spec } = this.#resolve(model, method)
    const args: { [name: string]: Json } = {}
    for (const param of spec.params) {
      if (param.name in named) args[param.name] = named[param.name] as Json
      else if (param.required) throw httpError('UnprocessableEntity', `missing a required argument: '${param.name}'`)
      else args[param.name] = param.fallback ?? null
    }
    const unexpected = Object.keys(named).find((key) => !spec.params.some((p) => p.name === key))
    if (unexpected) throw httpError('UnprocessableEntity', `got an unexpected keyword argument '${unexpected}'`)
    return this.#run(spec, { def, ids, args, env })
  }

  modelExists(model: string): boolean {
    return this.#registry.model(model) !== undefined
  }

  hasMethod(model: string, method: string): boolean {
    return !method.startsWith('_') && this.modelExists(model) && this.#find(model, method) !== undefined
  }

  /** Whether model.method is a public record method (it takes ids first). */
  isRecordMethod(model: string, method: string): boolean {
    return this.hasMethod(model, method) && this.#find(model, method)?.onRecords === true
  }

  #run(spec: MethodSpec, call: Call): PyValue {
    if (spec.needs) {
      this.#access.check(call.env.uid, call.def, spec.needs)
      for (const reached of modelsTraversed(call.args.domain ?? null, call.def, this.#registry)) this.#access.check(call.env.uid, reached, 'read')
    }
    return spec.run(call)
  }

  #resolve(model: string, method: string): { def: ModelDef; spec: MethodSpec } {
    if (method.startsWith('_')) throw privateMethod(this.#version, model, method)
    const def = this.#registry.model(model)
    if (!def) throw unknownModel(model)
    const spec = this.#find(model, method)
    if (!spec) throw unknownMethod(this.#version, model, method)
    return { def, spec }
  }

  /** The method as this version of Odoo offers it on this model. */
  #find(model: string, method: string): MethodSpec | undefined {
    const spec = this.#methods[method]
    if (!spec || (spec.versions && !spec.versions.includes(this.#version)) || (spec.models && !spec.models.includes(model))) return undefined
    return spec
  }
}

function methodTable(orm: RecordOperations, access: AccessRules): Record<string, MethodSpec> {
  const paging = [{ name: 'offset', fallback: 0 }, { name: 'limit' }, { name: 'order' }]
  return {
    search: {
      onRecords: false,
      needs: 'read',
      params: [{ name: 'domain', required: true }, ...paging],
      run: ({ def, args, env }) => orm.search(def, args.domain ?? null, args, env).map((row) => row.id),
    },
    search_count: {
      onRecords: false,
      needs: 'read',
      params: [{ name: 'domain', required: true }, { name: 'limit' }],
      run: ({ def, args, env }) => orm.count(def, args.domain ?? null, args.limit ?? null, env),
    },
    search_read: {
      onRecords: false,
      needs: 'read',
      params: [{ name: 'domain' }, { name: 'fields' }, ...paging, { name: 'load', fallback: '_classic_read' }],
      run: ({ def, args, env }) => orm.searchRead(def, args.domain ?? null, args.fields ?? null, args, args.load ?? null, env),
    },
    read: {
      onRecords: true,
      needs: 'read',
      params: [{ name: 'fields' }, { name: 'load', fallback: '_classic_read' }],
      run: ({ def, ids, args }) => orm.read(def, ids, args.fields ?? null, args.load ?? null),
    },
    write: { onRecords: true, needs: 'write', params: [{ name: 'vals', required: true }], run: ({ def, ids, args, env }) => orm.write(def, ids, args.vals ?? null, env) },
    create: { onRecords: false, needs: 'create', params: [{ name: 'vals_list', required: true }], run: ({ def, args, env }) => orm.create(def, args.vals_list ?? null, env) },
    unlink: { onRecords: true, needs: 'unlink', params: [], run: ({ def, ids }) => orm.unlink(def, ids) },
    fields_get: {
      onRecords: false,
      params: [{ name: 'allfields' }, { name: 'attributes' }],
      run: ({ def, args }) => orm.fieldsGet(def, args.allfields ?? null, args.attributes ?? null),
    },
    read_group: {
      onRecords: false,
      needs: 'read',
      params: [{ name: 'domain', required: true }, { name: 'fields', required: true }, { name: 'groupby', required: true }, { name: 'offset', fallback: 0 }, { name: 'limit' }, { name: 'orderby', fallback: false }, { name: 'lazy', fallback: true }],
      run: ({ def, args, env }) => orm.readGroup(def, args.domain ?? null, args.fields ?? null, args.groupby ?? null, args.lazy !== false, args, env),
    },
    formatted_read_group: {
      onRecords: false,
      versions: [19],
      needs: 'read',
      params: [{ name: 'domain', fallback: [] }, { name: 'groupby', fallback: [] }, { name: 'aggregates', fallback: [] }, { name: 'having', fallback: [] }, ...paging],
      run: ({ def, args, env }) => orm.formattedReadGroup(def, args.domain ?? null, args.groupby ?? null, args.aggregates ?? null, args, env),
    },
    check_access_rights: {
      onRecords: false,
      versions: [16, 17, 18],
      params: [{ name: 'operation', required: true }, { name: 'raise_exception', fallback: true }],
      run: ({ def, args, env }) => {
        const operation = toOperation(args.operation ?? null)
        if (access.allowed(env.uid, def.name, operation)) return true
        if (args.raise_exception) access.check(env.uid, def, operation)
        return false
      },
    },
    has_access: {
      onRecords: true,
      versions: [18, 19],
      params: [{ name: 'operation', required: true }],
      run: ({ def, args, env }) => access.allowed(env.uid, def.name, toOperation(args.operation ?? null)),
    },
    check_access: {
      onRecords: true,
      versions: [18, 19],
      params: [{ name: 'operation', required: true }],
      run: ({ def, args, env }) => {
        access.check(env.uid, def, toOperation(args.operation ?? null))
        return null
      },
    },
    context_get: {
      onRecords: false,
      models: ['res.users'],
      params: [],
      run: ({ env }) => ({ lang: 'en_US', tz: false, uid: env.uid }),
    },
  }
}

function toIds(value: Json): number[] {
  const list = Array.isArray(value) ? value : [value]
  if (!list.every((id) => typeof id === 'number')) throw typeError(`ids must be integers, got ${JSON.stringify(value)}`)
  return list
}

function toOperation(value: Json): Operation {
  if (typeof value === 'string' && (OPERATIONS as readonly string[]).includes(value)) return value as Operation
  throw new OdooError({ exception: 'builtins.ValueError', message: `Invalid access mode: ${pyStr(value)}` })
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
