/**
 * Sync throughput: mirrors N simulator orders into a fresh PostgreSQL database and compares the
 * time with the bare time to page the same orders through the gateway without writing them, and
 * with the bare reads of the orders, their contacts and deliveries. Then syncs again with nothing
 * changed, and after editing 1% of the orders in Odoo (a `write` over RPC, as a user's edit).
 *   node --expose-gc bench/sync.ts [--orders 100000] [--page 500] [--latency 0] [--runs 1]
 * `--latency` delays each simulator answer by that many milliseconds. `--runs` repeats the bare
 * reads and the first sync (over an emptied mirror) and prints each run and the median: on a shared
 * virtual machine the same run's CPU seconds vary by a fifth or more. Uses DATABASE_URL's server
 * when set, an embedded PostgreSQL otherwise (whose CPU time is then its own, not the machine's).
 * Each phase reports the CPU seconds used by the service, PostgreSQL and the simulator, which share
 * this machine's cores, and the Odoo calls it made.
 */
import { parseArgs } from 'node:util'
import type { DestinationStream } from 'pino'
import { createLogger } from '../src/log/logger.ts'
import { createPool } from '../src/db/database.ts'
import { createOdooGateway } from '../src/odoo/gateway.ts'
import { createServiceParts, jobDefinitions } from '../src/service.ts'
import { startJobRunner } from '../src/jobs/job-runner.ts'
import { systemClock } from '../src/clock.ts'
import { many2oneId, ORDER_FIELDS, OUTGOING_PICKINGS_DOMAIN, PARTNER_FIELDS, PICKING_FIELDS } from '../src/mirror/odoo-records.ts'
import { benchConfig, cpuSnapshot, describeMachine, measure, peakRssMb, startSimulatorProcess, withBenchDatabase } from './support.ts'

const { values } = parseArgs({ options: { orders: { type: 'string', default: '100000' }, page: { type: 'string', default: '500' }, latency: { type: 'string', default: '0' }, runs: { type: 'string', default: '1' } } })
const orders = Number(values.orders)
const pageSize = Number(values.page)
const latencyMs = Number(values.latency)
const runs = Math.max(1, Number(values.runs))
const log = createLogger({ level: 'warn' })
// The gateway logs each Odoo call at debug level: counting those lines counts the calls.
let odooCalls = 0
const countingDestination: DestinationStream = {
  write(line: string) {
    if (line.includes('"msg":"odoo call"')) odooCalls++
  }
}
const gatewayLog = createLogger({ level: 'debug', destination: countingDestination })
const EDIT_BATCH = 200

