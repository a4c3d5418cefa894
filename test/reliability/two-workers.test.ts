import t from 'tap'
import { startTestService } from '../support/app.ts'
import { simulator } from '../support/simulator.ts'
import {
  customerContacts, makeDue, outstanding, pendingRedactionJobs, partnerWrites, realClock, redactedByProcess, redactionAuditCounts, redactionJobStates, repeated, serviceEnv, startServiceProcess
} from '../support/reliability-harness.ts'
import { until } from '../support/until.ts'
import { REDACTED_NAME } from '../../src/mirror/odoo-records.ts'

await t.test('two worker processes on one PostgreSQL redact every due contact exactly once, and both take part', async (t) => {
  const sim = await simulator(t, { orders: 80 })
  // An API process in this test: it migrates the database, syncs the mirror and queues the due
  // contacts; it works no jobs. The two workers are real `serve --role worker` processes.
  // Batches of 4: the sweeper (here, in the API process) queues one job per batch's worth of due
  // contacts, so that there are jobs for both workers.
  const api = await startTestService(t, { odoo: sim, role: 'api', clock: realClock(), env: { REDACTION_BATCH_SIZE: '4' } })
  const env = { DATABASE_URL: api.databaseUrl, REDACTION_BATCH_SIZE: '4' }
  const workers = await Promise.all(['worker-a', 'worker-b'].map(async (name) => startServiceProcess(t, name, 'worker', await serviceEnv(sim, env))))

  await api.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  // Every Odoo call takes a while, so that one worker's two drains cannot redact every due contact
  // before the other worker polls (every 2 s): with 40 ms a call, they sometimes did, in 1.3 s.
  sim.faults.latency(150)
  const forced = await customerContacts(api.pool, 40)
  await makeDue(api.pool, forced)
  await api.service.sweep()
  const due = (await api.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE retention_due_at <= now() ORDER BY odoo_id')).rows.map((r) => r.odoo_id)
  t.ok(due.length >= forced.length, `${due.length} contacts due`)

  await until(async () => (await outstanding(api.pool)).length === 0, { what: 'every due contact to be redacted or refused', timeoutMs: 60_000, intervalMs: 200 })
  await until(async () => (await pendingRedactionJobs(api.pool)) === 0, { what: 'no redaction job running or ready', timeoutMs: 20_000, intervalMs: 200 })

  const redacted = (await api.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE redacted_at IS NOT NULL ORDER BY odoo_id')).rows.map((r) => r.odoo_id)
  t.ok(forced.every((id) => redacted.includes(id)), 'every contact made due is redacted in the mirror')
  t.ok(redacted.every((id) => sim.store.get('res.partner', id)?.name === REDACTED_NAME), 'and in Odoo')
  const audits = await redactionAuditCounts(api.pool)
  t.same([...audits.keys()].sort((a, b) => a - b), redacted, 'one partner.redacted audit entry per redacted contact, for no other')
  t.same([...audits.values()].filter((n) => n !== 1), [], 'never two')
  t.same(repeated(partnerWrites(sim)), [], 'Odoo never received a write for the same contact twice')
  t.equal((await redactionJobStates(api.pool)).failed ?? 0, 0, 'no redaction job failed')

  const shares = workers.map((w) => redactedByProcess(w))
  t.equal(shares.reduce((a, b) => a + b, 0), redacted.length, `the workers' own counts add up (${shares.join(' + ')})`)
  t.ok(shares.every((n) => n > 0), 'both workers redacted contacts')
})
