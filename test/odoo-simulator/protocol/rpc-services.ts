import { accessDenied, OdooError, unknownDatabase } from '../errors.ts'
import { isJsonObject, pyStr } from '../python.ts'
import type { Json, PyValue } from '../python.ts'
import type { ShopDatabase } from '../shop-database.ts'
import type { ObjectCall } from './http-reply.ts'
import { versionInfo } from './http-reply.ts'

/**
 * The "common", "db" and "object" services behind /xmlrpc/2/* and /jsonrpc: authentication, and
 * execute_kw / execute calls of model methods checked against the caller's uid and password or API key.
 */
export class RpcServices {
  readonly #database: ShopDatabase

  constructor(database: ShopDatabase) {
    this.#database = database
  }

  /** What a call is about, before running it: the model call it makes, or the service method. */
  describe(service: string, method: string, params: readonly Json[]): { call?: ObjectCall; method: string } {
    if (service !== 'object' || (method !== 'execute_kw' && method !== 'execute')) return { method }
    const [, , , model, modelMethod] = params
    if (typeof model !== 'string' || typeof modelMethod !== 'string') return { method }
    const { args, kwargs } = objectArguments(method, params)
    const call: ObjectCall = { model, method: modelMethod }
    const first = args[0]
    if (this.#database.models.isRecordMethod(model, modelMethod) && first !== undefined) {
      const ids = Array.isArray(first) ? first : [first]
      if (ids.every((id) => typeof id === 'number')) call.ids = ids
    }
    if (isJsonObject(kwargs.context)) call.context = kwargs.context
    return { call, method: modelMethod }
  }

  dispatch(service: string, method: string, params: readonly Json[]): PyValue {
    switch (service) {
      case 'common':
        return this.#common(method, params)
      case 'db':
        return this.#db(method)
      case 'object':
        return this.#object(method, params)
      default:
        throw new OdooError({ exception: 'builtins.KeyError', message: `'${service}'`, pyArgs: [service], stage: 'service' })
    }
  }

  #common(method: string, params: readonly Json[]): PyValue {
    const [db, login, password] = params
    switch (method) {
      case 'version':
        return versionInfo(this.#database.version)
      case 'authenticate':
      case 'login':
        if (db !== this.#database.name) throw unknownDatabase(pyStr(db), 'common')
        return this.#database.accounts.authenticate(login, password)
      default:
        throw new OdooError({ exception: 'builtins.KeyError', message: `'exp_${method}'`, pyArgs: [`exp_${method}`], stage: 'service' })
    }
  }

  #db(method: string): PyValue {
    if (method === 'list') return [this.#database.name]
    if (method === 'server_version') return versionInfo(this.#database.version).server_version
    throw new OdooError({ exception: 'builtins.KeyError', message: `'exp_${method}'`, pyArgs: [`exp_${method}`], stage: 'service' })
  }

  #object(method: string, params: readonly Json[]): PyValue {
    if (method !== 'execute_kw' && method !== 'execute') {
      throw new OdooError({ exception: 'builtins.NameError', message: `Method not available ${method}`, stage: 'service' })
    }
    const [db, uid, password, model, modelMethod] = params
    if (db !== this.#database.name) throw unknownDatabase(pyStr(db), 'object')
    const account = this.#database.accounts.check(uid, password)
    if (!account) throw accessDenied()
    const { args, kwargs } = objectArguments(method, params)
    const { context, ...rest } = kwargs
    return this.#database.models.call(pyStr(model), pyStr(modelMethod), args, rest, {
      uid: account.uid,
      context: isJsonObject(context) ? context : {},
    })
  }
}

/** execute_kw(db, uid, password, model, method, args, kwargs) or execute(db, uid, password, model, method, *args). */
function objectArguments(method: string, params: readonly Json[]): { args: Json[]; kwargs: { [key: string]: Json } } {
  if (method === 'execute') return { args: params.slice(5), kwargs: {} }
  const args = params[5]
  const kwargs = params[6]
  return { args: Array.isArray(args) ? args : [], kwargs: isJsonObject(kwargs) ? kwargs : {} }
}
