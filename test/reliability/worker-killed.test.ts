import t from 'tap'
import { startTestService } from '../support/app.ts'
import { simulator } from '../support/simulator.ts'
import { finished } from '../support/cli.ts'
import {
  customerContacts, makeDue, outstanding, partnerWrites, pendingRedactionJobs, realClock, redactionAuditCounts, serviceEnv, startServiceProcess, waitFor
} from '../support/reliability-harness.ts'
import { REDACTED_NAME } from '../../src/mirror/odoo-records.ts'

// How pg-boss gets a dead worker's jobs back: nothing notices the process is gone (the redaction
// queue has no heartbeat). Its jobs stay `active` until `started_on + expire_seconds` (900 s for
// retention-redact) has passed; then the next supervisor pass of any live worker (every 60 s)
// fails them into `retry`, and they run again after the retry delay (30-60 s), or at once when the
// sweeper finds the contact due without a ready job. The test does not wait those 15 minutes: once
// the worker is dead it moves the dead claims' start back by their expiry, i.e. it jumps the clock
// of those rows to "15 minutes later", and leaves everything else to the new worker.

t.test('a worker killed with SIGKILL in the middle of a redaction batch: after restart every due contact is redacted once, with one audit entry each', async (t) => {
  const sim = await simulator(t, { orders: 60 })
  const api = await startTestService(t, { odoo: sim, role: 'api', clock: realClock() })
  await api.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  // Only the contacts this test makes due: no job is ready before the worker starts.
  await api.pool.query(`DELETE FROM pgboss.job WHERE name = 'retention-redact' AND start_after <= now()`)
  await api.pool.query(`UPDATE mirror_partners SET retention_due_at = now() + interval '1 year' WHERE retention_due_at <= now()`)
  const due = await customerContacts(api.pool, 30)
  await makeDue(api.pool, due)
  t.equal(await api.service.sweep(), due.length, `${due.length} contacts queued`)

  const env = { DATABASE_URL: api.databaseUrl, REDACTION_BATCH_SIZE: '10', RETENTION_SWEEP_CRON: '*/5 * * * * *' }
  // Slow enough that the write is still in flight when the worker dies.
  sim.faults.latency(400)
  const first = await startServiceProcess(t, 'worker-1', 'worker', await serviceEnv(sim, env))
  const writesBefore = partnerWrites(sim).length
  await waitFor('the first redaction write to reach Odoo', () => partnerWrites(sim).length > writesBefore, { attempts: 300, intervalMs: 50 })
  first.kill('SIGKILL')
  const exit = await finished(first)
  t.equal(exit.code, null, 'killed, not exited')
  sim.faults.latency(0)

  const claimed = (await api.pool.query<{ id: string }>(`SELECT id FROM pgboss.job WHERE name = 'retention-redact' AND state = 'active'`)).rows.map((r) => r.id)
  t.ok(claimed.length > 0, `the dead worker left ${claimed.length} jobs claimed`)
  t.ok((await outstanding(api.pool)).length > 0, 'the batch was not finished')

  const second = await startServiceProcess(t, 'worker-2', 'worker', await serviceEnv(sim, env))
  // 15 minutes later, for the dead worker's claims only (see the note above).
  await api.pool.query(`UPDATE pgboss.job SET started_on = started_on - expire_seconds * interval '1 second' WHERE id = ANY($1::uuid[]) AND state = 'active'`, [claimed])

  // The first supervisor pass of the new worker comes 60 s after it started.
  await waitFor('every due contact to be redacted', async () => (await outstanding(api.pool)).length === 0, { attempts: 240, intervalMs: 500 })
  await waitFor('no redaction job running or ready', async () => (await pendingRedactionJobs(api.pool)) === 0, { attempts: 60, intervalMs: 250 })

  const redacted = (await api.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE redacted_at IS NOT NULL ORDER BY odoo_id')).rows.map((r) => r.odoo_id)
  t.same(redacted, due, 'every due contact is redacted in the mirror, and no other')
  t.ok(due.every((id) => sim.store.get('res.partner', id)?.name === REDACTED_NAME), 'and in Odoo')
  const audits = await redactionAuditCounts(api.pool)
  t.same([...audits.keys()].sort((a, b) => a - b), due, 'each has a partner.redacted audit entry')
  t.same([...audits.values()].filter((n) => n !== 1), [], 'exactly one')
  const retried = await api.pool.query<{ state: string; retry_count: number }>(`SELECT state, retry_count FROM pgboss.job WHERE id = ANY($1::uuid[])`, [claimed])
  t.ok(retried.rows.length === 0 || retried.rows.every((r) => r.state !== 'active'), 'the dead worker\'s claims were released')
  t.ok((await api.pool.query(`SELECT 1 FROM audit_log WHERE action = 'partner.redaction_failed'`)).rowCount === 0, 'no contact was recorded as failed')
  second.kill('SIGTERM')
  t.equal((await finished(second)).code, 0, 'the new worker shuts down cleanly')
})
