import t from 'tap'
import type { z } from 'zod'
import type { OrderView, OrderViews } from '../src/mirror/order-views.ts'
import type { syncRunSchema } from '../src/mirror/http/sync-routes.ts'
import { startTestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import type { TestService } from './support/app.ts'
import type { Json } from './support/json.ts'
import { until } from './support/until.ts'

const WEBHOOK = '/v1/odoo/webhook/test-webhook-token-0123456789abcdef'

type SyncRunBody = Json<z.infer<typeof syncRunSchema>>
type OrderBody = Json<OrderView>
type OrderPage = Json<Awaited<ReturnType<OrderViews['list']>>>

async function orderRow(ctx: TestService, id: number) {
  return (await ctx.pool.query<{ name: string; state: string; deleted_at: Date | null }>('SELECT * FROM mirror_orders WHERE odoo_id = $1', [id])).rows[0]
}

await t.test('POST /v1/sync queues one run, a second request gets the same run, and a worker carries it out', async (t) => {
  const sim = await simulator(t, { orders: 20 })
  const ctx = await startTestService(t, { odoo: sim, role: 'all' })
  const first = await ctx.app.inject({ method: 'POST', url: '/v1/sync', headers: ctx.auth.admin })
  t.equal(first.statusCode, 202)
  const second = await ctx.app.inject({ method: 'POST', url: '/v1/sync', headers: ctx.auth.admin })
  t.equal(second.json<SyncRunBody>().id, first.json<SyncRunBody>().id, 'one sync at a time')
  const done = await until(async () => {
    const run = (await ctx.app.inject({ url: `/v1/sync/runs/${first.json<SyncRunBody>().id}`, headers: ctx.auth.auditor })).json<SyncRunBody>()
    return run.state === 'succeeded' || run.state === 'failed' ? run : undefined
  }, { what: 'the sync run', timeoutMs: 10_000 })
  t.match(done, { state: 'succeeded', trigger: 'api', requestedBy: /^key:/, inserted: Number })
  const list = (await ctx.app.inject({ url: '/v1/sync/runs', headers: ctx.auth.admin })).json<{ items: SyncRunBody[] }>()
  t.equal(list.items[0]?.id, first.json<SyncRunBody>().id)
})

await t.test('sync endpoints check roles and ids', async (t) => {
  const ctx = await startTestService(t)
  t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/sync', headers: ctx.auth.agent })).statusCode, 403)
  t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/sync', headers: ctx.auth.auditor })).statusCode, 403)
  t.equal((await ctx.app.inject({ url: '/v1/sync/runs/not-a-uuid', headers: ctx.auth.admin })).statusCode, 400)
  t.equal((await ctx.app.inject({ url: '/v1/sync/runs/00000000-0000-4000-8000-000000000000', headers: ctx.auth.admin })).statusCode, 404)
})

await t.test("Odoo's webhook re-reads the record from Odoo and ignores the posted values", async (t) => {
  const sim = await simulator(t, { orders: 10 })
  const ctx = await startTestService(t, { odoo: sim, role: 'all' })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  const order = sim.store.records('sale.order')[0]
  if (!order) throw new Error('no order')
  sim.store.cancelOrder(order.id)
  const res = await ctx.app.inject({ method: 'POST', url: WEBHOOK, payload: { _model: 'sale.order', _id: order.id, _action: 'Send Webhook Notification(#1)', state: 'sale', name: 'forged' } })
  t.equal(res.statusCode, 202)
  const row = await until(async () => {
    const current = await orderRow(ctx, order.id)
    return current?.state === 'cancel' ? current : undefined
  }, { what: 'the webhook sync', timeoutMs: 10_000 })
  t.equal(row.name, order.name, 'the posted name was not used')
})

await t.test('the webhook marks an order that no longer exists in Odoo as deleted', async (t) => {
  const sim = await simulator(t, { orders: 10 })
  const ctx = await startTestService(t, { odoo: sim, role: 'all' })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  const order = sim.store.records('sale.order').find((o) => o.state === 'draft' || o.state === 'cancel')
  if (!order) throw new Error('no deletable order')
  sim.store.remove('sale.order', order.id)
  t.equal((await ctx.app.inject({ method: 'POST', url: WEBHOOK, payload: { _model: 'sale.order', _id: order.id } })).statusCode, 202)
  const row = await until(async () => {
    const current = await orderRow(ctx, order.id)
    return current?.deleted_at ? current : undefined
  }, { what: 'the deletion', timeoutMs: 10_000 })
  t.ok(row.deleted_at)
})

await t.test('the webhook refuses a bad token before reading the body, and bad bodies with 400', async (t) => {
  const ctx = await startTestService(t)
  const bad = await ctx.app.inject({ method: 'POST', url: '/v1/odoo/webhook/wrong-token', payload: '{not json' , headers: { 'content-type': 'application/json' } })
  t.equal(bad.statusCode, 401)
  t.match(bad.json(), { type: 'urn:problem:unauthorized' })
  const model = await ctx.app.inject({ method: 'POST', url: WEBHOOK, payload: { _model: 'res.users', _id: 2 } })
  t.equal(model.statusCode, 400)
  t.match(model.json(), { errors: [{ path: 'body._model' }] })
  const id = await ctx.app.inject({ method: 'POST', url: WEBHOOK, payload: { _model: 'sale.order', _id: 'x' } })
  t.equal(id.statusCode, 400)
  t.notOk(ctx.logs().includes('test-webhook-token'), 'the token never reaches the logs')
})

await t.test('duplicate webhook deliveries for one record queue one job', async (t) => {
  const ctx = await startTestService(t)
  for (let i = 0; i < 3; i++) {
    t.equal((await ctx.app.inject({ method: 'POST', url: WEBHOOK, payload: { _model: 'res.partner', _id: 7 } })).statusCode, 202)
  }
  const jobs = await ctx.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mirror-sync-record' AND state = 'created'")
  t.equal(jobs.rows[0]?.n, 1)
})

await t.test('the webhook is off (404) when no token is configured', async (t) => {
  const ctx = await startTestService(t, { env: { ODOO_WEBHOOK_TOKEN: '' } })
  t.equal((await ctx.app.inject({ method: 'POST', url: WEBHOOK, payload: { _model: 'sale.order', _id: 1 } })).statusCode, 404)
})

await t.test('agents see orders with contacts masked, and every read is audited', async (t) => {
  const sim = await simulator(t, { orders: 12 })
  const ctx = await startTestService(t, { odoo: sim })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  const order = sim.store.records('sale.order')[0]
  if (!order) throw new Error('no order')
  const customer = sim.store.get('res.partner', order.partner_id as number)
  const res = await ctx.app.inject({ url: `/v1/orders/${order.id}`, headers: ctx.auth.agent })
  t.equal(res.statusCode, 200)
  const body = res.json<OrderBody>()
  const [local, domain] = String(customer?.email).split('@')
  t.equal(body.customer?.email, `${local?.[0]}***@${domain?.[0]}***${domain?.slice(domain.lastIndexOf('.'))}`)
  t.match(body.customer?.name, /^([A-Z]\. ?)+$/)
  t.match(body.customer?.phone, /^(\+\d\d )?\*\*\* \*\*\* \d\d$/)
  t.notOk(res.body.includes(String(customer?.email)), 'the e-mail is not disclosed')
  t.notOk(res.body.includes(String(customer?.street)), 'the street is not disclosed')
  const audit = await ctx.service.audit.list({ action: 'order.viewed', limit: 10 })
  t.match(audit, [{ subjectType: 'order', subjectId: String(order.id), actor: /^key:/ }])
})

await t.test('orders are filtered and paged with a cursor', async (t) => {
  const sim = await simulator(t, { orders: 30 })
  const ctx = await startTestService(t, { odoo: sim })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  const amazon = (await ctx.app.inject({ url: '/v1/orders?channel=amazon&limit=100', headers: ctx.auth.admin })).json<OrderPage>()
  t.ok(amazon.items.length > 0)
  t.ok(amazon.items.every((o) => o.channel === 'amazon'))
  const first = (await ctx.app.inject({ url: '/v1/orders?limit=7', headers: ctx.auth.agent })).json<OrderPage>()
  const second = (await ctx.app.inject({ url: `/v1/orders?limit=7&after=${String(first.nextCursor)}`, headers: ctx.auth.agent })).json<OrderPage>()
  t.equal(first.items.length, 7)
  const [firstOfSecond] = second.items
  const lastOfFirst = first.items[6]
  t.ok(firstOfSecond && lastOfFirst && firstOfSecond.id > lastOfFirst.id)
  const someone = first.items[0]?.customer?.id
  if (someone === undefined) throw new Error('no customer on the first order')
  const byPartner = (await ctx.app.inject({ url: `/v1/orders?partner=${someone}&limit=100`, headers: ctx.auth.agent })).json<OrderPage>()
  t.ok(byPartner.items.length >= 1)
  const soon = (await ctx.app.inject({ url: '/v1/orders?dueBefore=2027-01-01T00:00:00Z&limit=200', headers: ctx.auth.agent })).json<OrderPage>()
  t.ok(soon.items.length > 0 && soon.items.every((o) => o.retentionDueAt !== null && o.retentionDueAt < '2027-01-01'))
  t.equal((await ctx.app.inject({ url: '/v1/orders?channel=myspace', headers: ctx.auth.agent })).statusCode, 400)
  t.equal((await ctx.app.inject({ url: '/v1/orders', headers: ctx.auth.auditor })).statusCode, 403)
  t.equal((await ctx.app.inject({ url: '/v1/orders/999999', headers: ctx.auth.agent })).statusCode, 404)
})
