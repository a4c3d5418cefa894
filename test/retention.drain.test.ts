import t from 'tap'
import type { Test } from 'tap'
import { inTransaction } from '../src/db/database.ts'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import { customerContacts, makeDue, partnerWrites, repeated } from './support/reliability-harness.ts'
import { sentCode } from './support/rights.ts'
import type { OdooSimulator } from './odoo-simulator/index.ts'
import { REDACTED_NAME } from '../src/mirror/odoo-records.ts'
import { claimRedactionBatch } from '../src/mirror/partner-store.ts'
import { isHeld } from '../src/retention/holds.ts'
import { drainDueContacts, REDACTION_CLAIM_LEASE_MS } from '../src/retention/redaction-drain.ts'
import type { DrainOutcome } from '../src/retention/redaction-drain.ts'
import { REDACT_QUEUE } from '../src/retention/retention-jobs.ts'

// Redaction jobs claim due contacts from the mirror in batches (issue #18). These tests run the
// drains directly, in an API process that works no jobs, so that nothing else redacts meanwhile.

type Ctx = TestService & { sim: OdooSimulator }

const BATCH = 5

async function setUp(t: Test, env: Record<string, string> = {}): Promise<Ctx> {
  // Odoo's clock and the service's are the same clock, moved by the test.
  const clock = fixedClock(new Date())
  const sim = await simulator(t, { orders: 60, now: () => clock.now() })
  const ctx = await startTestService(t, { odoo: sim, clock, role: 'api', env: { REDACTION_BATCH_SIZE: String(BATCH), RETENTION_BACKLOG_APPROVAL: 'never', ...env } })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  // Only what each test makes due is due.
  await ctx.pool.query(`UPDATE mirror_partners SET retention_due_at = $1::timestamptz + interval '10 years' WHERE retention_due_at IS NOT NULL`, [clock.now()])
  return { ...ctx, sim }
}

/** Makes these contacts due a day before the test's clock. */
async function dueNow(ctx: Ctx, ids: readonly number[]): Promise<void> {
  await makeDue(ctx.pool, ids)
  await ctx.pool.query(`UPDATE mirror_partners SET retention_due_at = $2::timestamptz - interval '1 day' WHERE odoo_id = ANY($1::int[])`, [ids, ctx.clock.now()])
}

function drain(ctx: Ctx, claim: string, options: { dryRun?: boolean; afterBatch?: () => Promise<unknown> } = {}): Promise<DrainOutcome> {
  return drainDueContacts({ ...ctx.service, dryRun: options.dryRun ?? false, batchSize: BATCH, afterBatch: options.afterBatch ?? (() => Promise.resolve()) }, claim)
}

