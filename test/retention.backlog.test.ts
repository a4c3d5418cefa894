import t from 'tap'
import type { Test } from 'tap'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import type { Json } from './support/json.ts'
import type { OdooSimulator } from './odoo-simulator/index.ts'
import type { Backlog } from '../src/retention/redaction-backlog.ts'
import type { RetentionReport } from '../src/retention/retention-report.ts'
import type { RequestView } from '../src/rights/request-view.ts'

const DAY = 86_400_000

type BacklogBody = Json<Backlog>

/** What approving the backlog answers, over HTTP and on the command line. */
interface BacklogApproved {
  approved: Record<string, number>
  queued: number
}

async function setUp(t: Test, approval: string, orders = 40): Promise<TestService & { sim: OdooSimulator }> {
  const clock = fixedClock(new Date())
  const sim = await simulator(t, { orders, now: () => clock.now() })
  const ctx = await startTestService(t, { odoo: sim, clock, env: { RETENTION_BACKLOG_APPROVAL: approval } })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  return { ...ctx, sim }
}

const waiting = async (ctx: TestService): Promise<number[]> =>
  (await ctx.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE backlog_since IS NOT NULL AND backlog_approved_at IS NULL AND redacted_at IS NULL ORDER BY odoo_id')).rows.map((r) => r.odoo_id)

const redactionJobs = async (ctx: TestService): Promise<number> =>
  (await ctx.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'retention-redact'")).rows[0]?.n ?? 0

const pastDue = async (ctx: TestService): Promise<number[]> =>
  (await ctx.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE retention_due_at <= $1 AND redacted_at IS NULL ORDER BY odoo_id', [ctx.clock.now()])).rows.map((r) => r.odoo_id)

/** One channel's figures in an answer: the test cannot go on without them. */
function channelOf<Figures extends { channel: string }>(channels: Figures[], channel: string): Figures {
  const found = channels.find((c) => c.channel === channel)
  if (!found) throw new Error(`no ${channel} channel in the answer`)
  return found
}

await t.test('by default, a first sync of an old shop redacts nothing: its past-due contacts wait for an admin, overdue', async (t) => {
  const ctx = await setUp(t, '25', 120)
  const due = await pastDue(ctx)
  t.ok(due.length > 25, `the shop has more than 25 contacts past due (${due.length})`)
  t.same(await waiting(ctx), due, 'every one of them waits in the backlog')
  t.equal(await ctx.service.sweep(), 0, 'the sweeper does not count them')
  t.equal(await redactionJobs(ctx), 0, 'and queues no redaction job')
  t.same((await ctx.service.redact(due)).redacted, [], 'a redaction job that reaches one anyway leaves it alone')

  const backlog = (await ctx.app.inject({ url: '/v1/retention/backlog', headers: ctx.auth.auditor })).json<BacklogBody>()
  t.equal(backlog.approval, 25)
  t.equal(backlog.channels.reduce((sum, c) => sum + c.contacts, 0), due.length)
  const amazon = channelOf(backlog.channels, 'amazon')
  t.match(amazon, { contacts: Number, since: String, oldestDueAt: String, rules: [{ policyVersion: 0, startedBy: 'shipped', contacts: Number }] })
  t.ok(amazon.sample.length > 0 && amazon.sample.length <= 5)
  t.match(amazon.sample[0]?.name, /^(\p{L}\.\s?)+$/u, 'names are masked')
  const body = JSON.stringify(backlog)
  for (const partner of ctx.sim.store.records('res.partner')) if (typeof partner.name === 'string' && partner.name.length > 3) t.notOk(body.includes(partner.name), 'no name in the answer')

  const report = (await ctx.app.inject({ url: '/v1/retention/report', headers: ctx.auth.auditor })).json<Json<RetentionReport>>()
  const amazonReport = channelOf(report.channels, 'amazon')
  t.ok(amazonReport.awaitingApproval > 0, 'the report shows the backlog')
  t.ok(amazonReport.overdue >= amazonReport.awaitingApproval, 'as overdue, which it is')
  const plan = await import('../src/retention/retention-report.ts').then((m) => m.planRedactions({ pool: ctx.pool, clock: ctx.clock }, ctx.clock.now()))
  t.ok(plan.filter((entry) => due.includes(entry.partnerId)).every((entry) => entry.blockedBy === 'awaiting_approval'), 'the plan says why nothing happens')
})

await t.test('only an admin approves, per channel or all; approval queues the contacts at once and is audited', async (t) => {
  const ctx = await setUp(t, '25', 120)
  t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/retention/backlog/approve', headers: ctx.auth.agent, payload: {} })).statusCode, 403)
  t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/retention/backlog/approve', headers: ctx.auth.admin, payload: { channels: ['amazonia'] } })).statusCode, 400)
  const before = (await ctx.app.inject({ url: '/v1/retention/backlog', headers: ctx.auth.admin })).json<BacklogBody>()
  const amazonCount = channelOf(before.channels, 'amazon').contacts

  const res = await ctx.app.inject({ method: 'POST', url: '/v1/retention/backlog/approve', headers: ctx.auth.admin, payload: { channels: ['amazon'] } })
  t.equal(res.statusCode, 200)
  t.same(res.json<BacklogApproved>().approved, { amazon: amazonCount })
  t.equal(res.json<BacklogApproved>().queued, amazonCount, 'the approved contacts are queued now')
  const after = (await ctx.app.inject({ url: '/v1/retention/backlog', headers: ctx.auth.admin })).json<BacklogBody>()
  t.notOk(after.channels.some((c) => c.channel === 'amazon'), 'amazon no longer waits')
  t.ok(after.channels.length > 0, 'the other channels still do')
  const audit = await ctx.service.audit.list({ action: 'retention.backlog_approved', limit: 5 })
  t.match(audit, [{ details: { approved: { amazon: amazonCount } } }])

  const all = await ctx.app.inject({ method: 'POST', url: '/v1/retention/backlog/approve', headers: ctx.auth.admin, payload: {} })
  t.equal(all.statusCode, 200)
  t.same(await waiting(ctx), [], 'nothing waits')
  t.ok((await redactionJobs(ctx)) > 0, 'redaction jobs are queued for them')
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  t.same(await waiting(ctx), [], 'a later sync does not put approved contacts back')
})

await t.test('under the threshold, or with approval off, past-due contacts are queued at once', async (t) => {
  for (const approval of ['1000', 'never']) {
    const ctx = await setUp(t, approval)
    t.same(await waiting(ctx), [], `${approval}: no backlog`)
    const due = await pastDue(ctx)
    t.equal(await ctx.service.sweep(), due.length, `${approval}: the sweeper finds every one due`)
  }
})

await t.test('contacts that come due in the normal course are redacted on time without approval', async (t) => {
  const ctx = await setUp(t, 'always')
  const future = (await ctx.pool.query<{ odoo_id: number; retention_due_at: Date }>("SELECT odoo_id, retention_due_at FROM mirror_partners WHERE retention_due_at > $1 AND NOT is_user AND NOT is_company_partner ORDER BY retention_due_at LIMIT 1", [ctx.clock.now()])).rows[0]
  t.ok(future, 'a contact due later')
  if (!future) return
  ctx.clock.set(new Date(future.retention_due_at.getTime() + 1000))
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  t.notOk((await waiting(ctx)).includes(future.odoo_id), 'it does not join the backlog once due')
  const report = await ctx.service.redact([future.odoo_id])
  t.same(report, { redacted: [future.odoo_id], wouldRedact: [], skipped: [], refused: [], failed: [] }, 'and is redacted')
})

await t.test('a shortened policy that makes contacts past due sends them to the backlog', async (t) => {
  const ctx = await setUp(t, 'always')
  await ctx.app.inject({ method: 'POST', url: '/v1/retention/backlog/approve', headers: ctx.auth.admin, payload: {} })
  const notYet = (await ctx.pool.query<{ odoo_id: number }>(
    `SELECT p.odoo_id FROM mirror_partners p WHERE p.retention_due_at > $1 AND p.retention_due_at < $2
        AND NOT EXISTS (SELECT 1 FROM mirror_orders o WHERE p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id) AND o.channel <> 'shopify')
        AND EXISTS (SELECT 1 FROM mirror_orders o WHERE o.partner_id = p.odoo_id)`,
    [ctx.clock.now(), new Date(ctx.clock.now().getTime() + 90 * DAY)]
  )).rows.map((r) => r.odoo_id)
  t.ok(notYet.length > 0, 'shopify contacts due within 90 days')
  const res = await ctx.app.inject({ method: 'PUT', url: '/v1/retention/policies/shopify', headers: ctx.auth.admin, payload: { clockEvent: 'order_date', periodDays: 0, fields: ['name', 'street', 'email', 'phone'] } })
  t.equal(res.statusCode, 200)
  const backlog = await waiting(ctx)
  t.ok(notYet.every((id) => backlog.includes(id)), 'they wait for approval')
  const described = (await ctx.app.inject({ url: '/v1/retention/backlog', headers: ctx.auth.admin })).json<BacklogBody>()
  t.match(channelOf(described.channels, 'shopify').rules, [{ policyVersion: 1, startedBy: 'order_date' }])
  t.same((await ctx.service.redact(notYet)).redacted, [], 'not redacted before approval')
})

await t.test('a contact in the backlog whose new order stops its clock leaves the backlog', async (t) => {
  const ctx = await setUp(t, 'always')
  const [first] = (await ctx.pool.query<{ odoo_id: number }>("SELECT p.odoo_id FROM mirror_partners p JOIN mirror_orders o ON o.partner_id = p.odoo_id WHERE p.backlog_since IS NOT NULL LIMIT 1")).rows
  if (!first) throw new Error('no contact with an order waits in the backlog')
  ctx.sim.store.create('sale.order', { partner_id: first.odoo_id, origin: 'Amazon', state: 'sale' })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  t.notOk((await waiting(ctx)).includes(first.odoo_id))
})

await t.test('a granted erasure is not held up by the backlog', async (t) => {
  const ctx = await setUp(t, 'always')
  const [row] = (await ctx.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE backlog_since IS NOT NULL AND email_index IS NOT NULL ORDER BY odoo_id LIMIT 1')).rows
  if (!row) throw new Error('no contact with an e-mail waits in the backlog')
  const email = ctx.sim.store.get('res.partner', row.odoo_id)?.email as string
  const created = (await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: { type: 'erasure', email } })).json<Json<RequestView>>()
  t.equal((await ctx.app.inject({ method: 'POST', url: `/v1/requests/${created.id}/verification/manual`, headers: ctx.auth.agent, payload: { evidence: 'Order number and address confirmed by phone' } })).statusCode, 200)
  const done = await ctx.app.inject({ method: 'POST', url: `/v1/requests/${created.id}/fulfilment`, headers: ctx.auth.agent, payload: {} })
  t.equal(done.statusCode, 200, done.body)
  t.ok((await ctx.pool.query<{ redacted_at: Date | null }>('SELECT redacted_at FROM mirror_partners WHERE odoo_id = $1', [row.odoo_id])).rows[0]?.redacted_at, 'erased')
})

await t.test('the sweeper warns about the waiting backlog and /metrics shows it per channel', async (t) => {
  const ctx = await setUp(t, 'always')
  const sweep = (await import('../src/retention/retention-jobs.ts')).sweepJob({ sweep: () => ctx.service.sweep(), backlog: ctx.service.backlog, cron: '* * * * *', log: ctx.service.log })
  await sweep.handle([])
  t.match(ctx.logs(), /redaction backlog is overdue and waits for an admin/)
  t.match(ctx.logs(), /"overdueAwaitingApproval":\{"amazon":\d+/)
  const metrics = (await ctx.app.inject({ url: '/metrics' })).body
  t.match(metrics, /redactions_awaiting_approval\{channel="amazon"\} [1-9]/)
})

await t.test('`retention backlog` shows the backlog without personal data and `--approve CHANNEL` approves it', async (t) => {
  const { runCli } = await import('./support/cli.ts')
  const { createTestDatabase } = await import('./support/database.ts')
  const { TEST_PII_KEY } = await import('./support/config.ts')
  const sim = await simulator(t, { orders: 60 })
  const env = { DATABASE_URL: await createTestDatabase(t), PII_ENCRYPTION_KEY: TEST_PII_KEY, ODOO_URL: sim.url, ODOO_DB: sim.db, ODOO_USERNAME: sim.login, ODOO_API_KEY: sim.apiKey, RETENTION_BACKLOG_APPROVAL: 'always', LOG_LEVEL: 'warn' }
  t.equal((await runCli(['sync', '--json'], env)).code, 0)
  const listed = await runCli(['retention', 'backlog', '--json'], env)
  t.equal(listed.code, 0, listed.stderr)
  const backlog = JSON.parse(listed.stdout) as BacklogBody
  const amazon = channelOf(backlog.channels, 'amazon')
  t.ok(amazon.contacts > 0)
  const text = await runCli(['retention', 'backlog'], env)
  t.match(text.stdout, /contacts wait for approval \(RETENTION_BACKLOG_APPROVAL=always\)/)
  t.match(text.stdout, /approve with: privacy-bridge retention backlog --approve/)
  for (const partner of sim.store.records('res.partner')) for (const value of [partner.email, partner.name]) if (typeof value === 'string' && value.length > 3) t.notOk(text.stdout.includes(value) || listed.stdout.includes(value), 'no personal data printed')
  t.equal((await runCli(['retention', 'backlog', '--approve', 'amazonia'], env)).code, 2, 'an unknown channel is a usage error')
  const approved = await runCli(['retention', 'backlog', '--approve', 'amazon', '--json'], env)
  t.equal(approved.code, 0, approved.stderr)
  t.same((JSON.parse(approved.stdout) as BacklogApproved).approved, { amazon: amazon.contacts })
  const after = JSON.parse((await runCli(['retention', 'backlog', '--json'], env)).stdout) as BacklogBody
  t.notOk(after.channels.some((c) => c.channel === 'amazon'))
})
