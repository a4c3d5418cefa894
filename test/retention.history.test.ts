import t from 'tap'
import type { Test } from 'tap'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import type { Json } from './support/json.ts'
import { capturedLogger } from './support/logs.ts'
import { takeRetentionSnapshot } from '../src/retention/retention-history.ts'
import type { RetentionHistory } from '../src/retention/retention-history.ts'
import type { RetentionReport } from '../src/retention/retention-report.ts'
import { RETENTION_SNAPSHOT_QUEUE, retentionSnapshotJob } from '../src/retention/retention-snapshot.job.ts'
import type { Problem } from '../src/http/schemas/problem.ts'

// Far enough after the simulated orders that many contacts are overdue, on a known UTC day.
const LATER = '2027-12-20T08:00:00Z'

async function setUp(t: Test): Promise<TestService> {
  const clock = fixedClock('2026-11-23T10:00:00Z')
  const sim = await simulator(t, { orders: 40, now: () => clock.now() })
  const ctx = await startTestService(t, { odoo: sim, clock })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  clock.set(LATER)
  return ctx
}

async function history(ctx: TestService, query = '', role: 'admin' | 'auditor' = 'auditor'): Promise<Json<RetentionHistory>> {
  const res = await ctx.app.inject({ url: `/v1/retention/history${query}`, headers: ctx.auth[role] })
  if (res.statusCode !== 200) throw new Error(`history answered ${res.statusCode}: ${res.body}`)
  return res.json<Json<RetentionHistory>>()
}

async function report(ctx: TestService): Promise<Json<RetentionReport>> {
  return (await ctx.app.inject({ url: '/v1/retention/report', headers: ctx.auth.admin })).json<Json<RetentionReport>>()
}

async function snapshotRows(ctx: TestService): Promise<number> {
  return (await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM retention_snapshots')).rows[0]?.n ?? 0
}

await t.test("the daily snapshot holds the report's figures of that moment, and a second run the same day replaces them", async (t) => {
  const ctx = await setUp(t)
  const job = retentionSnapshotJob({ snapshot: () => takeRetentionSnapshot(ctx.service), cron: '55 23 * * *', log: capturedLogger().log })
  await job.handle([])
  const before = await report(ctx)
  t.ok(before.channels.some((channel) => channel.overdue > 0), 'contacts are overdue')
  t.same((await history(ctx)).days, [{ day: '2027-12-20', takenAt: before.asOf, channels: before.channels }], "the day's row is the report")

  const overdueIds = (await ctx.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE redacted_at IS NULL AND retention_due_at <= $1', [ctx.clock.now()])).rows.map((row) => row.odoo_id)
  await ctx.service.redact(overdueIds)
  ctx.clock.advance(3 * 3_600_000)
  await job.handle([])
  const after = await report(ctx)
  t.ok(after.channels.some((channel, i) => channel.redacted > (before.channels[i]?.redacted ?? 0)), 'the redactions changed the figures')
  t.same((await history(ctx)).days, [{ day: '2027-12-20', takenAt: after.asOf, channels: after.channels }], 'the later run replaced the day')
  t.equal(await snapshotRows(ctx), 7, 'one row per channel for the day, however often it runs')
})

await t.test('a snapshot taken earlier that finishes late never replaces a newer one', async (t) => {
  const ctx = await setUp(t)
  await takeRetentionSnapshot(ctx.service)
  const newer = (await history(ctx)).days[0]?.takenAt
  ctx.clock.advance(-3_600_000)
  await takeRetentionSnapshot(ctx.service)
  t.equal((await history(ctx)).days[0]?.takenAt, newer)
})

await t.test('the history lists the days of the range that have a snapshot, oldest first; the default is the last 30 days', async (t) => {
  const ctx = await setUp(t)
  for (const day of ['2027-10-01', '2027-12-18', '2027-12-20']) {
    ctx.clock.set(`${day}T23:55:00Z`)
    await takeRetentionSnapshot(ctx.service)
  }
  ctx.clock.set(LATER)
  t.same((await history(ctx)).days.map((entry) => entry.day), ['2027-12-18', '2027-12-20'], 'up to today, 30 days back; the 19th had no snapshot')
  const range = await history(ctx, '?from=2027-09-01&to=2027-12-19', 'admin')
  t.match(range, { from: '2027-09-01', to: '2027-12-19' })
  t.same(range.days.map((entry) => entry.day), ['2027-10-01', '2027-12-18'])
  t.same(range.days[0]?.channels.map((channel) => channel.channel), ['amazon', 'tiktok_shop', 'etsy', 'shopify', 'ebay', 'bol', 'other'], "channels in the report's order")
  t.same((await history(ctx, '?from=2027-12-19&to=2027-12-19')).days, [])
  t.same((await history(ctx, '?from=2027-12-20')).days.map((entry) => entry.day), ['2027-12-20'], '`from` alone runs to today')
})

await t.test('admins and auditors read the history; agents may not, nor callers without a key', async (t) => {
  const ctx = await setUp(t)
  t.equal((await ctx.app.inject({ url: '/v1/retention/history', headers: ctx.auth.admin })).statusCode, 200)
  t.equal((await ctx.app.inject({ url: '/v1/retention/history', headers: ctx.auth.auditor })).statusCode, 200)
  t.equal((await ctx.app.inject({ url: '/v1/retention/history', headers: ctx.auth.agent })).statusCode, 403)
  t.equal((await ctx.app.inject({ url: '/v1/retention/history' })).statusCode, 401)
})

await t.test('a range that is not two ISO dates in order, or is longer than two years, is 400', async (t) => {
  const ctx = await setUp(t)
  const cases: [string, RegExp][] = [
    ['?from=2027-02-29', /querystring\.from/],
    ['?to=20.12.2027', /querystring\.to/],
    ['?from=yesterday', /querystring\.from/],
    ['?from=2027-12-21&to=2027-12-20', /`from` must be on or before `to`/],
    ['?from=2027-12-21', /`from` must be on or before `to`/],
    ['?from=2025-12-19&to=2027-12-20', /At most 731 days/]
  ]
  for (const [query, reason] of cases) {
    const res = await ctx.app.inject({ url: `/v1/retention/history${query}`, headers: ctx.auth.admin })
    t.equal(res.statusCode, 400, query)
    const problem = res.json<Problem>()
    t.equal(problem.type, 'urn:problem:validation', query)
    t.match(JSON.stringify(problem), reason, query)
  }
  t.equal((await ctx.app.inject({ url: '/v1/retention/history?from=2025-12-20&to=2027-12-20', headers: ctx.auth.admin })).statusCode, 200, '731 days is allowed')
})

await t.test('a worker schedules the snapshot with RETENTION_SNAPSHOT_CRON', async (t) => {
  const ctx = await startTestService(t, { role: 'worker', env: { RETENTION_SNAPSHOT_CRON: '5 0 * * *' } })
  const schedules = await ctx.service.jobs.boss.getSchedules(RETENTION_SNAPSHOT_QUEUE)
  t.match(schedules, [{ name: RETENTION_SNAPSHOT_QUEUE, cron: '5 0 * * *' }])
})
