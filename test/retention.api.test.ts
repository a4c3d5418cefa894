import t from 'tap'
import type { Test } from 'tap'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import { until } from './support/until.ts'
import type { OdooSimulator } from './odoo-simulator/index.ts'
import type { Json } from './support/json.ts'
import { REDACTED_NAME } from '../src/mirror/odoo-records.ts'
import type { Problem } from '../src/http/schemas/problem.ts'
import type { Hold } from '../src/retention/holds.ts'
import type { Policy } from '../src/retention/policy.ts'
import type { PolicyPreview } from '../src/retention/policy-preview.ts'
import type { RetentionReport } from '../src/retention/retention-report.ts'

const DAY = 86_400_000

async function setUp(t: Test, options: { role?: 'api' | 'all'; realClock?: boolean } = {}): Promise<TestService & { sim: OdooSimulator }> {
  const clock = fixedClock(new Date())
  const sim = await simulator(t, { orders: 40, now: options.realClock ? undefined : () => clock.now() })
  const ctx = await startTestService(t, { odoo: sim, role: options.role, clock: options.realClock ? { now: () => new Date(), set: () => undefined, advance: () => undefined } : clock })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  return { ...ctx, sim }
}

async function redactionJobs(ctx: TestService): Promise<{ singleton_key: string; data: unknown }[]> {
  return (await ctx.pool.query<{ singleton_key: string; data: unknown }>("SELECT singleton_key, data FROM pgboss.job WHERE name = 'retention-redact' ORDER BY singleton_key")).rows
}

await t.test('a sync queues no redaction job: due dates live in the mirror, the same however often sync runs', async (t) => {
  const ctx = await setUp(t)
  const dueDates = async () => (await ctx.pool.query<{ odoo_id: number; retention_due_at: Date }>('SELECT odoo_id, retention_due_at FROM mirror_partners WHERE retention_due_at IS NOT NULL ORDER BY odoo_id')).rows
  const due = await dueDates()
  t.ok(due.length > 0, `${due.length} contacts have a due date`)
  t.same(await redactionJobs(ctx), [], 'no job per contact')
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  ctx.sim.store.touch('sale.order', ctx.sim.store.records('sale.order').map((o) => o.id))
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  t.same(await dueDates(), due, 'unchanged')
  t.same(await redactionJobs(ctx), [], 'still no job')
})

await t.test('a due contact that places a new order is not due until that order\'s clock starts', async (t) => {
  const ctx = await setUp(t)
  const due = (await ctx.pool.query<{ odoo_id: number }>("SELECT p.odoo_id FROM mirror_partners p JOIN mirror_orders o ON o.partner_id = p.odoo_id WHERE p.retention_due_at IS NOT NULL AND o.channel = 'amazon' LIMIT 1")).rows[0]
  if (!due) throw new Error('no due contact with an Amazon order in the generated data')
  // An Amazon order starts its clock when it ships: until then the contact is not due.
  ctx.sim.store.create('sale.order', { partner_id: due.odoo_id, origin: 'Amazon', state: 'sale' })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  t.equal((await ctx.pool.query<{ retention_due_at: Date | null }>('SELECT retention_due_at FROM mirror_partners WHERE odoo_id = $1', [due.odoo_id])).rows[0]?.retention_due_at, null)
})

await t.test('job payloads and pg-boss tables hold ids only, never personal data', async (t) => {
  const ctx = await setUp(t)
  ctx.clock.advance(3650 * DAY)
  t.ok((await ctx.service.sweep()) > 0, 'contacts are due, and redaction jobs queued')
  const dump = JSON.stringify((await ctx.pool.query('SELECT * FROM pgboss.job')).rows)
  t.ok(dump.includes('"slot"'), 'a redaction job names its slot only')
  for (const partner of ctx.sim.store.records('res.partner').filter((p) => p.email)) {
    for (const value of [partner.email, partner.name, partner.phone, partner.street]) {
      if (typeof value === 'string' && value.length > 3 && dump.includes(value)) t.fail(`pg-boss holds "${value}"`)
    }
  }
  t.pass('no name, e-mail, phone or street in pg-boss')
})

