import { createHash } from 'node:crypto'
import t from 'tap'
import { CHANNELS, generateShop } from './odoo-simulator/generate.ts'
import type { GeneratedRecord, GenerationSpec } from './odoo-simulator/generate.ts'
import { startOdooSimulator } from './odoo-simulator/index.ts'

const NOW = new Date('2027-03-01T12:00:00Z')
const spec = (overrides: Partial<GenerationSpec> = {}): GenerationSpec => ({ version: 18, seed: 1, orders: 300, now: NOW, firstId: () => 100, ...overrides })
const digest = (records: Iterable<GeneratedRecord>): string => {
  const hash = createHash('sha256')
  for (const record of records) hash.update(JSON.stringify(record))
  return hash.digest('hex')
}
const byModel = (records: GeneratedRecord[], model: string): GeneratedRecord['values'][] => records.filter((r) => r.model === model).map((r) => r.values)

await t.test('the same seed and counts generate the same records', (t) => {
  t.equal(digest(generateShop(spec())), digest(generateShop(spec())))
  t.end()
})

await t.test('another seed generates other records', (t) => {
  t.not(digest(generateShop(spec({ seed: 2 }))), digest(generateShop(spec())))
  t.end()
})

await t.test('100,000 orders can be generated', (t) => {
  let orders = 0
  let partners = 0
  for (const record of generateShop(spec({ orders: 100_000 }))) {
    if (record.model === 'sale.order') orders++
    if (record.model === 'res.partner') partners++
  }
  t.equal(orders, 100_000)
  t.ok(partners > 50_000 && partners < 150_000, `${partners} contacts`)
  t.end()
})

await t.test('each channel is a sales team and an order tag of the same name', (t) => {
  const records = [...generateShop(spec())]
  t.same(byModel(records, 'crm.team').map((v) => v.name), [...CHANNELS])
  t.same(byModel(records, 'crm.tag').map((v) => v.name), [...CHANNELS])
  t.end()
})

await t.test('marketplace orders carry the channel as origin and the marketplace order number', (t) => {
  const formats: Record<string, RegExp> = {
    Amazon: /^\d{3}-\d{7}-\d{7}$/,
    'TikTok Shop': /^57\d{16}$/,
    Etsy: /^30\d{8}$/,
    Shopify: /^#1\d{3,}$/,
    eBay: /^\d{2}-\d{5}-\d{5}$/,
    'Bol.com': /^A000[0-9A-F]+$/,
  }
  const orders = byModel([...generateShop(spec())], 'sale.order')
  const misfits = orders.filter((o) => o.origin !== false && !formats[String(o.origin)]?.test(String(o.client_order_ref)))
  t.same(misfits.map((o) => `${String(o.origin)} ${String(o.client_order_ref)}`), [])
  const manual = orders.filter((o) => o.origin === false)
  t.ok(manual.length > 0 && manual.length < orders.length / 10, 'a few manual orders')
  t.ok(manual.every((o) => o.team_id === false && Array.isArray(o.tag_ids) && o.tag_ids.length === 0 && o.client_order_ref === false))
  t.end()
})

await t.test('the first order belongs to an individual customer with a delivery contact', async (t) => {
  const sim = await startOdooSimulator({ version: 18, orders: 20 })
  t.teardown(() => sim.close())
  const order = sim.store.get('sale.order', 1)
  const customer = sim.store.get('res.partner', Number(order?.partner_id))
  const shipping = sim.store.get('res.partner', Number(order?.partner_shipping_id))
  t.equal(customer?.id, 14)
  t.match(customer, { type: 'contact', is_company: false, parent_id: undefined })
  t.match(shipping, { type: 'delivery', parent_id: 14 })
  for (const id of [8, 12]) t.match(sim.store.get('res.partner', id), { type: 'delivery' }, `contact ${id} is a delivery contact`)
})

await t.test('on Odoo 19 the customers start one id earlier, as on the recorded server', async (t) => {
  const sim = await startOdooSimulator({ version: 19, orders: 20 })
  t.teardown(() => sim.close())
  t.equal(sim.store.get('sale.order', 1)?.partner_id, 13)
  t.match(sim.store.get('res.partner', 14), { type: 'delivery', parent_id: 13 })
  t.notOk('mobile' in (sim.store.get('res.partner', 13) ?? {}))
})

await t.test('customers are individuals with e-mail, phone and an address in several countries', (t) => {
  const partners = byModel([...generateShop(spec())], 'res.partner')
  const customers = partners.filter((p) => p.type === 'contact')
  t.ok(customers.every((c) => c.is_company === false && typeof c.email === 'string' && typeof c.phone === 'string' && typeof c.street === 'string'))
  const countries = new Set(customers.map((c) => c.country_id))
  t.ok(countries.size >= 6, `${countries.size} countries`)
  t.ok(customers.some((c) => c.country_id === 233 && c.state_id === 13), 'some live in California')
  const share = (type: string): number => partners.filter((p) => p.type === type).length / customers.length
  t.ok(share('delivery') > 0.35 && share('delivery') < 0.65, 'about half have a delivery contact')
  t.ok(share('invoice') > 0.1 && share('invoice') < 0.3, 'about a fifth have an invoice contact')
  t.end()
})

await t.test('repeat customers order several times', (t) => {
  const orders = byModel([...generateShop(spec())], 'sale.order')
  const counts = new Map<unknown, number>()
  for (const order of orders) counts.set(order.partner_id, (counts.get(order.partner_id) ?? 0) + 1)
  t.ok([...counts.values()].some((n) => n >= 3))
  t.end()
})

await t.test('orders are quotations, confirmed or cancelled, dated over the last 120 days', (t) => {
  const orders = byModel([...generateShop(spec())], 'sale.order')
  t.same(new Set(orders.map((o) => o.state)), new Set(['draft', 'sale', 'cancel']))
  const oldest = new Date(NOW.getTime() - 120 * 86_400_000).toISOString().replace('T', ' ').slice(0, 19)
  t.ok(orders.every((o) => String(o.date_order) >= oldest && String(o.date_order) <= '2027-03-01 12:00:00'))
  t.end()
})

await t.test('about half of the confirmed orders have their delivery done', (t) => {
  const records = [...generateShop(spec())]
  const confirmed = byModel(records, 'sale.order').filter((o) => o.state === 'sale')
  const pickings = byModel(records, 'stock.picking')
  t.equal(pickings.length, confirmed.length, 'one outgoing delivery per confirmed order')
  const done = pickings.filter((p) => p.state === 'done')
  t.ok(done.length / pickings.length > 0.35 && done.length / pickings.length < 0.65)
  t.ok(done.every((p) => typeof p.date_done === 'string' && p.picking_type_code === 'outgoing'))
  t.end()
})

await t.test('some orders belong to the company or to a user, whose contacts must never be redacted', async (t) => {
  const sim = await startOdooSimulator({ orders: 60 })
  t.teardown(() => sim.close())
  const customers = new Set(sim.store.records('sale.order').map((o) => o.partner_id))
  t.ok(customers.has(1), 'the company partner')
  t.ok(customers.has(3), 'the admin user partner')
  t.ok(sim.store.records('res.users').some((u) => u.partner_id === 3))
})
