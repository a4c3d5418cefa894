/**
 * Batched against one-by-one redaction on the simulator with a realistic network latency:
 * the service's redaction (one Odoo write per batch of contacts sharing their fields) against the
 * same contacts written one call each, as a naive implementation would.
 *   node bench/redact.ts [--contacts 500] [--batch 100] [--latency 20]
 */
import { parseArgs } from 'node:util'
import { createLogger } from '../src/log/logger.ts'
import { createPool } from '../src/db/database.ts'
import { createOdooGateway } from '../src/odoo/gateway.ts'
import { createServiceParts, jobDefinitions } from '../src/service.ts'
import { startJobRunner } from '../src/jobs/job-runner.ts'
import { REDACTED_NAME } from '../src/mirror/odoo-records.ts'
import { benchConfig, describeMachine, measure, startSimulatorProcess, withBenchDatabase } from './support.ts'

const { values } = parseArgs({ options: { contacts: { type: 'string', default: '500' }, batch: { type: 'string', default: '100' }, latency: { type: 'string', default: '20' } } })
const contacts = Number(values.contacts)
const batch = Number(values.batch)
const latencyMs = Number(values.latency)
const log = createLogger({ level: 'warn' })

console.log(`bench/redact: ${contacts} contacts, batches of ${batch}, ${latencyMs} ms per Odoo call, on ${describeMachine()}`)
// Enough orders for the contacts; the simulator's clock is a year behind, so every order is due.
const sim = await startSimulatorProcess({ orders: Math.ceil(contacts * 1.5), latencyMs, daysBehind: 365 })
try {
  await withBenchDatabase(log, async (url) => {
    const config = benchConfig(url, sim, { ODOO_MAX_CONCURRENCY: '4' })
    const pool = createPool(url, 10, log)
    const odoo = createOdooGateway(config.odoo, { log })
    const jobs = await startJobRunner({ databaseUrl: url, log, work: false })
    const parts = createServiceParts({ config, pool, odoo, jobs, clock: { now: () => new Date() }, log })
    await jobs.register(jobDefinitions(parts, config, jobs))
    await parts.runSync({ trigger: 'cli', requestedBy: 'bench' })

    const due = (await pool.query<{ odoo_id: number }>(
      `SELECT odoo_id FROM mirror_partners WHERE retention_due_at <= now() AND NOT is_user AND NOT is_company_partner ORDER BY odoo_id LIMIT $1`,
      [contacts * 2]
    )).rows.map((r) => r.odoo_id)
    const batched = due.slice(0, Math.floor(due.length / 2))
    const single = due.slice(Math.floor(due.length / 2))

    const viaService = await measure(async () => {
      let redacted = 0
      for (let i = 0; i < batched.length; i += batch) redacted += (await parts.redact(batched.slice(i, i + batch))).redacted.length
      return redacted
    })
    const values = { name: REDACTED_NAME, street: false, street2: false, zip: false, city: false, email: false, phone: false }
    const oneByOne = await measure(async () => {
      for (const id of single) await odoo.write('res.partner', [id], values, { context: { tracking_disable: true } })
      return single.length
    })
    const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000))
    console.log(`batched (service) ${viaService.result} contacts in ${(viaService.ms / 1000).toFixed(2)} s = ${perSecond(viaService.result, viaService.ms)} contacts/s (read, write, read back, chatter clean-up, mirror, audit)`)
    console.log(`one write each    ${oneByOne.result} contacts in ${(oneByOne.ms / 1000).toFixed(2)} s = ${perSecond(oneByOne.result, oneByOne.ms)} contacts/s (the write alone)`)
    console.log(`ratio             batched is ${((oneByOne.ms / oneByOne.result) / (viaService.ms / viaService.result)).toFixed(1)} times faster per contact`)
    await jobs.stop(5000)
    await odoo.close()
    await pool.end()
  })
} finally {
  sim.stop()
}