await t.test('a policy change is versioned, audited, and moves due dates both ways', async (t) => {
  const ctx = await setUp(t)
  const policies = (await ctx.app.inject({ url: '/v1/retention/policies', headers: ctx.auth.auditor })).json<{ items: Policy[] }>()
  t.match(policies.items.find((p) => p.channel === 'amazon'), { version: 0, clockEvent: 'shipped', periodDays: 30 })
  const amazon = (await ctx.pool.query<{ odoo_id: number; retention_due_at: Date; partner_id: number }>("SELECT odoo_id, retention_due_at, partner_id FROM mirror_orders WHERE channel = 'amazon' AND retention_due_at IS NOT NULL ORDER BY odoo_id LIMIT 1")).rows[0]
  if (!amazon) throw new Error('no Amazon order with a due date in the generated data')
  for (const [periodDays, shift] of [[60, 30], [10, -20]] as const) {
    const res = await ctx.app.inject({ method: 'PUT', url: '/v1/retention/policies/amazon', headers: ctx.auth.admin, payload: { clockEvent: 'shipped', periodDays, fields: ['name', 'street', 'email', 'phone'] } })
    t.equal(res.statusCode, 200)
    t.match(res.json(), { channel: 'amazon', periodDays, version: periodDays === 60 ? 1 : 2, recomputedOrders: Number })
    const moved = (await ctx.pool.query<{ retention_due_at: Date }>('SELECT retention_due_at FROM mirror_orders WHERE odoo_id = $1', [amazon.odoo_id])).rows[0]
    t.equal(moved?.retention_due_at.getTime(), amazon.retention_due_at.getTime() + (periodDays - 30) * DAY, `due date moved ${shift > 0 ? 'later' : 'earlier'}`)
  }
  const audit = await ctx.service.audit.list({ action: 'retention.policy_changed', limit: 10 })
  t.equal(audit.length, 2)
  t.equal((await ctx.app.inject({ method: 'PUT', url: '/v1/retention/policies/amazon', headers: ctx.auth.agent, payload: { clockEvent: 'shipped', periodDays: 1, fields: ['name'] } })).statusCode, 403)
  const bad = await ctx.app.inject({ method: 'PUT', url: '/v1/retention/policies/amazon', headers: ctx.auth.admin, payload: { clockEvent: 'delivered', periodDays: -1, fields: [] } })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json<Problem>().errors?.length, 3)
})

await t.test("a policy preview changes nothing and predicts what saving the policy then makes due", async (t) => {
  const ctx = await setUp(t)
  const channelContacts = async () => {
    const [counts] = (await ctx.pool.query<{ dueNow: number; total: number }>(
      `SELECT count(*) FILTER (WHERE retention_due_at <= $1)::int AS "dueNow", count(*)::int AS total FROM mirror_partners p
        WHERE redacted_at IS NULL AND EXISTS (SELECT 1 FROM mirror_orders o WHERE o.channel = 'amazon' AND p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id))`,
      [ctx.clock.now()]
    )).rows
    if (!counts) throw new Error('a count returns one row')
    return counts
  }
  const before = await channelContacts()
  const dues = (await ctx.pool.query<{ odoo_id: number; retention_due_at: Date | null }>('SELECT odoo_id, retention_due_at FROM mirror_orders ORDER BY odoo_id')).rows
  const rule = { clockEvent: 'order_date', periodDays: 1, fields: ['name', 'street', 'email', 'phone'] }
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/retention/policies/amazon/preview', headers: ctx.auth.auditor, payload: rule })
  t.equal(res.statusCode, 200)
  const preview = res.json<Json<PolicyPreview>>()
  t.match(preview, { channel: 'amazon', proposed: rule, contacts: { total: before.total }, dueNow: { current: before.dueNow } })
  t.ok(preview.dueNow.proposed > preview.dueNow.current, 'a day after the order makes more contacts past due')
  t.equal(preview.newlyDue, preview.dueNow.proposed - preview.dueNow.current)
  t.same((await ctx.pool.query('SELECT odoo_id, retention_due_at FROM mirror_orders ORDER BY odoo_id')).rows, dues, 'no due date moved')
  t.match((await ctx.app.inject({ url: '/v1/retention/policies', headers: ctx.auth.admin })).json<{ items: Policy[] }>().items.find((p) => p.channel === 'amazon'), { version: 0 })

  const saved = await ctx.app.inject({ method: 'PUT', url: '/v1/retention/policies/amazon', headers: ctx.auth.admin, payload: rule })
  t.equal(saved.statusCode, 200)
  t.equal(saved.json<Json<Policy & { recomputedOrders: number }>>().recomputedOrders, preview.orders.total)
  t.equal((await channelContacts()).dueNow, preview.dueNow.proposed, 'the preview said how many would be past due')
  t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/retention/policies/amazon/preview', headers: ctx.auth.agent, payload: rule })).statusCode, 403)
})

