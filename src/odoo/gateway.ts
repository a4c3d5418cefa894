import { setTimeout as delay } from 'node:timers/promises'
import type { Logger } from 'pino'
import type { OdooConfig } from '../config/env.ts'
import { createCallRunner } from './call-runner.ts'
import type { RunOptions } from './call-runner.ts'
import { createConcurrencyLimit } from './concurrency-limit.ts'
import { createOdooConnection } from './connection.ts'
import { OdooUnexpectedError } from './errors.ts'
import { createHttpClient } from './http-client.ts'
import { oncePerKey } from './memo.ts'
import type { OdooCall } from './odoo-call.ts'
import type { OdooContext, OdooDomain, OdooFieldInfo, OdooRecord, OdooValues } from './odoo-types.ts'
import type { OdooProtocol, OdooServerVersion } from './transport.ts'
import { walkByWriteDate, type WalkOptions, type WalkPage } from './write-date-walk.ts'

export interface SearchReadOptions {
  fields: readonly string[]
  limit?: number
  offset?: number
  order?: string
  context?: OdooContext
}

export interface CallOptions {
  context?: OdooContext
}

export type AccessOperation = 'read' | 'write' | 'create' | 'unlink'

/** The service's only way into Odoo. Every method may reject with an `OdooError` subclass. */
export interface OdooGateway {
  version(): Promise<OdooServerVersion>
  /** The protocol in use: the configured one, or the one `auto` chose for this server. */
  protocol(): Promise<OdooProtocol>
  /** The uid of the configured user, asked once per connection. */
  authenticate(): Promise<number>
  searchRead(model: string, domain: OdooDomain, options: SearchReadOptions): Promise<OdooRecord[]>
  searchCount(model: string, domain: OdooDomain, options?: CallOptions): Promise<number>
  /** Missing ids are left out of the result, as Odoo does. */
  read(model: string, ids: readonly number[], fields: readonly string[], options?: CallOptions): Promise<OdooRecord[]>
  /** One call for all the ids, with the same values: batch redaction relies on it. */
  write(model: string, ids: readonly number[], values: OdooValues, options?: CallOptions): Promise<void>
  create(model: string, values: OdooValues, options?: CallOptions): Promise<number>
  unlink(model: string, ids: readonly number[], options?: CallOptions): Promise<void>
  fieldsGet(model: string, attributes?: readonly string[]): Promise<Record<string, Record<string, unknown>>>
  /** The model's fields on this server, asked once per connection. */
  fieldsOf(model: string): Promise<Record<string, OdooFieldInfo>>
  /** The wanted fields that exist on this server, in the order given (e.g. no `mobile` on Odoo 19). */
  availableFields(model: string, wanted: readonly string[]): Promise<string[]>
  /**
   * Whether the configured user has this access right on the model. A granted right is remembered
   * for a minute; a missing one is asked again each time, so that granting it takes effect at once.
   */
  hasAccess(model: string, operation: AccessOperation): Promise<boolean>
  /** Pages of the domain's records in write_date order, resumable from a stored cursor. */
  walk(model: string, options: WalkOptions & CallOptions): AsyncIterable<WalkPage>
  /** A cheap call with a short deadline, for the readiness probe; rejects while Odoo does not answer. */
  ping(signal?: AbortSignal): Promise<void>
  /** Closes the keep-alive connections. */
  close(): Promise<void>
}

export interface OdooGatewayDeps {
  log: Logger
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** Milliseconds since the epoch, for how long a granted right is remembered. */
  now?: () => number
}

const PING_TIMEOUT_MS = 5_000
const GRANTED_RIGHT_TTL_MS = 60_000
const UNLIMITED: RunOptions = { unlimited: true }
const WALK_PAGE: RunOptions = { first: true }
const FIELD_ATTRIBUTES = ['string', 'type', 'relation', 'required', 'readonly']

