/**
 * Sync throughput: mirrors N simulator orders into a fresh PostgreSQL database and compares the
 * time with the bare time to page the same orders through the gateway without writing them.
 *   node --expose-gc bench/sync.ts [--orders 100000] [--page 500] [--latency 0]
 * `--latency` delays each simulator answer by that many milliseconds. Uses DATABASE_URL's server
 * when set, an embedded PostgreSQL otherwise. Each phase also reports the CPU seconds used by the
 * service, PostgreSQL and the simulator, which share this machine's cores.
 */
import { parseArgs } from 'node:util'
import { createLogger } from '../src/log/logger.ts'
import { createPool } from '../src/db/database.ts'
import { createOdooGateway } from '../src/odoo/gateway.ts'
import { createServiceParts, jobDefinitions } from '../src/service.ts'
import { startJobRunner } from '../src/jobs/job-runner.ts'
import { systemClock } from '../src/clock.ts'
import { many2oneId, ORDER_FIELDS, OUTGOING_PICKINGS_DOMAIN, PARTNER_FIELDS, PICKING_FIELDS } from '../src/mirror/odoo-records.ts'
import { benchConfig, cpuSnapshot, describeMachine, measure, startSimulatorProcess, withBenchDatabase } from './support.ts'

const { values } = parseArgs({ options: { orders: { type: 'string', default: '100000' }, page: { type: 'string', default: '500' }, latency: { type: 'string', default: '0' } } })
const orders = Number(values.orders)
const pageSize = Number(values.page)
const latencyMs = Number(values.latency)
const log = createLogger({ level: 'warn' })

console.log(`bench/sync: ${orders} orders, pages of ${pageSize}, ${latencyMs} ms per Odoo answer, on ${describeMachine()}`)
// Odoo's data as history (settled seconds), as on a real server whose orders span months.
const sim = await startSimulatorProcess({ orders, daysBehind: 1, latencyMs })
/** Runs a phase, with its time, heap and the CPU seconds each process spent on it. */
const phase = async <T>(work: () => Promise<T>) => {
  const before = cpuSnapshot(sim.pid)
  const measured = await measure(work)
  const after = cpuSnapshot(sim.pid)
  const cpu = (key: keyof typeof before) => (after[key] - before[key]).toFixed(1)
  return { ...measured, cpu: `CPU s: service ${cpu('service')}, PostgreSQL ${cpu('postgres')}, simulator ${cpu('other')}` }
}
try {
  await withBenchDatabase(log, async (url) => {
    const config = benchConfig(url, sim, { SYNC_PAGE_SIZE: String(pageSize) })
    const pool = createPool(url, 10, log)
    const odoo = createOdooGateway(config.odoo, { log })
    await odoo.authenticate()

    const bare = await phase(async () => {
      let count = 0
      for await (const page of odoo.walk('sale.order', { fields: ORDER_FIELDS, pageSize })) count += page.records.length
      return count
    })
    const jobs = await startJobRunner({ databaseUrl: url, log, work: false })
    // The same Odoo reads as a first sync (orders, the contacts they name, their deliveries), unwritten.
    const reads = await phase(async () => {
      let count = 0
      const seen = new Set<number>()
      const fields = await odoo.availableFields('res.partner', PARTNER_FIELDS)
      for await (const page of odoo.walk('sale.order', { fields: ORDER_FIELDS, pageSize })) {
        const partners = [...new Set(page.records.flatMap((o) => [o.partner_id, o.partner_invoice_id, o.partner_shipping_id].map(many2oneId)))].filter((id): id is number => id !== null && !seen.has(id))
        for (const id of partners) seen.add(id)
        await Promise.all([odoo.read('res.partner', partners, fields), odoo.searchRead('stock.picking', [...OUTGOING_PICKINGS_DOMAIN, ['sale_id', 'in', page.records.map((o) => o.id)]], { fields: PICKING_FIELDS })])
        count += page.records.length
      }
      return count
    })
    const parts = createServiceParts({ config, pool, odoo, jobs, clock: systemClock, log })
    await jobs.register(jobDefinitions(parts, config, jobs))
    const sync = await phase(() => parts.runSync({ trigger: 'cli', requestedBy: 'bench' }))
    const again = await phase(() => parts.runSync({ trigger: 'cli', requestedBy: 'bench' }))
    const [mirrored] = (await pool.query<{ orders: number; partners: number; pickings: number }>('SELECT (SELECT count(*) FROM mirror_orders)::int AS orders, (SELECT count(*) FROM mirror_partners)::int AS partners, (SELECT count(*) FROM mirror_pickings)::int AS pickings')).rows
    if (!mirrored) throw new Error('the mirror counts query returned no row')

    const seconds = (ms: number) => (ms / 1000).toFixed(2)
    console.log(`bare paging      ${bare.result} orders in ${seconds(bare.ms)} s = ${Math.round(bare.result / (bare.ms / 1000))} orders/s; ${bare.cpu}`)
    console.log(`bare reads       the same orders with their contacts and deliveries in ${seconds(reads.ms)} s; ${reads.cpu}`)
    console.log(`first sync       ${mirrored.orders} orders, ${mirrored.partners} contacts, ${mirrored.pickings} deliveries in ${seconds(sync.ms)} s = ${Math.round(mirrored.orders / (sync.ms / 1000))} orders/s (${sync.result?.state}); ${sync.cpu}`)
    console.log(`                 heap: peak ${sync.peakHeapMb} MB, live after full collections ${sync.liveHeapMb} MB (bare reads: peak ${reads.peakHeapMb} MB, live ${reads.liveHeapMb} MB)`)
    console.log(`re-sync, no edit ${again.result?.fetched} records re-read in ${seconds(again.ms)} s`)
    console.log(`ratio            first sync / bare paging = ${(sync.ms / bare.ms).toFixed(2)}; first sync / bare reads = ${(sync.ms / reads.ms).toFixed(2)}`)
    await jobs.stop(5000)
    await odoo.close()
    await pool.end()
  })
} finally {
  sim.stop()
}