await t.test('a hold blocks redaction until released; releasing queues what is due', async (t) => {
  const ctx = await setUp(t)
  const partner = (await ctx.pool.query<{ odoo_id: number; retention_due_at: Date }>('SELECT odoo_id, retention_due_at FROM mirror_partners WHERE retention_due_at IS NOT NULL AND NOT is_user AND NOT is_company_partner ORDER BY odoo_id LIMIT 1')).rows[0]
  if (!partner) throw new Error('no due customer in the generated data')
  const created = await ctx.app.inject({ method: 'POST', url: '/v1/holds', headers: ctx.auth.admin, payload: { subjectType: 'partner', partnerId: partner.odoo_id, reason: 'Open chargeback dispute' } })
  t.equal(created.statusCode, 201)
  ctx.clock.set(new Date(partner.retention_due_at.getTime() + 1000))
  t.same((await ctx.service.redact([partner.odoo_id])).redacted, [], 'held: not redacted')
  const report = (await ctx.app.inject({ url: '/v1/retention/report', headers: ctx.auth.auditor })).json<Json<RetentionReport>>()
  t.ok(report.channels.some((c) => c.onHold > 0))
  const dueWhileHeld = await ctx.service.sweep()
  const released = await ctx.app.inject({ method: 'DELETE', url: `/v1/holds/${created.json<Json<Hold>>().id}`, headers: ctx.auth.admin })
  t.equal(released.statusCode, 200)
  t.ok(released.json<Json<Hold>>().releasedAt)
  t.equal(await ctx.service.sweep(), dueWhileHeld + 1, 'the next sweep finds it due again')
  t.same((await ctx.service.redact([partner.odoo_id])).redacted, [partner.odoo_id])
  t.same((await ctx.service.audit.list({ subjectType: 'hold', limit: 10 })).map((e) => e.action), ['hold.created', 'hold.released'])
})

await t.test('holds on an e-mail address keep no copy of the address, and cover every contact with it', async (t) => {
  const ctx = await setUp(t)
  const partner = (await ctx.pool.query<{ odoo_id: number }>("SELECT odoo_id FROM mirror_partners WHERE email_index IS NOT NULL AND retention_due_at IS NOT NULL AND type = 'contact' AND NOT is_user ORDER BY odoo_id LIMIT 1")).rows[0]
  if (!partner) throw new Error('no due contact with an e-mail in the generated data')
  const email = String(ctx.sim.store.get('res.partner', partner.odoo_id)?.email)
  const created = await ctx.app.inject({ method: 'POST', url: '/v1/holds', headers: ctx.auth.admin, payload: { subjectType: 'email', email: email.toUpperCase(), reason: 'Tax audit 2026' } })
  t.equal(created.statusCode, 201)
  t.notMatch(created.body, email)
  t.notOk(JSON.stringify((await ctx.pool.query('SELECT * FROM holds')).rows).includes(email), 'the holds table has no address')
  ctx.clock.set(new Date(Date.now() + 3650 * DAY))
  t.same((await ctx.service.redact([partner.odoo_id])).redacted, [])
})

