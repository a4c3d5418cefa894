import t from 'tap'
import { startTestService } from '../support/app.ts'
import { simulator } from '../support/simulator.ts'
import { finished } from '../support/cli.ts'
import {
  customerContacts, makeDue, outstanding, partnerWrites, pendingRedactionJobs, realClock, redactionAuditCounts, serviceEnv, startServiceProcess
} from '../support/reliability-harness.ts'
import { until } from '../support/until.ts'
import { REDACTED_NAME } from '../../src/mirror/odoo-records.ts'

// How pg-boss gets a dead worker's jobs back: the redaction queue has a heartbeat (20 s), which a
// live worker refreshes every 10 s while its job runs batches. The contacts a dead job had claimed
// stay claimed by it (other jobs skip them until the lease runs out); its retry, same job id, takes
// them back. The dead worker's stops, and the next
// monitor pass of a live worker (every 15 s) fails its jobs into `retry`, well before their
// 15-minute expiry; they run again after the queue's retry delay (10-20 s on the first retry).
// The sweeper stays off, so the jobs that finish are the dead worker's own, retried.

await t.test('a worker killed with SIGKILL in the middle of a redaction batch: after restart every due contact is redacted once, with one audit entry each', async (t) => {
  const sim = await simulator(t, { orders: 60 })
  const api = await startTestService(t, { odoo: sim, role: 'api', clock: realClock() })
  await api.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  // Only the contacts this test makes due: no job is ready before the worker starts.
  await api.pool.query(`UPDATE mirror_partners SET retention_due_at = now() + interval '1 year' WHERE retention_due_at <= now()`)
  const due = await customerContacts(api.pool, 30)
  await makeDue(api.pool, due)
  t.equal(await api.service.sweep(), due.length, `${due.length} contacts queued`)

  // As in a database deployed before the queue had a heartbeat: the worker's start-up adds it.
  await api.pool.query(`UPDATE pgboss.queue SET heartbeat_seconds = NULL WHERE name = 'retention-redact'`)
  await api.pool.query(`UPDATE pgboss.job SET heartbeat_seconds = NULL WHERE name = 'retention-redact'`)

  const env = { DATABASE_URL: api.databaseUrl, REDACTION_BATCH_SIZE: '10' }
  // Slow enough that the write is still in flight when the worker dies.
  sim.faults.latency(400)
  const first = await startServiceProcess(t, 'worker-1', 'worker', await serviceEnv(sim, env))
  const writesBefore = partnerWrites(sim).length
  await until(() => partnerWrites(sim).length > writesBefore, { what: 'the first redaction write to reach Odoo', timeoutMs: 15_000, intervalMs: 50 })
  first.kill('SIGKILL')
  const killedAt = performance.now()
  const exit = await finished(first)
  t.equal(exit.code, null, 'killed, not exited')
  sim.faults.latency(0)

  const claims = (await api.pool.query<{ id: string; heartbeat_seconds: number | null }>(`SELECT id, heartbeat_seconds FROM pgboss.job WHERE name = 'retention-redact' AND state = 'active'`)).rows
  const claimed = claims.map((r) => r.id)
  t.ok(claimed.length > 0, `the dead worker left ${claimed.length} jobs claimed`)
  t.same(claims.filter((r) => r.heartbeat_seconds !== 20), [], 'with a heartbeat, given to the queued jobs at the worker\'s start-up')
  t.ok((await outstanding(api.pool)).length > 0, 'the batch was not finished')

  const second = await startServiceProcess(t, 'worker-2', 'worker', await serviceEnv(sim, env))
  const claimStates = async () =>
    (await api.pool.query<{ state: string; retry_count: number; output: { value?: { message?: string } } | null }>(`SELECT state, retry_count, output FROM pgboss.job WHERE id = ANY($1::uuid[])`, [claimed])).rows
  // The retry waits 30 s at least, so the `retry` state is there to be seen.
  const released = await until(async () => {
    const rows = await claimStates()
    return rows.length === claimed.length && rows.every((r) => r.state === 'retry') ? rows : undefined
  }, { what: 'the dead worker\'s claims to be failed by their missed heartbeat', timeoutMs: 120_000, intervalMs: 250 })
  t.same(released.filter((r) => r.output?.value?.message !== 'job heartbeat timeout'), [], 'failed as a missed heartbeat, not as an expiry')
  t.comment(`claims failed into retry ${Math.round((performance.now() - killedAt) / 1000)} s after the kill`)

  await until(async () => (await outstanding(api.pool)).length === 0, { what: 'every due contact to be redacted', timeoutMs: 240_000, intervalMs: 500 })
  t.comment(`every contact redacted ${Math.round((performance.now() - killedAt) / 1000)} s after the kill`)
  await until(async () => (await pendingRedactionJobs(api.pool)) === 0, { what: 'no redaction job running or ready', timeoutMs: 15_000, intervalMs: 250 })

  const redacted = (await api.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE redacted_at IS NOT NULL ORDER BY odoo_id')).rows.map((r) => r.odoo_id)
  t.same(redacted, due, 'every due contact is redacted in the mirror, and no other')
  t.ok(due.every((id) => sim.store.get('res.partner', id)?.name === REDACTED_NAME), 'and in Odoo')
  const audits = await redactionAuditCounts(api.pool)
  t.same([...audits.keys()].sort((a, b) => a - b), due, 'each has a partner.redacted audit entry')
  t.same([...audits.values()].filter((n) => n !== 1), [], 'exactly one')
  t.same((await claimStates()).map((r) => [r.state, r.retry_count]), claimed.map(() => ['completed', 1]), 'the dead worker\'s jobs were retried once and completed by the new worker')
  t.ok((await api.pool.query(`SELECT 1 FROM audit_log WHERE action = 'partner.redaction_failed'`)).rowCount === 0, 'no contact was recorded as failed')
  second.kill('SIGTERM')
  t.equal((await finished(second)).code, 0, 'the new worker shuts down cleanly')
})
