import { FaultRules } from './faults.ts'
import type { FaultInjector } from './faults.ts'
import { RestartableServer } from './http-server.ts'
import { RpcServices } from './protocol/rpc-services.ts'
import { Sessions } from './protocol/web.ts'
import { requestPipeline } from './request-pipeline.ts'
import type { RecordedCall } from './request-pipeline.ts'
import { debugEndpoint } from './debug-endpoints.ts'
import { createShopDatabase } from './shop-database.ts'
import type { SimulatorStore } from './store.ts'
import type { Version } from './schema.ts'

export type { FaultInjector, FaultMatch, OdooFaultKind, OdooFaultOptions } from './faults.ts'
export type { Protocol } from './protocol/http-reply.ts'
export type { RecordedCall } from './request-pipeline.ts'
export type { WebhookDelivery } from './automation.ts'
import type { WebhookDelivery } from './automation.ts'
export type { Row, StoredValue, Version } from './schema.ts'
export type { SimulatorStore, UpdateOptions } from './store.ts'
export { CHANNELS } from './generate.ts'
export type { GroupXmlId } from './security-data.ts'
import type { GroupXmlId } from './security-data.ts'

export interface SimulatedUser {
  uid: number
  login: string
  password: string
  apiKey: string
}

export interface SimulatorOptions {
  version?: Version
  db?: string
  /** the generated data is a pure function of seed and counts (and of the clock, for dates) */
  seed?: number
  /** generated sale orders */
  orders?: number
  /** the simulator's clock: write_date, create_date, tracking dates */
  now?: () => Date
  host?: string
  port?: number
  /** Also serve the simulator's own debug routes (see debug-endpoints.ts); off, it answers only what Odoo does. */
  debugEndpoints?: boolean
}

export interface OdooSimulator {
  readonly url: string
  readonly version: Version
  readonly db: string
  readonly login: string
  readonly password: string
  /** an API key of the admin: works wherever the password does, and as JSON-2 bearer on 19 */
  readonly apiKey: string
  /** an internal user without Sales/Inventory rights: AccessError on sale.order, may read but not write res.partner */
  readonly limitedUser: SimulatedUser
  /** Adds an internal user with these groups (by XML id, e.g. `sales_team.group_sale_salesman_all_leads`). */
  createUser(login: string, groups: readonly GroupXmlId[]): SimulatedUser
  readonly store: SimulatorStore
  readonly faults: FaultInjector
  /** every object call received, in order */
  readonly calls: ReadonlyArray<RecordedCall>
  /** What automation rules' "Send Webhook Notification" actions (17+) posted, once each was answered or timed out. */
  webhookDeliveries(): Promise<WebhookDelivery[]>
  /** closes the listener (dropping open connections) and listens again on the same port; data is kept */
  restart(): Promise<void>
  close(): Promise<void>
}

/** Starts an HTTP server playing Odoo 16, 17, 18 or 19 over XML-RPC, JSON-RPC, the web routes and JSON-2. */
export async function startOdooSimulator(options: SimulatorOptions = {}): Promise<OdooSimulator> {
  const version = options.version ?? 18
  const now = options.now ?? (() => new Date())
  const database = createShopDatabase({ version, db: options.db ?? 'shop', seed: options.seed ?? 1, orders: options.orders ?? 60, now })
  const endpoints = { database, services: new RpcServices(database), sessions: new Sessions() }
  const faults = new FaultRules(database.store)
  const calls: RecordedCall[] = []

  const pipeline = requestPipeline({ endpoints, faults, calls, now })
  const server = new RestartableServer(options.debugEndpoints === true ? async (request) => debugEndpoint(calls, request) ?? pipeline(request) : pipeline)
  const host = options.host ?? '127.0.0.1'
  await server.listen(host, options.port ?? 0)
  const admin = database.accounts.byUid(2)
  const limited = database.accounts.byLogin('clerk')
  if (!admin || !limited) throw new Error('the simulator database lacks its users')
  return {
    url: `http://${host}:${server.port}`,
    version,
    db: database.name,
    login: admin.login,
    password: admin.password,
    apiKey: admin.apiKey,
    limitedUser: { uid: limited.uid, login: limited.login, password: limited.password, apiKey: limited.apiKey },
    createUser: (login, groups) => {
      const { uid, password, apiKey } = database.addUser({ name: login, login, email: `${login}@example.com` }, groups)
      return { uid, login, password, apiKey }
    },
    store: database.store,
    faults,
    calls,
    webhookDeliveries: () => database.automation.deliveries(),
    restart: () => server.restart(),
    close: () => server.close(),
  }
}