await t.test('holds on an order cover its contacts; bad holds are 400; unknown ids 404', async (t) => {
  const ctx = await setUp(t)
  const order = (await ctx.pool.query<{ odoo_id: number; partner_id: number }>('SELECT odoo_id, partner_id FROM mirror_orders WHERE retention_due_at IS NOT NULL AND partner_id IN (SELECT odoo_id FROM mirror_partners WHERE NOT is_user AND NOT is_company_partner) ORDER BY odoo_id LIMIT 1')).rows[0]
  if (!order) throw new Error('no due order of a customer in the generated data')
  t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/holds', headers: ctx.auth.admin, payload: { subjectType: 'order', orderId: order.odoo_id, reason: 'Warranty claim', endsAt: '2099-01-01T00:00:00Z' } })).statusCode, 201)
  ctx.clock.set(new Date(Date.now() + 3650 * DAY))
  t.same((await ctx.service.redact([order.partner_id])).redacted, [])
  t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/holds', headers: ctx.auth.admin, payload: { subjectType: 'email', email: 'not-an-address', reason: 'x' } })).statusCode, 400)
  t.equal((await ctx.app.inject({ method: 'DELETE', url: '/v1/holds/00000000-0000-4000-8000-000000000000', headers: ctx.auth.admin })).statusCode, 404)
  t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/holds', headers: ctx.auth.auditor, payload: { subjectType: 'order', orderId: 1, reason: 'xyz' } })).statusCode, 403)
})

await t.test('the report counts per channel; overdue drops to 0 once the due contacts are redacted', async (t) => {
  const ctx = await setUp(t)
  ctx.clock.set(new Date(Date.now() + 400 * DAY))
  const before = (await ctx.app.inject({ url: '/v1/retention/report', headers: ctx.auth.admin })).json<Json<RetentionReport>>()
  const overdue = before.channels.reduce((sum, c) => sum + c.overdue, 0)
  t.ok(overdue > 0)
  t.equal(before.channels.length, 7)
  const dueIds = (await ctx.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE retention_due_at <= $1', [ctx.clock.now()])).rows.map((r) => r.odoo_id)
  await ctx.service.redact(dueIds)
  const after = (await ctx.app.inject({ url: '/v1/retention/report', headers: ctx.auth.auditor })).json<Json<RetentionReport>>()
  const overdueAfter = after.channels.reduce((sum, c) => sum + c.overdue - c.failed, 0)
  t.equal(overdueAfter, 0, 'nothing overdue but the protected contacts, which are counted as failed')
  t.ok(after.channels.some((c) => c.redacted > 0))
  t.equal((await ctx.app.inject({ url: '/v1/retention/report', headers: ctx.auth.agent })).statusCode, 403)
})

await t.test('the worker redacts due contacts in Odoo on its own', async (t) => {
  const ctx = await setUp(t, { role: 'all', realClock: true })
  // Due in the past: as after downtime. The sweeper queues them; the worker redacts them.
  const due = (await ctx.pool.query<{ odoo_id: number }>("SELECT odoo_id FROM mirror_partners WHERE NOT is_user AND NOT is_company_partner AND type = 'contact' ORDER BY odoo_id LIMIT 3")).rows.map((r) => r.odoo_id)
  await ctx.pool.query("UPDATE mirror_partners SET retention_due_at = now() - interval '1 day', redaction_fields = '{name,street,email,phone}' WHERE odoo_id = ANY($1::int[])", [due])
  t.ok((await ctx.service.sweep()) >= due.length)
  await until(() => due.every((id) => ctx.sim.store.get('res.partner', id)?.name === REDACTED_NAME), { what: 'the worker to redact the due contacts in Odoo', timeoutMs: 10_000 })
  t.ok(due.every((id) => ctx.sim.store.get('res.partner', id)?.name === REDACTED_NAME), 'redacted in Odoo')
  await until(async () => (await ctx.service.sweep()) === 0, { what: 'nothing left due once the batches are recorded', timeoutMs: 10_000 })
  t.pass('nothing left due')
})
