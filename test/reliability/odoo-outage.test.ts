import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { startTestService } from '../support/app.ts'
import type { TestService } from '../support/app.ts'
import { simulator } from '../support/simulator.ts'
import {
  customerContacts, makeDue, NEVER, outstanding, partnerWrites, pendingRedactionJobs, realClock, redactionAuditCounts, redactionJobStates, repeated
} from '../support/reliability-harness.ts'
import { until } from '../support/until.ts'
import { REDACTED_NAME } from '../../src/mirror/odoo-records.ts'
import type { SyncRun } from '../../src/mirror/sync-runs.ts'

// Odoo down "for minutes" in production; here for about ten seconds, which is long enough for a
// sync and every redaction batch to meet the outage, and shorter than the redaction queue's first
// retry delay (10-20 s), so the retries are what meets Odoo again.
const OUTAGE_MS = 10_000

async function requestSync(ctx: TestService): Promise<{ id: string; state: string }> {
  const started = await ctx.app.inject({ method: 'POST', url: '/v1/sync', headers: ctx.auth.admin })
  if (started.statusCode !== 202) throw new Error(`POST /v1/sync answered ${started.statusCode}: ${started.body}`)
  const { id } = started.json<Pick<SyncRun, 'id'>>()
  return until(async () => {
    const run = (await ctx.app.inject({ url: `/v1/sync/runs/${id}`, headers: ctx.auth.admin })).json<Pick<SyncRun, 'id' | 'state'>>()
    return run.state === 'succeeded' || run.state === 'failed' ? run : undefined
  }, { what: `sync run ${id} to finish`, timeoutMs: 30_000, intervalMs: 200 })
}

await t.test('Odoo unavailable during sync and redaction: the sync fails, redaction retries, and once Odoo is back nothing is lost or done twice', async (t) => {
  const sim = await simulator(t, { orders: 40 })
  const ctx = await startTestService(t, { odoo: sim, role: 'all', clock: realClock(), env: { REDACTION_BATCH_SIZE: '8', RETENTION_SWEEP_CRON: NEVER } })
  t.equal((await requestSync(ctx)).state, 'succeeded', 'a first sync while Odoo is up')
  // Contacts due by the shop's own policies are redacted once swept; wait for that to settle.
  await ctx.service.sweep()
  await until(async () => (await outstanding(ctx.pool)).length === 0 && (await pendingRedactionJobs(ctx.pool)) === 0, { what: 'the contacts already due to be handled', timeoutMs: 30_000, intervalMs: 200 })

  // Odoo goes away: every request gets the reverse proxy's 502.
  sim.faults.failNext({ status: 502, times: 1_000_000 })
  const outageStarted = Date.now()
  // Meanwhile Odoo keeps changing: new orders from new customers.
  const newOrders = [1, 2, 3].map((n) => sim.store.create('sale.order', { partner_id: sim.store.create('res.partner', { name: `Outage Customer ${n}`, email: `outage-${n}@example.com` }) }))
  const due = await customerContacts(ctx.pool, 24)
  await makeDue(ctx.pool, due)
  t.equal(await ctx.service.sweep(), due.length, `${due.length} contacts queued for redaction`)

  t.equal((await requestSync(ctx)).state, 'failed', 'a sync during the outage fails')
  // One redaction job per batch of 8.
  await until(async () => (await redactionJobStates(ctx.pool)).retry === Math.ceil(due.length / 8), { what: 'every redaction job to fail into retry', timeoutMs: 20_000, intervalMs: 200 })
  t.pass('every redaction job failed and waits for its retry')
  t.same(await outstanding(ctx.pool), due, 'nothing redacted while Odoo is down')
  await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)))

  sim.faults.clear()
  const after = await requestSync(ctx)
  t.equal(after.state, 'succeeded', 'the next sync once Odoo is back succeeds')
  const odooOrders = sim.store.records('sale.order').map((o) => o.id).sort((a, b) => a - b)
  const mirrored = (await ctx.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_orders ORDER BY odoo_id')).rows.map((r) => r.odoo_id)
  t.same(mirrored, odooOrders, 'the mirror holds every Odoo order once, including those created during the outage')
  t.ok(newOrders.every((id) => mirrored.includes(id)), 'the orders created during the outage are mirrored')

  // The redaction retries come 10-20 s after their failure (pg-boss backoff with jitter).
  await until(async () => (await outstanding(ctx.pool)).length === 0, { what: 'the retried redactions', timeoutMs: 100_000, intervalMs: 500 })
  await until(async () => (await pendingRedactionJobs(ctx.pool)) === 0, { what: 'no redaction job running or ready', timeoutMs: 15_000, intervalMs: 250 })
  const redacted = (await ctx.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE odoo_id = ANY($1::int[]) AND redacted_at IS NOT NULL ORDER BY odoo_id', [due])).rows.map((r) => r.odoo_id)
  t.same(redacted, due, 'every due contact is redacted in the mirror')
  t.ok(due.every((id) => sim.store.get('res.partner', id)?.name === REDACTED_NAME), 'and in Odoo')
  const audits = await redactionAuditCounts(ctx.pool)
  t.same(due.filter((id) => audits.get(id) !== 1), [], 'each with exactly one partner.redacted audit entry')
  t.same([...audits.values()].filter((n) => n !== 1), [], 'no contact audited twice')
  t.same(repeated(partnerWrites(sim)), [], 'no contact written to Odoo twice')
  const retried = await ctx.pool.query<{ state: string }>(`SELECT state FROM pgboss.job WHERE name = 'retention-redact' AND retry_count >= 1`)
  t.ok(retried.rows.length === Math.ceil(due.length / 8) && retried.rows.every((j) => j.state === 'completed'), 'each failed redaction job completed on a retry')
  t.equal((await ctx.pool.query(`SELECT 1 FROM pgboss.job WHERE name = 'retention-redact-dead-letter'`)).rowCount, 0, 'nothing dead-lettered')
  t.equal((await ctx.pool.query(`SELECT 1 FROM mirror_partners WHERE redaction_failure IS NOT NULL AND odoo_id = ANY($1::int[])`, [due])).rowCount, 0, 'no contact marked failed')
})
