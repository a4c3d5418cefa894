import t from 'tap'
import { startOdooSimulator } from './odoo-simulator/index.ts'
import { executeKw } from './support/odoo-simulator-rpc.ts'

type Order = { id: number; write_date: string }

await t.test('write_date is stored with microseconds and returned truncated to whole seconds', async (t) => {
  const sim = await startOdooSimulator({ orders: 10 })
  t.teardown(() => sim.close())
  const stored = String(sim.store.get('sale.order', 1)?.write_date)
  t.match(stored, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/)
  const [read] = (await executeKw(sim, 'sale.order', 'read', [[1]], { fields: ['write_date'] })) as Order[]
  t.equal(read?.write_date, stored.slice(0, 19))
})

await t.test('= with a returned write_date matches nothing, > still matches the records that returned it', async (t) => {
  const sim = await startOdooSimulator({ orders: 10 })
  t.teardown(() => sim.close())
  const [first] = (await executeKw(sim, 'sale.order', 'search_read', [[]], { fields: ['write_date'], limit: 1, order: 'write_date asc, id asc' })) as Order[]
  const returned = String(first?.write_date)
  t.equal(await executeKw(sim, 'sale.order', 'search_count', [[['write_date', '=', returned]]]), 0)
  t.equal(await executeKw(sim, 'sale.order', 'search_count', [[['write_date', '>', returned]]]), 10)
})

await t.test('Odoo 19 compares write_date in whole seconds: = with a returned value matches, > does not', async (t) => {
  const sim = await startOdooSimulator({ orders: 10, version: 19 })
  t.teardown(() => sim.close())
  const [first] = (await executeKw(sim, 'sale.order', 'search_read', [[]], { fields: ['write_date'], limit: 1, order: 'write_date asc, id asc' })) as Order[]
  const returned = String(first?.write_date)
  t.equal(await executeKw(sim, 'sale.order', 'search_count', [[['write_date', '=', returned]]]), 10)
  t.equal(await executeKw(sim, 'sale.order', 'search_count', [[['write_date', '>', returned]]]), 0)
})

await t.test('a write moves write_date of the written records only', async (t) => {
  let clock = new Date('2027-01-01T10:00:00Z')
  const sim = await startOdooSimulator({ orders: 10, now: () => clock })
  t.teardown(() => sim.close())
  const before = sim.store.get('sale.order', 2)?.write_date
  clock = new Date('2027-01-01T10:05:00.250Z')
  await executeKw(sim, 'sale.order', 'write', [[1], { client_order_ref: 'X-1' }])
  t.match(String(sim.store.get('sale.order', 1)?.write_date), /^2027-01-01 10:05:00\.250\d{3}$/)
  t.equal(sim.store.get('sale.order', 2)?.write_date, before)
})

await t.test('writes within the same clock millisecond still get increasing write_dates', async (t) => {
  const frozen = new Date('2027-01-01T10:00:00Z')
  const sim = await startOdooSimulator({ orders: 10, now: () => frozen })
  t.teardown(() => sim.close())
  await executeKw(sim, 'sale.order', 'write', [[1], { note: '<p>a</p>' }])
  await executeKw(sim, 'sale.order', 'write', [[2], { note: '<p>b</p>' }])
  t.ok(String(sim.store.get('sale.order', 2)?.write_date) > String(sim.store.get('sale.order', 1)?.write_date))
})

await t.test('touch sets write_date to a given instant, microseconds included', async (t) => {
  const sim = await startOdooSimulator({ orders: 10 })
  t.teardown(() => sim.close())
  sim.store.touch('sale.order', [3, 4], '2026-05-01 12:00:00.123456')
  sim.store.touch('sale.order', 5, new Date('2026-05-01T12:00:01.500Z'))
  t.equal(sim.store.get('sale.order', 3)?.write_date, '2026-05-01 12:00:00.123456')
  t.equal(sim.store.get('sale.order', 4)?.write_date, '2026-05-01 12:00:00.123456')
  t.equal(sim.store.get('sale.order', 5)?.write_date, '2026-05-01 12:00:01.500000')
  t.same(await executeKw(sim, 'sale.order', 'search', [[['write_date', '<', '2026-05-01 12:00:01']]], { order: 'id' }), [3, 4])
})

await t.test('a cursor on (write_date, id) in prefix notation pages through records sharing a write_date', async (t) => {
  const sim = await startOdooSimulator({ orders: 25 })
  t.teardown(() => sim.close())
  sim.store.touch('sale.order', [5, 6, 7, 8], '2026-06-01 00:00:00.000001')
  const seen: number[] = []
  let cursor: Order | undefined
  for (;;) {
    // the service's cursor keeps the stored precision it learned from the last record it saw
    const domain = cursor ? ['|', ['write_date', '>', cursor.write_date], '&', ['write_date', '=', cursor.write_date], ['id', '>', cursor.id]] : []
    const page = (await executeKw(sim, 'sale.order', 'search_read', [domain], { fields: ['write_date'], limit: 4, order: 'write_date asc, id asc' })) as Order[]
    if (page.length === 0) break
    seen.push(...page.map((o) => o.id))
    const last = page[page.length - 1] as Order
    cursor = { id: last.id, write_date: String(sim.store.get('sale.order', last.id)?.write_date) }
  }
  t.equal(new Set(seen).size, 25, 'no order twice')
  t.same(seen.slice(0, 4), [5, 6, 7, 8], 'the earliest write_date first')
})
