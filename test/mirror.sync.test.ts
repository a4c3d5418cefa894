import t from 'tap'
import { openContactPii } from '../src/mirror/sealed-partner.ts'
import type { QueryResultRow } from 'pg'
import { startTestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { SyncBusyError } from '../src/mirror/sync-coordinator.ts'
import type { Service } from '../src/service.ts'
import { refreshShipment } from '../src/mirror/mirror-store.ts'
import { many2oneId } from '../src/mirror/odoo-records.ts'
import { channelSchema } from '../src/mirror/channels.ts'
import { REDACT_QUEUE } from '../src/retention/retention-jobs.ts'

const cli = { trigger: 'cli', requestedBy: 'test' } as const

interface MirroredOrder {
  odoo_id: number
  channel: string
  partner_id: number | null
  partner_invoice_id: number | null
  partner_shipping_id: number | null
}

async function mirrored(service: Service): Promise<MirroredOrder[]> {
  const orders = await service.pool.query<MirroredOrder>('SELECT * FROM mirror_orders ORDER BY odoo_id')
  return orders.rows
}

/** The one row a query must find. */
async function oneRow<Row extends QueryResultRow>(service: Service, sql: string, values: unknown[]): Promise<Row> {
  const row = (await service.pool.query<Row>(sql, values)).rows[0]
  if (!row) throw new Error('the query found no row')
  return row
}

await t.test('a first sync mirrors every order with its channel, contacts and deliveries', async (t) => {
  const sim = await simulator(t, { orders: 120 })
  const { service } = await startTestService(t, { odoo: sim })
  const run = await service.runSync(cli)
  t.match(run, { state: 'succeeded', inserted: Number, failed: 0 })
  const orders = await mirrored(service)
  t.equal(orders.length, sim.store.count('sale.order'))
  const channelByOrigin: Record<string, string> = { Amazon: 'amazon', 'TikTok Shop': 'tiktok_shop', Etsy: 'etsy', Shopify: 'shopify', eBay: 'ebay', 'Bol.com': 'bol' }
  const expected = orders.map((o) => channelByOrigin[String(sim.store.get('sale.order', o.odoo_id)?.origin)] ?? 'other')
  t.same(orders.map((o) => o.channel), expected, 'each order has the channel its origin names')
  t.ok(expected.includes('other'), 'orders of no channel are `other`')
  const partnerIds = new Set(orders.flatMap((o) => [o.partner_id, o.partner_invoice_id, o.partner_shipping_id]))
  const partners = await service.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners')
  t.same(new Set(partners.rows.map((p) => p.odoo_id)), partnerIds, 'exactly the contacts the orders reference')
})

await t.test('personal data is sealed at rest and opens to what Odoo holds', async (t) => {
  const sim = await simulator(t, { orders: 20 })
  const { service } = await startTestService(t, { odoo: sim })
  await service.runSync(cli)
  const { rows } = await service.pool.query<{ odoo_id: number; pii: string; email_index: string | null; country: string | null }>("SELECT * FROM mirror_partners WHERE type = 'contact' ORDER BY odoo_id LIMIT 5")
  for (const row of rows) {
    const source = sim.store.get('res.partner', row.odoo_id)
    const dump = JSON.stringify(row)
    t.notOk(dump.includes(String(source?.email)), 'no clear e-mail in the row')
    t.notOk(dump.includes(String(source?.name)), 'no clear name in the row')
    t.equal(openContactPii(service.cipher, row.odoo_id, row.pii).email, source?.email)
    t.throws(() => openContactPii(service.cipher, row.odoo_id + 1, row.pii), 'bound to its contact: it does not open as another')
    t.equal(row.email_index, service.cipher.blindIndex('email', ` ${String(source?.email).toUpperCase()} `), 'the blind index ignores case and spaces')
    t.match(row.country, /^[A-Z][a-z]/, 'the country stays in clear, by name')
  }
})

await t.test('an incremental sync picks up edits of orders and contacts', async (t) => {
  const sim = await simulator(t, { orders: 30 })
  const { service } = await startTestService(t, { odoo: sim })
  await service.runSync(cli)
  const [order] = await mirrored(service)
  if (!order?.partner_id) throw new Error('no mirrored order with a customer')
  sim.store.update('sale.order', order.odoo_id, { client_order_ref: 'edited' })
  sim.store.cancelOrder(order.odoo_id)
  sim.store.update('res.partner', order.partner_id, { email: 'new.address@example.org' })
  const run = await service.runSync(cli)
  t.match(run, { state: 'succeeded' })
  t.ok((run?.updated ?? 0) >= 2, 'the changed order and contact count as updated')
  const after = await oneRow<{ state: string; cancelled_at: Date | null }>(service, 'SELECT * FROM mirror_orders WHERE odoo_id = $1', [order.odoo_id])
  t.equal(after.state, 'cancel')
  t.ok(after.cancelled_at, 'cancellation time recorded')
  const partner = await oneRow<{ pii: string }>(service, 'SELECT pii FROM mirror_partners WHERE odoo_id = $1', [order.partner_id])
  t.equal(openContactPii(service.cipher, order.partner_id, partner.pii).email, 'new.address@example.org')
})

await t.test('a re-run with nothing changed in Odoo changes nothing in the mirror', async (t) => {
  const sim = await simulator(t, { orders: 30 })
  const { service } = await startTestService(t, { odoo: sim })
  await service.runSync(cli)
  const again = await service.runSync(cli)
  t.match(again, { state: 'succeeded', inserted: 0, updated: 0 })
})

await t.test('a shipment that only changes the delivery reaches the mirror', async (t) => {
  const sim = await simulator(t, { orders: 40 })
  const { service } = await startTestService(t, { odoo: sim })
  await service.runSync(cli)
  const pending = sim.store.records('stock.picking').find((p) => p.state !== 'done' && p.state !== 'cancel' && p.picking_type_code === 'outgoing' && p.sale_id)
  if (!pending) throw new Error('the generated data has no pending delivery')
  const orderId = pending.sale_id as number
  const orderWriteDate = sim.store.get('sale.order', orderId)?.write_date
  sim.store.validatePicking(pending.id, new Date('2026-11-20T08:00:00Z'))
  t.equal(sim.store.get('sale.order', orderId)?.write_date, orderWriteDate, 'Odoo did not touch the order')
  await service.runSync(cli)
  const order = await oneRow<{ shipped_at: Date | null; completed_at: Date | null }>(service, 'SELECT shipped_at, completed_at FROM mirror_orders WHERE odoo_id = $1', [orderId])
  t.same(order.shipped_at, new Date('2026-11-20T08:00:00Z'))
  t.same(order.completed_at, order.shipped_at)
})

await t.test('orders sharing one write_date across page boundaries are all mirrored once', async (t) => {
  const sim = await simulator(t, { orders: 55 })
  const { service } = await startTestService(t, { odoo: sim, env: { SYNC_PAGE_SIZE: '10' } })
  const ids = sim.store.records('sale.order').map((o) => o.id)
  sim.store.touch('sale.order', ids, '2026-11-22 12:00:00.250000')
  const run = await service.runSync(cli)
  t.match(run, { state: 'succeeded' })
  const orders = await mirrored(service)
  t.same(orders.map((o) => o.odoo_id), ids.sort((a, b) => a - b))
})

await t.test('Odoo failing mid-sync fails the run; the next run resumes from the committed page, losing and duplicating nothing', async (t) => {
  const sim = await simulator(t, { orders: 50 })
  const { service } = await startTestService(t, { odoo: sim, env: { SYNC_PAGE_SIZE: '10', ODOO_RETRIES: '0' } })
  // Odoo answers the walk's first two queries, then refuses the next.
  t.teardown(() => {
    sim.faults.clear()
  })
  sim.faults.odooFaultNext({ kind: 'AccessError', after: 2, match: { model: 'sale.order', method: 'search_read' } })
  const run = await service.runSync(cli)
  t.match(run, { state: 'failed', errors: [{ kind: 'odoo.access' }] })
  const partial = await mirrored(service)
  t.ok(partial.length >= 10 && partial.length < 50, `the pages read before the failure are committed (${partial.length} orders)`)
  const cursor = (await service.pool.query<{ cursor: unknown }>("SELECT cursor FROM sync_cursors WHERE model = 'sale.order'")).rows[0]?.cursor
  t.ok(cursor, 'the cursor of the last committed page is stored')
  const resumed = await service.runSync(cli)
  t.match(resumed, { state: 'succeeded' })
  const orders = await mirrored(service)
  t.equal(orders.length, 50)
  t.equal(new Set(orders.map((o) => o.odoo_id)).size, 50, 'no duplicates')
})

await t.test('two syncs started at once: one runs, the other is told a sync is running', async (t) => {
  const sim = await simulator(t, { orders: 30 })
  const { service } = await startTestService(t, { odoo: sim })
  sim.faults.latency(20)
  const results = await Promise.allSettled([service.runSync(cli), service.runSync(cli)])
  sim.faults.latency(0)
  t.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
  const rejected = results.find((r) => r.status === 'rejected')
  t.ok(rejected && rejected.reason instanceof SyncBusyError)
  t.equal((await service.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_runs')).rows[0]?.n, 1)
})

await t.test('a run left running by a crashed process is marked failed by the next one', async (t) => {
  const sim = await simulator(t, { orders: 10 })
  const { service } = await startTestService(t, { odoo: sim })
  const { run } = await service.syncRuns.request('schedule', 'system')
  await service.syncRuns.start(run.id)
  const next = await service.runSync(cli)
  t.match(next, { state: 'succeeded' })
  t.match(await service.syncRuns.get(run.id), { state: 'failed', errors: [{ kind: 'interrupted' }] })
})

await t.test('orders deleted in Odoo are marked by reconciliation', async (t) => {
  const sim = await simulator(t, { orders: 30 })
  const { service } = await startTestService(t, { odoo: sim })
  await service.runSync(cli)
  const draft = sim.store.records('sale.order').find((o) => o.state === 'draft' || o.state === 'cancel')
  if (!draft) throw new Error('no deletable order generated')
  sim.store.remove('sale.order', draft.id)
  const { reconcileDeletedOrders } = await import('../src/mirror/reconcile.ts')
  t.same(await reconcileDeletedOrders(service), { checked: 30, deleted: 1 })
  const row = await oneRow<{ deleted_at: Date | null }>(service, 'SELECT deleted_at FROM mirror_orders WHERE odoo_id = $1', [draft.id])
  t.ok(row.deleted_at)
})

for (const version of [16, 19] as const) {
  await t.test(`the sync works against Odoo ${version}`, async (t) => {
    const sim = await simulator(t, { orders: 25, version })
    const { service } = await startTestService(t, { odoo: sim })
    const run = await service.runSync(cli)
    t.match(run, { state: 'succeeded', inserted: Number })
    t.equal((await mirrored(service)).length, 25)
    if (version === 19) t.notOk(sim.calls.some((c) => c.model === 'res.partner' && JSON.stringify(c).includes('mobile')), 'mobile is never asked of Odoo 19')
  })
}

await t.test('an edit within the same second as the previous sync is still mirrored', async (t) => {
  // Odoo returns write_date in whole seconds: both versions of the order below look alike by date.
  let now = new Date('2026-11-23T09:00:00.100Z')
  const sim = await simulator(t, { orders: 8, now: () => now })
  const clock = { now: () => new Date(now), set: () => undefined, advance: () => undefined }
  const { service } = await startTestService(t, { odoo: sim, clock })
  await service.runSync(cli)
  now = new Date('2026-11-23T09:00:00.900Z')
  const order = sim.store.records('sale.order').find((o) => o.state === 'sale')
  if (!order) throw new Error('no confirmed order')
  const partnerId = order.partner_id as number
  sim.store.cancelOrder(order.id)
  sim.store.update('res.partner', partnerId, { phone: '+31 6 1111 2222' })
  const run = await service.runSync(cli)
  t.ok((run?.updated ?? 0) >= 2)
  const mirroredOrder = await oneRow<{ state: string }>(service, 'SELECT state FROM mirror_orders WHERE odoo_id = $1', [order.id])
  t.equal(mirroredOrder.state, 'cancel')
  const partner = await oneRow<{ pii: string }>(service, 'SELECT pii FROM mirror_partners WHERE odoo_id = $1', [partnerId])
  t.equal(openContactPii(service.cipher, partnerId, partner.pii).phone, '+31 6 1111 2222')
})

await t.test('once its seconds are settled, a model nobody edits is not read again', async (t) => {
  let now = new Date('2026-11-23T09:00:00Z')
  const sim = await simulator(t, { orders: 20, now: () => now })
  const clock = { now: () => new Date(now), set: () => undefined, advance: () => undefined }
  const { service } = await startTestService(t, { odoo: sim, clock })
  await service.runSync(cli)
  now = new Date('2026-11-23T09:30:00Z')
  const settling = await service.runSync(cli)
  t.ok((settling?.fetched ?? 0) > 0, 'the last unsettled seconds are read once more')
  const quiet = await service.runSync(cli)
  t.equal(quiet?.fetched, 0, 'then nothing is read until something changes')
  const order = sim.store.records('sale.order')[3]
  if (!order) throw new Error('no order')
  sim.store.update('sale.order', order.id, { client_order_ref: 'changed' })
  t.equal((await service.runSync(cli))?.fetched, 1)
})

for (const pageSize of [10, 17]) await t.test(`a first sync plans orders and contacts exactly as recomputing them afterwards does, whatever the page boundaries (pages of ${pageSize})`, async (t) => {
  const sim = await simulator(t, { orders: 200 })
  // Small pages: repeat customers span pages, and a page is read ahead while the one before it is written.
  const { service } = await startTestService(t, { odoo: sim, env: { SYNC_PAGE_SIZE: String(pageSize) } })
  // Contacts mirrored before the run (a rights request's discovery) and while it runs (a webhook):
  // the run looks up those below the largest it found mirrored, and meets the others as new.
  const customers = [...new Set(sim.store.records('sale.order').map((o) => many2oneId(o.partner_id)))].filter((id) => id !== null).sort((a, b) => a - b)
  const middle = customers.slice(Math.floor(customers.length / 2))
  await service.orderSync.mirrorContacts([customers[3] as number, middle[0] as number])
  const [run] = await Promise.all([service.runSync(cli), service.orderSync.mirrorContacts(middle.slice(1, 6)), service.orderSync.mirrorContacts(middle.slice(-5))])
  t.match(run, { state: 'succeeded' })
  const planned = async () => ({
    orders: (await service.pool.query<{ odoo_id: number; shipped_at: Date | null; completed_at: Date | null; cancelled_at: Date | null; retention_due_at: Date | null; retention_basis: unknown }>('SELECT odoo_id, shipped_at, completed_at, cancelled_at, retention_due_at, retention_basis FROM mirror_orders ORDER BY odoo_id')).rows,
    partners: (await service.pool.query<{ odoo_id: number; retention_due_at: Date | null; redaction_fields: string[] | null }>('SELECT odoo_id, retention_due_at, redaction_fields FROM mirror_partners ORDER BY odoo_id')).rows
  })
  const firstSync = await planned()
  const repeatCustomers = firstSync.partners.filter((p) => firstSync.orders.filter((o) => sim.store.get('sale.order', o.odoo_id)?.partner_id === p.odoo_id).length > 1)
  t.ok(repeatCustomers.length > 0, 'the data set has repeat customers')
  t.ok(firstSync.orders.some((o) => o.shipped_at) && firstSync.orders.some((o) => o.cancelled_at), 'shipped and cancelled orders are among them')
  t.same(await refreshShipment(service.pool, firstSync.orders.map((o) => o.odoo_id)), [], 'every shipment as the mirrored deliveries give it')
  await service.planner.channelsChanged(channelSchema.options)
  t.same(await planned(), firstSync, 'recomputing every order and contact changes nothing')
  t.equal((await service.pool.query('SELECT 1 FROM pgboss.job WHERE name = $1', [REDACT_QUEUE])).rowCount, 0, 'and queues no redaction job: due dates live in the mirror')
})

await t.test('a first sync refreshes the planner statistics of the tables it grows', async (t) => {
  // The first refresh comes once 2,000 orders are written.
  const sim = await simulator(t, { orders: 2100 })
  const { service } = await startTestService(t, { odoo: sim })
  t.match(await service.runSync(cli), { state: 'succeeded' })
  const analyzed = await service.pool.query<{ relname: string }>(
    `SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL AND relname IN ('mirror_orders', 'mirror_partners', 'mirror_pickings') ORDER BY relname`
  )
  t.same(analyzed.rows.map((r) => r.relname), ['mirror_orders', 'mirror_partners', 'mirror_pickings'], 'by this sync rather than autovacuum')
})