console.log(`bench/sync: ${orders} orders, pages of ${pageSize}, ${latencyMs} ms per Odoo answer, on ${describeMachine()}`)
// Odoo's data as history (settled seconds), as on a real server whose orders span months.
const sim = await startSimulatorProcess({ orders, daysBehind: 1, latencyMs })
try {
  await withBenchDatabase(log, async (url, database) => {
    /** Runs a phase, with its time, heap, Odoo calls and the CPU seconds each process spent on it. */
    const phase = async <T>(work: () => Promise<T>) => {
      const before = cpuSnapshot(sim.pid, database.postmasterPid)
      const callsBefore = odooCalls
      const measured = await measure(work)
      const after = cpuSnapshot(sim.pid, database.postmasterPid)
      const cpu = (key: keyof typeof before) => after[key] - before[key]
      const service = cpu('service')
      const postgres = cpu('postgres')
      return {
        ...measured,
        calls: odooCalls - callsBefore,
        serviceAndPostgres: service + postgres,
        cpu: `CPU s: service ${service.toFixed(1)} + PostgreSQL ${postgres.toFixed(1)} = ${(service + postgres).toFixed(1)}, simulator ${cpu('other').toFixed(1)}`
      }
    }
    const config = benchConfig(url, sim, { SYNC_PAGE_SIZE: String(pageSize) })
    const pool = createPool(url, 10, log)
    const odoo = createOdooGateway(config.odoo, { log: gatewayLog })
    await odoo.authenticate()

    const bare = await phase(async () => {
      let count = 0
      for await (const page of odoo.walk('sale.order', { fields: ORDER_FIELDS, pageSize })) count += page.records.length
      return count
    })
    const jobs = await startJobRunner({ databaseUrl: url, log, work: false })
    // The same Odoo reads as a first sync (orders, the contacts they name, their deliveries), unwritten.
    const readAll = () => phase(async () => {
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
    const syncNow = () => parts.runSync({ trigger: 'cli', requestedBy: 'bench' })
    const seconds = (ms: number) => (ms / 1000).toFixed(2)
    let reads = await readAll()
    let sync = await phase(syncNow)
    const firstSyncs = [{ ratio: sync.ms / reads.ms, cpu: sync.serviceAndPostgres, line: `first sync ${seconds(sync.ms)} s, ${sync.cpu}; bare reads ${seconds(reads.ms)} s` }]
    for (let run = 2; run <= runs; run++) {
      await pool.query('TRUNCATE mirror_orders, mirror_partners, mirror_pickings, sync_cursors')
      reads = await readAll()
      sync = await phase(syncNow)
      firstSyncs.push({ ratio: sync.ms / reads.ms, cpu: sync.serviceAndPostgres, line: `first sync ${seconds(sync.ms)} s, ${sync.cpu}; bare reads ${seconds(reads.ms)} s` })
    }
    const serviceRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
    const simulatorRssMb = peakRssMb(sim.pid)
    const again = await phase(syncNow)

    // 1% of the orders edited in Odoo, spread over the shop, as a user's edits over RPC would be.
    const orderIds = (await pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_orders ORDER BY odoo_id')).rows.map((r) => r.odoo_id)
    const edited = orderIds.filter((_, i) => i % 100 === 50)
    for (let i = 0; i < edited.length; i += EDIT_BATCH) await odoo.write('sale.order', edited.slice(i, i + EDIT_BATCH), { client_order_ref: `edited ${i}` })
    const afterEdit = await phase(syncNow)

    const [mirrored] = (await pool.query<{ orders: number; partners: number; pickings: number }>('SELECT (SELECT count(*) FROM mirror_orders)::int AS orders, (SELECT count(*) FROM mirror_partners)::int AS partners, (SELECT count(*) FROM mirror_pickings)::int AS pickings')).rows
    if (!mirrored) throw new Error('the mirror counts query returned no row')
    const sizes = (await pool.query<{ name: string; mb: string }>(
      `SELECT CASE WHEN c.relname LIKE 'mirror\\_%' THEN c.relname ELSE 'everything else' END AS name, round(sum(pg_total_relation_size(c.oid)) / 1048576.0, 1)::text AS mb
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') GROUP BY 1 ORDER BY 1`
    )).rows

    const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000))
    console.log(`bare paging      ${bare.result} orders in ${seconds(bare.ms)} s = ${perSecond(bare.result, bare.ms)} orders/s, ${bare.calls} Odoo calls; ${bare.cpu}`)
    console.log(`bare reads       the same orders with their contacts and deliveries in ${seconds(reads.ms)} s, ${reads.calls} Odoo calls; ${reads.cpu}`)
    console.log(`first sync       ${mirrored.orders} orders, ${mirrored.partners} contacts, ${mirrored.pickings} deliveries in ${seconds(sync.ms)} s = ${perSecond(mirrored.orders, sync.ms)} orders/s (${sync.result?.state}), ${sync.calls} Odoo calls; ${sync.cpu}`)
    console.log(`                 CPU per 1000 orders: ${((sync.serviceAndPostgres / mirrored.orders) * 1000).toFixed(2)} s (service + PostgreSQL)`)
    console.log(`                 memory: service peak RSS ${serviceRssMb} MB, heap peak ${sync.peakHeapMb} MB, live after full collections ${sync.liveHeapMb} MB (bare reads: peak ${reads.peakHeapMb} MB, live ${reads.liveHeapMb} MB); simulator peak RSS ${simulatorRssMb} MB`)
    console.log(`                 database: ${sizes.map((s) => `${s.name} ${s.mb} MB`).join(', ')}`)
    console.log(`re-sync, no edit ${again.result?.fetched} records re-read in ${seconds(again.ms)} s, ${again.calls} Odoo calls; ${again.cpu}`)
    console.log(`re-sync, 1% edit ${edited.length} orders edited: ${afterEdit.result?.fetched} records re-read in ${seconds(afterEdit.ms)} s, ${afterEdit.calls} Odoo calls; ${afterEdit.cpu}`)
    console.log(`ratio            first sync / bare paging = ${(sync.ms / bare.ms).toFixed(2)}; first sync / bare reads = ${(sync.ms / reads.ms).toFixed(2)}`)
    if (runs > 1) {
      for (const [i, run] of firstSyncs.entries()) console.log(`run ${i + 1} of ${runs}       ${run.line}; ratio ${run.ratio.toFixed(2)}`)
      const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
      console.log(`median of ${runs}      first sync CPU s (service + PostgreSQL) ${median(firstSyncs.map((r) => r.cpu)).toFixed(1)}; first sync / bare reads ${median(firstSyncs.map((r) => r.ratio)).toFixed(2)}`)
    }
    await jobs.stop(5000)
    await odoo.close()
    await pool.end()
  })
} finally {
  sim.stop()
}