const redactedIds = async (ctx: Ctx): Promise<number[]> =>
  (await ctx.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE redacted_at IS NOT NULL ORDER BY odoo_id')).rows.map((r) => r.odoo_id)

const redactionJobs = async (ctx: Ctx): Promise<string[]> =>
  (await ctx.pool.query<{ singleton_key: string }>('SELECT singleton_key FROM pgboss.job WHERE name = $1 ORDER BY singleton_key', [REDACT_QUEUE])).rows.map((r) => r.singleton_key)

await t.test('two drains running at once never take the same contact: each due contact is written to Odoo once', async (t) => {
  const ctx = await setUp(t)
  const due = await customerContacts(ctx.pool, 30)
  await dueNow(ctx, due)
  // Each Odoo answer takes a while, so both drains are mid-batch at the same time.
  ctx.sim.faults.latency(15)
  const [a, b] = await Promise.all([drain(ctx, 'job-a'), drain(ctx, 'job-b')])
  t.ok(a.batches > 0 && b.batches > 0, `both took part (${a.batches} and ${b.batches} batches)`)
  t.equal(a.redacted + b.redacted, due.length, 'together they redacted every due contact')
  t.same(await redactedIds(ctx), due)
  t.same(repeated(partnerWrites(ctx.sim)), [], 'no contact was written twice')
  t.ok(due.every((id) => ctx.sim.store.get('res.partner', id)?.name === REDACTED_NAME), 'all redacted in Odoo')
  t.equal((await ctx.pool.query('SELECT 1 FROM mirror_partners WHERE redaction_claim IS NOT NULL')).rowCount, 0, 'no claim is left behind')
})

await t.test('a drain takes batch after batch until nothing is due', async (t) => {
  const ctx = await setUp(t)
  const due = await customerContacts(ctx.pool, 4 * BATCH + 2)
  await dueNow(ctx, due)
  let published = 0
  const outcome = await drain(ctx, 'job-1', { afterBatch: () => Promise.resolve(published++) })
  t.match(outcome, { batches: 5, redacted: due.length, outOfTime: false }, 'one job, five batches')
  t.same(await redactedIds(ctx), due)
  t.equal(published, 2, 'the audit head is published after the first batch and after the last, not after each (it counts the whole trail)')
  t.same(await drain(ctx, 'job-2', { afterBatch: () => Promise.resolve(published++) }), { batches: 0, redacted: 0, wouldRedact: 0, skipped: 0, refused: 0, failed: 0, outOfTime: false }, 'a later job finds nothing')
  t.equal(published, 2, 'and publishes nothing')
})

await t.test("a dead job's claim is taken over once its lease has run out, not before", async (t) => {
  const ctx = await setUp(t)
  const due = await customerContacts(ctx.pool, 3)
  await dueNow(ctx, due)
  const now = ctx.clock.now()
  const dead = await claimRedactionBatch(ctx.pool, { claim: 'dead-job', now, leaseStart: new Date(now.getTime() - REDACTION_CLAIM_LEASE_MS), dryRun: false, limit: BATCH, held: isHeld, exclude: [] })
  t.same(dead.map((row) => row.odoo_id), due, 'the dead job had claimed them')
  t.match(await drain(ctx, 'job-2'), { batches: 0 }, 'another job leaves them alone while the lease runs')
  t.same(partnerWrites(ctx.sim), [])
  ctx.clock.advance(REDACTION_CLAIM_LEASE_MS + 1000)
  t.match(await drain(ctx, 'job-2'), { batches: 1, redacted: due.length }, 'and takes them over after it')
  t.same(await redactedIds(ctx), due)
})

await t.test("a retried job takes its own claims back at once", async (t) => {
  const ctx = await setUp(t)
  const due = await customerContacts(ctx.pool, 3)
  await dueNow(ctx, due)
  ctx.sim.faults.failNext({ status: 502, times: 1_000, match: { model: 'res.partner', method: 'write' } })
  await t.rejects(drain(ctx, 'job-1'), 'Odoo down: the job fails, for pg-boss to retry it')
  t.equal((await ctx.pool.query("SELECT 1 FROM mirror_partners WHERE redaction_claim = 'job-1'")).rowCount, due.length, 'its claims stay')
  ctx.sim.faults.clear()
  t.match(await drain(ctx, 'job-other'), { batches: 0 }, 'no other job takes them')
  t.match(await drain(ctx, 'job-1'), { redacted: due.length }, 'the retry (same job id) does')
})

await t.test('held contacts, the backlog and contacts with a recorded failure are neither claimed nor counted', async (t) => {
  const ctx = await setUp(t)
  const [held, waiting, failed, free] = await customerContacts(ctx.pool, 4)
  if (free === undefined || held === undefined || waiting === undefined || failed === undefined) throw new Error('four customers needed')
  await dueNow(ctx, [held, waiting, failed, free])
  const hold = await ctx.app.inject({ method: 'POST', url: '/v1/holds', headers: ctx.auth.admin, payload: { subjectType: 'partner', partnerId: held, reason: 'Open chargeback dispute' } })
  t.equal(hold.statusCode, 201)
  await ctx.pool.query('UPDATE mirror_partners SET backlog_since = now() WHERE odoo_id = $1', [waiting])
  await ctx.pool.query(`UPDATE mirror_partners SET redaction_failure = '{"kind":"verification"}' WHERE odoo_id = $1`, [failed])
  t.equal(await ctx.service.sweep(), 1, 'the sweeper counts the free one only')
  t.match(await drain(ctx, 'job-1'), { batches: 1, redacted: 1 })
  t.same(await redactedIds(ctx), [free])
  t.same(partnerWrites(ctx.sim), [free], 'Odoo saw no other')
})

await t.test('in a dry run, a drain simulates each due contact once and writes nothing to Odoo', async (t) => {
  const ctx = await setUp(t, { RETENTION_MODE: 'dry-run' })
  const due = await customerContacts(ctx.pool, 7)
  await dueNow(ctx, due)
  t.equal(await ctx.service.sweep(), due.length)
  t.match(await drain(ctx, 'job-1', { dryRun: true }), { batches: 2, wouldRedact: due.length, redacted: 0 })
  t.same(partnerWrites(ctx.sim), [], 'no write')
  t.same(await redactedIds(ctx), [])
  t.equal(await ctx.service.sweep(), 0, 'simulated contacts are not due again')
  t.match(await drain(ctx, 'job-2', { dryRun: true }), { batches: 0 })
})

await t.test('the sweeper queues nothing when nothing is due, and one job per batch (at most 16) when contacts are, without piling up', async (t) => {
  const ctx = await setUp(t)
  t.equal(await ctx.service.sweep(), 0)
  t.same(await redactionJobs(ctx), [], 'no job')
  const due = await customerContacts(ctx.pool, 2 * BATCH + 1)
  await dueNow(ctx, due)
  t.equal(await ctx.service.sweep(), due.length, 'the sweep reports the contacts due')
  t.same(await redactionJobs(ctx), ['drain:0', 'drain:1', 'drain:2'], 'one job per batch, naming no contact')
  t.equal(await ctx.service.sweep(), due.length)
  t.same(await redactionJobs(ctx), ['drain:0', 'drain:1', 'drain:2'], 'a repeated sweep adds none')
})

await t.test('an erasure that Odoo interrupts is finished by a redaction job, audited with the request', async (t) => {
  const ctx = await setUp(t)
  const [subject] = (await ctx.pool.query<{ odoo_id: number }>(
    `SELECT p.odoo_id FROM mirror_partners p WHERE p.type = 'contact' AND p.email_index IS NOT NULL AND NOT p.is_user AND NOT p.is_company_partner AND p.parent_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM mirror_partners c WHERE c.parent_id = p.odoo_id)
        AND NOT EXISTS (SELECT 1 FROM mirror_orders o WHERE p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id) AND o.state <> 'cancel' AND o.completed_at IS NULL)
      ORDER BY p.odoo_id LIMIT 1`
  )).rows
  if (!subject) throw new Error('no finished customer in the generated data')
  const email = String(ctx.sim.store.get('res.partner', subject.odoo_id)?.email)
  const created = await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: { type: 'erasure', email } })
  const requestId = created.json<{ id: string }>().id
  await ctx.app.inject({ method: 'POST', url: `/v1/requests/${requestId}/verification`, headers: ctx.auth.agent })
  await ctx.app.inject({ method: 'POST', url: `/v1/requests/${requestId}/verification/confirm`, headers: ctx.auth.agent, payload: { code: await sentCode(ctx, requestId) } })

  ctx.sim.faults.failNext({ status: 502, times: 1_000, match: { model: 'res.partner', method: 'write' } })
  const interrupted = await ctx.app.inject({ method: 'POST', url: `/v1/requests/${requestId}/fulfilment`, headers: ctx.auth.agent, payload: {} })
  t.ok(interrupted.statusCode >= 500, `Odoo down: the fulfilment fails (${interrupted.statusCode})`)
  t.not(ctx.sim.store.get('res.partner', subject.odoo_id)?.name, REDACTED_NAME, 'not redacted yet')
  ctx.sim.faults.clear()
  const dueBefore = (await ctx.pool.query<{ due: Date }>('SELECT retention_due_at AS due FROM mirror_partners WHERE odoo_id = $1', [subject.odoo_id])).rows[0]?.due
  await inTransaction(ctx.pool, (db) => ctx.service.planner.partnersChanged(db, [subject.odoo_id]))
  t.same((await ctx.pool.query<{ due: Date }>('SELECT retention_due_at AS due FROM mirror_partners WHERE odoo_id = $1', [subject.odoo_id])).rows[0]?.due, dueBefore, 'a recomputation from its orders (a sync) leaves the erasure\'s due date')

  t.ok((await ctx.service.sweep()) >= 1, 'the sweeper finds the contact due')
  t.match(await drain(ctx, 'job-1'), { redacted: Number })
  t.equal(ctx.sim.store.get('res.partner', subject.odoo_id)?.name, REDACTED_NAME, 'a redaction job finished it')
  const [entry] = await ctx.service.audit.list({ action: 'partner.redacted', subjectId: String(subject.odoo_id), limit: 1 })
  t.equal(entry?.details.requestId, requestId, 'audited with the erasure request, not a retention rule')
  t.notOk(entry?.details.basis, 'and no rule')
})
