import t from 'tap'
import { startOdooSimulator } from './odoo-simulator/index.ts'
import { executeKw, executeKwError } from './support/odoo-simulator-rpc.ts'

const clockAt = (iso: string): { now: () => Date; set: (iso: string) => void } => {
  let current = new Date(iso)
  return { now: () => current, set: (next) => (current = new Date(next)) }
}

await t.test('validating a delivery marks the picking done without touching its sale order', async (t) => {
  const clock = clockAt('2027-02-01T08:00:00Z')
  const sim = await startOdooSimulator({ orders: 40, now: clock.now })
  t.teardown(() => sim.close())
  const picking = sim.store.records('stock.picking').find((p) => p.state === 'assigned')
  if (!picking) throw new Error('the data set has a delivery to validate')
  const order = sim.store.get('sale.order', Number(picking.sale_id))
  clock.set('2027-02-03T09:30:00Z')
  sim.store.validatePicking(picking.id)
  const after = sim.store.get('stock.picking', picking.id)
  t.equal(after?.state, 'done')
  t.equal(after?.date_done, '2027-02-03 09:30:00')
  t.match(String(after?.write_date), /^2027-02-03 09:30:00\.\d{6}$/)
  t.same(sim.store.get('sale.order', order?.id ?? 0), order, 'the order is unchanged, write_date included')
})

await t.test('validatePicking takes the moment of validation when given', async (t) => {
  const sim = await startOdooSimulator({ orders: 40 })
  t.teardown(() => sim.close())
  const picking = sim.store.records('stock.picking').find((p) => p.state === 'assigned')
  sim.store.validatePicking(picking?.id ?? 0, new Date('2026-12-24T18:00:00Z'))
  t.equal(sim.store.get('stock.picking', picking?.id ?? 0)?.date_done, '2026-12-24 18:00:00')
})

await t.test('cancelling an order cancels its deliveries that are not done', async (t) => {
  const sim = await startOdooSimulator({ orders: 40 })
  t.teardown(() => sim.close())
  const picking = sim.store.records('stock.picking').find((p) => p.state === 'assigned')
  const orderId = Number(picking?.sale_id)
  sim.store.cancelOrder(orderId)
  t.equal(sim.store.get('sale.order', orderId)?.state, 'cancel')
  t.equal(sim.store.get('stock.picking', picking?.id ?? 0)?.state, 'cancel')
})

await t.test('store records are raw stored values: many2one ids, False for empty, microsecond write_date', async (t) => {
  const sim = await startOdooSimulator({ orders: 10 })
  t.teardown(() => sim.close())
  const order = sim.store.get('sale.order', 1)
  t.type(order?.partner_id, 'number')
  t.same(order?.tag_ids, [1])
  t.equal(sim.store.get('res.partner', 14)?.street2, false)
  t.match(String(order?.write_date), /\.\d{6}$/)
})

await t.test('records are copies: changing them does not change the database', async (t) => {
  const sim = await startOdooSimulator({ orders: 10 })
  t.teardown(() => sim.close())
  const order = sim.store.get('sale.order', 1)
  if (order) order.state = 'tampered'
  t.not(sim.store.get('sale.order', 1)?.state, 'tampered')
})

await t.test('create applies Odoo defaults and the new record is visible over RPC', async (t) => {
  const sim = await startOdooSimulator({ orders: 10 })
  t.teardown(() => sim.close())
  const partnerId = sim.store.create('res.partner', { name: 'Walk-in Customer', email: 'walk-in@example.com' })
  const orderId = sim.store.create('sale.order', { partner_id: partnerId })
  const [order] = (await executeKw(sim, 'sale.order', 'read', [[orderId]], { fields: ['name', 'state', 'partner_shipping_id'] })) as { name: string; state: string; partner_shipping_id: [number, string] }[]
  t.same(order, { id: orderId, name: 'S00011', state: 'draft', partner_shipping_id: [partnerId, 'Walk-in Customer'] })
  t.equal(sim.store.get('res.partner', partnerId)?.type, 'contact')
})

await t.test('remove deletes a record and its dependants as Odoo would', async (t) => {
  const sim = await startOdooSimulator({ orders: 10 })
  t.teardown(() => sim.close())
  const order = sim.store.records('sale.order').find((o) => o.state === 'sale')
  const pickings = sim.store.records('stock.picking').filter((p) => p.sale_id === order?.id)
  sim.store.remove('sale.order', order?.id ?? 0)
  t.equal(sim.store.get('sale.order', order?.id ?? 0), undefined)
  for (const picking of pickings) t.equal(sim.store.get('stock.picking', picking.id)?.sale_id, false, 'the delivery stays, unlinked')
  t.same(await executeKw(sim, 'sale.order', 'read', [[order?.id]], { fields: ['name'] }), [])
})

await t.test('remove refuses what the database refuses: a customer with orders', async (t) => {
  const sim = await startOdooSimulator({ orders: 10 })
  t.teardown(() => sim.close())
  t.throws(() => { sim.store.remove('res.partner', 14) }, /sale\.order\.partner_id/)
  t.ok(sim.store.get('res.partner', 14))
})

await t.test('deleting a contact takes its child contacts and chatter with it', async (t) => {
  const sim = await startOdooSimulator({ orders: 10 })
  t.teardown(() => sim.close())
  const id = sim.store.create('res.partner', { name: 'Temporary Customer', phone: '+49 30 1' })
  const child = sim.store.create('res.partner', { name: 'Temporary Delivery', type: 'delivery', parent_id: id })
  sim.store.update('res.partner', id, { phone: '+49 30 2' })
  t.equal(await executeKw(sim, 'res.partner', 'unlink', [[id]]), true)
  t.equal(sim.store.get('res.partner', child), undefined)
  t.equal(sim.store.count('mail.message'), 0)
  t.equal(sim.store.count('mail.tracking.value'), 0)
})

await t.test('unlinking a customer with orders fails with the foreign key message', async (t) => {
  const sim = await startOdooSimulator({ orders: 10 })
  t.teardown(() => sim.close())
  const error = await executeKwError(sim, 'res.partner', 'unlink', [[14]])
  t.equal(error.data.name, 'odoo.exceptions.ValidationError')
  t.match(error.data.message, 'Constraint: sale_order_partner_id_fkey')
})

await t.test('changing unknown records is refused', async (t) => {
  const sim = await startOdooSimulator({ orders: 10 })
  t.teardown(() => sim.close())
  t.throws(() => { sim.store.update('res.partner', 99999, { name: 'x' }) }, /res\.partner has no record 99999/)
  t.throws(() => { sim.store.validatePicking(99999) }, /stock\.picking has no record 99999/)
})
