import t from 'tap'
import type { Test } from 'tap'
import { pino } from 'pino'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import type { Json } from './support/json.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import { runCli } from './support/cli.ts'
import { TEST_PII_KEY } from './support/config.ts'
import type { OdooSimulator, SimulatedUser, Version } from './odoo-simulator/index.ts'
import { REDACTED_NAME } from '../src/mirror/odoo-records.ts'
import { checkOdooConnection } from '../src/odoo/connection-check.ts'
import { createOdooGateway } from '../src/odoo/gateway.ts'
import { setUpOdoo } from '../src/odoo/odoo-setup.ts'
import { RedactionBlockedError } from '../src/retention/redaction-block.ts'
import { redactJob } from '../src/retention/retention-jobs.ts'
import { drainDueContacts } from '../src/retention/redaction-drain.ts'
import { planRedactions } from '../src/retention/retention-report.ts'
import type { RedactJobPayload } from '../src/retention/retention-jobs.ts'
import type { Job } from 'pg-boss'
import type { z } from 'zod'
import type { readinessSchema } from '../src/http/routes/health.ts'
import type { RetentionReport } from '../src/retention/retention-report.ts'
import type { RequestView } from '../src/rights/request-view.ts'

const DAY = 86_400_000
const TOKEN = 'test-webhook-token-0123456789abcdef'
/** What the README once said was enough: it writes contacts, but Odoo keeps tracking values for Settings. */
const DOCUMENTED_GROUPS = ['sales_team.group_sale_salesman_all_leads', 'stock.group_stock_user', 'base.group_partner_manager'] as const

type Ctx = TestService & { sim: OdooSimulator; user: SimulatedUser }

/** The service logging in to Odoo as `user`, never as the admin; Odoo and the service share one clock. */
async function serviceAs(t: Test, version: Version, pick: (sim: OdooSimulator) => SimulatedUser, env: Record<string, string> = {}): Promise<Ctx> {
  const clock = fixedClock(new Date())
  const sim = await simulator(t, { version, orders: 40, now: () => clock.now() })
  const user = pick(sim)
  const ctx = await startTestService(t, { odoo: sim, clock, role: 'all', env: { ODOO_USERNAME: user.login, ODOO_API_KEY: user.apiKey, ...env } })
  return { ...ctx, sim, user }
}

/** `odoo setup` as the admin would run it, with the admin's key in a gateway of its own. */
async function setUp(ctx: Ctx, publicUrl?: string) {
  const admin = createOdooGateway({ url: ctx.sim.url, db: ctx.sim.db, username: ctx.sim.login, secret: ctx.sim.apiKey, protocol: 'auto', timeoutMs: 5_000, maxConcurrency: 2, retries: 0, retryBaseMs: 10 }, { log: pino({ level: 'silent' }) })
  try {
    return await setUpOdoo(admin, { serviceLogin: ctx.user.login, webhook: { publicUrl, token: TOKEN }, mode: 'apply', remove: false })
  } finally {
    await admin.close()
  }
}

/** A customer whose orders are all due at some time, moved past it; its chatter holds an old phone number. */
async function dueCustomer(ctx: Ctx): Promise<number> {
  const row = (
    await ctx.pool.query<{ odoo_id: number; retention_due_at: Date }>(
      `SELECT odoo_id, retention_due_at FROM mirror_partners WHERE retention_due_at IS NOT NULL AND type = 'contact' AND NOT is_user AND NOT is_company_partner ORDER BY retention_due_at DESC, odoo_id LIMIT 1`
    )
  ).rows[0]
  if (!row) throw new Error('no contact with a due date')
  ctx.clock.set(new Date(row.retention_due_at.getTime() + DAY))
  ctx.sim.store.update('res.partner', row.odoo_id, { phone: '+49 30 5550100' })
  return row.odoo_id
}

const trackingOf = (sim: OdooSimulator, partnerId: number) =>
  sim.store.records('mail.tracking.value').filter((value) => {
    const message = sim.store.get('mail.message', value.mail_message_id as number)
    return message?.model === 'res.partner' && message.res_id === partnerId
  })

const readiness = async (ctx: Ctx) => (await ctx.app.inject({ url: '/health/ready' })).json<z.infer<typeof readinessSchema>>()

