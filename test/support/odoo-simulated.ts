import type { Logger } from 'pino'
import { pino } from 'pino'
import type { OdooConfig } from '../../src/config/env.ts'
import { createOdooGateway, type OdooGateway, type OdooGatewayDeps } from '../../src/odoo/gateway.ts'
import { startOdooSimulator, type OdooSimulator, type SimulatorOptions, type Version } from '../odoo-simulator/index.ts'

export type ConfiguredProtocol = OdooConfig['protocol']

/** Every protocol each version serves (JSON-2 only on 19), and `auto`, which picks one. */
export const PROTOCOL_MATRIX: readonly { version: Version; protocol: ConfiguredProtocol }[] = [
  { version: 16, protocol: 'xmlrpc' },
  { version: 16, protocol: 'jsonrpc' },
  { version: 16, protocol: 'auto' },
  { version: 17, protocol: 'xmlrpc' },
  { version: 17, protocol: 'jsonrpc' },
  { version: 17, protocol: 'auto' },
  { version: 18, protocol: 'xmlrpc' },
  { version: 18, protocol: 'jsonrpc' },
  { version: 18, protocol: 'auto' },
  { version: 19, protocol: 'xmlrpc' },
  { version: 19, protocol: 'jsonrpc' },
  { version: 19, protocol: 'json2' },
  { version: 19, protocol: 'auto' }
]

/** What `auto` must choose: JSON-2 from 19 on, JSON-RPC below. */
export const expectedProtocol = (version: Version, protocol: ConfiguredProtocol) =>
  protocol !== 'auto' ? protocol : version >= 19 ? 'json2' : 'jsonrpc'

interface Teardown {
  teardown(fn: () => unknown): void
}

/** A simulator closed when the test ends. */
export async function simulator(t: Teardown, options: SimulatorOptions): Promise<OdooSimulator> {
  const sim = await startOdooSimulator(options)
  t.teardown(() => sim.close())
  return sim
}

/** Small deadlines and backoff so that failure paths stay fast. */
export function odooConfig(sim: OdooSimulator, protocol: ConfiguredProtocol, overrides: Partial<OdooConfig> = {}): OdooConfig {
  return { url: sim.url, db: sim.db, username: sim.login, secret: sim.apiKey, protocol, timeoutMs: 2_000, maxConcurrency: 4, retries: 2, retryBaseMs: 5, ...overrides }
}

/** A gateway on the simulator, closed when the test ends; silent unless a logger is given. */
export function gateway(
  t: Teardown,
  sim: OdooSimulator,
  protocol: ConfiguredProtocol,
  overrides: Partial<OdooConfig> = {},
  deps: Partial<OdooGatewayDeps> & { log?: Logger } = {}
): OdooGateway {
  const created = createOdooGateway(odooConfig(sim, protocol, overrides), { log: pino({ level: 'silent' }), ...deps })
  t.teardown(() => created.close())
  return created
}

/** How many object calls of this model and method the simulator received. */
export const callsTo = (sim: OdooSimulator, model: string, method: string): number =>
  sim.calls.filter((call) => call.model === model && call.method === method).length