/** Builds the gateway without calling Odoo: the protocol is detected on first use. */
export function createOdooGateway(config: OdooConfig, deps: OdooGatewayDeps): OdooGateway {
  const log = deps.log.child({ component: 'odoo' })
  // One connection more than the call limit, for the readiness probe that bypasses it.
  const http = createHttpClient({ maxConnections: config.maxConcurrency + 1 })
  const run = createCallRunner({
    log,
    limit: createConcurrencyLimit(config.maxConcurrency),
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    retryBaseMs: config.retryBaseMs,
    sleep: deps.sleep ?? ((ms) => delay(ms)),
    random: deps.random ?? Math.random
  })
  const connection = createOdooConnection(config, http, run)

  async function execute<T>(call: OdooCall, retryable: boolean, options?: RunOptions): Promise<T> {
    // Resolved before taking a slot of the concurrency limit, which these calls need themselves.
    const transport = await connection.transport()
    const uid = await connection.uid()
    const description = { model: call.model, method: call.method, ids: call.ids?.length, retryable }
    return run(description, async (signal) => (await transport.execute(call, uid, signal)) as T, options)
  }

  const now = deps.now ?? Date.now
  const grantedUntil = new Map<string, number>()

  async function askAccess(model: string, operation: AccessOperation): Promise<boolean> {
    const { major } = await connection.serverVersion()
    // Odoo 18 replaced check_access_rights (deprecated, removed after 19.0) by has_access, which
    // checks the model's access rights when called on no records; 16 and 17 have only the former.
    // Cheap calls the readiness probe makes: they do not queue behind a long sync.
    if (major >= 18) return execute({ model, method: 'has_access', ids: [], params: { operation } }, true, UNLIMITED)
    return execute({ model, method: 'check_access_rights', params: { operation, raise_exception: false } }, true, UNLIMITED)
  }

  const fieldsOf = oncePerKey((model) =>
    execute<Record<string, OdooFieldInfo>>({ model, method: 'fields_get', params: { attributes: FIELD_ATTRIBUTES } }, true)
  )

  const searchRead = (model: string, domain: OdooDomain, { fields, limit, offset, order, context }: SearchReadOptions, options?: RunOptions) =>
    execute<OdooRecord[]>({ model, method: 'search_read', params: { domain, fields, limit, offset, order, context } }, true, options)

  const gateway: OdooGateway = {
    version: () => connection.serverVersion(),
    protocol: async () => (await connection.transport()).protocol,
    authenticate: () => connection.uid(),

    searchRead: (model, domain, options) => searchRead(model, domain, options),

    searchCount: (model, domain, options = {}) =>
      execute({ model, method: 'search_count', params: { domain, context: options.context } }, true),

    async read(model, ids, fields, options = {}) {
      if (ids.length === 0) return []
      return execute({ model, method: 'read', ids, params: { fields, context: options.context } }, true)
    },

    // Writing the same values again leaves the same record: safe to retry.
    async write(model, ids, values, options = {}) {
      if (ids.length === 0) return
      await execute({ model, method: 'write', ids, params: { vals: values, context: options.context } }, true)
    },

    // Never retried: a create whose answer was lost may have happened, and a retry would duplicate it.
    async create(model, values, options = {}) {
      const created = await execute<number | number[]>({ model, method: 'create', params: { vals_list: [values], context: options.context } }, false)
      const id = Array.isArray(created) ? created[0] : created
      if (typeof id !== 'number') throw new OdooUnexpectedError('create answered no id', { model, method: 'create' })
      return id
    },

    // Never retried: after a lost answer the records may be gone, and a second unlink would fail.
    async unlink(model, ids, options = {}) {
      if (ids.length === 0) return
      await execute({ model, method: 'unlink', ids, params: { context: options.context } }, false)
    },

    fieldsGet: (model, attributes) => execute({ model, method: 'fields_get', params: { attributes } }, true),
    fieldsOf,

    async availableFields(model, wanted) {
      const existing = await fieldsOf(model)
      return wanted.filter((field) => Object.hasOwn(existing, field))
    },

    async hasAccess(model, operation) {
      const key = `${operation} ${model}`
      if ((grantedUntil.get(key) ?? 0) > now()) return true
      const granted = await askAccess(model, operation)
      if (granted) grantedUntil.set(key, now() + GRANTED_RIGHT_TTL_MS)
      else grantedUntil.delete(key)
      return granted
    },

    // A walk's pages wait for a slot ahead of other calls: the reads a walk's consumer makes for
    // one page then overlap the fetch of the next, instead of queueing it behind them.
    walk(model, { context, ...options }) {
      return walkByWriteDate((domain, page) => searchRead(model, domain, { ...page, context }, WALK_PAGE), options)
    },

    async ping(signal) {
      const probe = connection.versionProbe()
      await run({ method: 'version', retryable: false }, (deadline) => probe.serverVersion(deadline), {
        signal,
        timeoutMs: Math.min(config.timeoutMs, PING_TIMEOUT_MS),
        unlimited: true
      })
    },

    close: () => http.close()
  }
  return gateway
}
