import t from 'tap'
import { startOdooSimulator } from './odoo-simulator/index.ts'
import { executeKw } from './support/odoo-simulator-rpc.ts'

await t.test('GET /__sim/writes counts the write calls naming each record, only when asked for', async (t) => {
  const sim = await startOdooSimulator({ orders: 5, debugEndpoints: true })
  t.teardown(() => sim.close())
  const [first, second] = (await executeKw(sim, 'res.partner', 'search', [[['customer_rank', '>', 0]]], { limit: 2 })) as number[]
  await executeKw(sim, 'res.partner', 'write', [[first, second], { city: 'Lyon' }])
  await executeKw(sim, 'res.partner', 'write', [[first], { city: 'Nice' }])
  const answer = await fetch(`${sim.url}/__sim/writes?model=res.partner`)
  t.equal(answer.status, 200)
  t.same(await answer.json(), { model: 'res.partner', writes: { [String(first)]: 2, [String(second)]: 1 } })
})

await t.test('without debugEndpoints the route is what Odoo answers for an unknown page', async (t) => {
  const sim = await startOdooSimulator({ orders: 5 })
  t.teardown(() => sim.close())
  const answer = await fetch(`${sim.url}/__sim/writes?model=res.partner`)
  t.equal(answer.status, 404)
})