await t.test('without setup, a user with the groups the README once listed syncs, but redaction refuses to start and says why', async (t) => {
  const ctx = await serviceAs(t, 18, (sim) => sim.createUser('privacy-bot', DOCUMENTED_GROUPS))
  const check = await checkOdooConnection(ctx.service.odoo)
  t.same(check.rights.filter((right) => !right.granted).map((right) => `${right.operation} ${right.model}`), ['read mail.tracking.value', 'unlink mail.tracking.value'])
  t.match(await readiness(ctx), { status: 'degraded', checks: { database: { status: 'up' }, odoo: { status: 'degraded' } } })

  t.match(await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' }), { state: 'succeeded' })
  const id = await dueCustomer(ctx)
  const writesBefore = ctx.sim.calls.filter((call) => call.model === 'res.partner' && call.method === 'write').length
  await t.rejects(ctx.service.redact([id]), RedactionBlockedError)
  t.equal(ctx.sim.calls.filter((call) => call.model === 'res.partner' && call.method === 'write').length, writesBefore, 'Odoo was not written: no half-redacted contact')
  t.not(ctx.sim.store.get('res.partner', id)?.name, REDACTED_NAME)
  const contact = (await ctx.pool.query<{ redacted_at: Date | null; redaction_failure: unknown }>('SELECT redacted_at, redaction_failure FROM mirror_partners WHERE odoo_id = $1', [id])).rows[0]
  t.same(contact, { redacted_at: null, redaction_failure: null }, 'the contact stays due, with no failure that would need an admin')

  const report = (await ctx.app.inject({ url: '/v1/retention/report', headers: ctx.auth.admin })).json<Json<RetentionReport>>()
  t.match(report.blockedBy, { reason: 'odoo_rights_missing', missingRights: ['read mail.tracking.value', 'unlink mail.tracking.value'], since: String })
  t.ok(report.channels.some((channel) => channel.overdue > 0), 'the contact counts as overdue')
  t.match(await planRedactions(ctx.service, ctx.clock.now()), [{ partnerId: Number, blockedBy: 'odoo_rights_missing' }], '`retention plan` says why too')

  // The job ends instead of burning its retries: the sweeper queues the contact again later.
  const logged: string[] = []
  const log = pino({ level: 'warn' }, { write: (line: string) => void logged.push(line) })
  const job = redactJob({
    drain: (claim) => drainDueContacts({ ...ctx.service, log, dryRun: false, batchSize: 10, afterBatch: () => Promise.resolve() }, claim),
    queueSuccessor: () => Promise.resolve(),
    concurrency: 1,
    log
  })
  await job.handle([{ id: 'job-1', data: { v: 2, slot: 0 } } as Job<RedactJobPayload>])
  const claims = await ctx.pool.query('SELECT odoo_id FROM mirror_partners WHERE redaction_claim IS NOT NULL')
  t.equal(claims.rowCount, 0, 'and releases its claims, so that the next sweep\'s jobs take the contacts')
  t.match(logged.join(''), /"missingRights":\["read mail.tracking.value","unlink mail.tracking.value"\].*redaction blocked/)

  await setUp(ctx)
  const done = await ctx.service.redact([id])
  t.same(done.redacted, [id], 'once the rights are granted, redaction goes on')
  t.same(trackingOf(ctx.sim, id), [], 'and the old phone is gone from the chatter')
  t.equal((await ctx.app.inject({ url: '/v1/retention/report', headers: ctx.auth.admin })).json<Json<RetentionReport>>().blockedBy, null)
})

await t.test('without setup, `odoo check` exits 1 and names mail.tracking.value and what it breaks', async (t) => {
  const sim = await simulator(t, { version: 17, orders: 5 })
  const user = sim.createUser('privacy-bot', DOCUMENTED_GROUPS)
  const env = { PII_ENCRYPTION_KEY: TEST_PII_KEY, ODOO_URL: sim.url, ODOO_DB: sim.db, ODOO_USERNAME: user.login, ODOO_API_KEY: user.apiKey }
  const result = await runCli(['odoo', 'check'], env)
  t.equal(result.code, 1, result.stderr)
  t.match(result.stdout, /MISSING read\s+mail\.tracking\.value\s+breaks redaction/)
  t.match(result.stdout, /MISSING unlink mail\.tracking\.value\s+breaks redaction/)
  t.match(result.stdout, /ok\s+write\s+res\.partner/)
  t.match(result.stdout, /Odoo connection NOT OK$/m)
})

for (const version of [17, 19] as const) {
  await t.test(`Odoo ${version}: after setup the whole service runs as a user with only the Privacy Bridge group`, async (t) => {
    const ctx = await serviceAs(t, version, (sim) => sim.limitedUser, { ODOO_WEBHOOK_TOKEN: TOKEN })
    await ctx.app.listen({ host: '127.0.0.1', port: 0 })
    const address = ctx.app.server.address()
    if (!address || typeof address === 'string') throw new Error('the service does not listen')
    const setup = await setUp(ctx, `http://127.0.0.1:${address.port}`)
    t.ok(setup.changes.length > 0)

    t.match(await checkOdooConnection(ctx.service.odoo), { ok: true, user: { login: ctx.user.login } })
    t.match(await readiness(ctx), { status: 'ready' })
    t.match(await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' }), { state: 'succeeded', failed: 0 })

    const id = await dueCustomer(ctx)
    t.ok(trackingOf(ctx.sim, id).length > 0, 'the chatter holds the old phone number')
    const done = await ctx.service.redact([id])
    t.same([done.redacted, done.failed], [[id], []])
    t.equal(ctx.sim.store.get('res.partner', id)?.name, REDACTED_NAME)
    t.same(trackingOf(ctx.sim, id), [], 'redaction deleted the tracking values as the least-privileged user')

    // A rights request: erasure of another customer, verified by hand, fulfilled through the API.
    // Not one whose redaction job pg-boss may start meanwhile (it starts jobs by the database's time).
    const other = (await ctx.pool.query<{ odoo_id: number }>(
      `SELECT p.odoo_id FROM mirror_partners p WHERE p.type = 'contact' AND p.email_index IS NOT NULL AND p.redacted_at IS NULL AND NOT p.is_user AND NOT p.is_company_partner
         AND (p.retention_due_at IS NULL OR p.retention_due_at > now() + interval '1 hour')
         AND NOT EXISTS (SELECT 1 FROM mirror_orders o WHERE p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id) AND o.state <> 'cancel' AND o.completed_at IS NULL)
       ORDER BY p.odoo_id LIMIT 1`
    )).rows[0]?.odoo_id
    if (other === undefined) throw new Error('no contact left to erase')
    const email = String(ctx.sim.store.get('res.partner', other)?.email)
    const created = await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: { type: 'erasure', email } })
    t.equal(created.statusCode, 201, created.body)
    const requestId = created.json<Json<RequestView>>().id
    const verified = await ctx.app.inject({ method: 'POST', url: `/v1/requests/${requestId}/verification/manual`, headers: ctx.auth.agent, payload: { evidence: 'Called back on the number of the last order.' } })
    t.equal(verified.statusCode, 200, verified.body)
    const fulfilled = await ctx.app.inject({ method: 'POST', url: `/v1/requests/${requestId}/fulfilment`, headers: ctx.auth.agent, payload: {} })
    t.equal(fulfilled.statusCode, 200, fulfilled.body)
    const outcome = fulfilled.json<Json<RequestView>>().outcome
    t.ok(Array.isArray(outcome?.erased) && outcome.erased.includes(other))
    t.equal(ctx.sim.store.get('res.partner', other)?.email, false)

    // Odoo's webhook rules post to the service: a contact edited in Odoo reaches it at once.
    ctx.sim.store.update('res.partner', other, { city: 'Utrecht' })
    const deliveries = (await ctx.sim.webhookDeliveries()).filter((delivery) => delivery.body._model === 'res.partner' && delivery.body._id === other)
    t.ok(deliveries.length > 0, 'Odoo posted the change')
    t.ok(deliveries.every((delivery) => delivery.status === 202), 'to the right URL, with the right token')
    t.ok(deliveries.every((delivery) => delivery.body._action.startsWith('Send Webhook Notification(#')))
    t.notMatch(ctx.logs(), TOKEN, 'the token never reaches the logs')
  })
}
