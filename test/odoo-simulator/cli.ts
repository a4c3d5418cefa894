import { parseArgs } from 'node:util'
import { startOdooSimulator } from './index.ts'

/**
 * Runs the simulator until SIGTERM/SIGINT:
 *   node test/odoo-simulator/cli.ts --version 18 --port 8069 --orders 300 --seed 1 [--db shop]
 *     [--latency MS] (added to every request, like a remote Odoo)
 *     [--odoo-cost] (each answer also waits for the server time real Odoo takes for the call)
 *     [--days-behind N] (the simulator's clock runs N days behind: its data is settled history)
 *     [--debug-endpoints] (also serves GET /__sim/writes?model=res.partner: write calls per record id)
 * and prints one JSON line {url, db, login, password, apiKey, version} once it listens.
 */
const { values } = parseArgs({
  options: {
    version: { type: 'string', default: '18' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    orders: { type: 'string', default: '60' },
    seed: { type: 'string', default: '1' },
    db: { type: 'string', default: 'shop' },
    latency: { type: 'string', default: '0' },
    'odoo-cost': { type: 'boolean', default: false },
    'days-behind': { type: 'string', default: '0' },
    'debug-endpoints': { type: 'boolean', default: false },
  },
})

const version = Number(values.version)
if (version !== 16 && version !== 17 && version !== 18 && version !== 19) {
  process.stderr.write(`--version must be 16, 17, 18 or 19, not ${values.version}\n`)
  process.exit(2)
}

const behindMs = Number(values['days-behind']) * 86_400_000
const simulator = await startOdooSimulator({
  now: () => new Date(Date.now() - behindMs),
  version,
  host: values.host,
  port: Number(values.port),
  orders: Number(values.orders),
  seed: Number(values.seed),
  db: values.db,
  debugEndpoints: values['debug-endpoints'],
})
simulator.faults.latency(Number(values.latency))
simulator.faults.odooCost(values['odoo-cost'])
const { url, db, login, password, apiKey } = simulator
process.stdout.write(`${JSON.stringify({ url, db, login, password, apiKey, version })}\n`)

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void simulator.close().then(() => process.exit(0))
  })
}
