import t from 'tap'
import { startOdooSimulator } from './odoo-simulator/index.ts'
import { executeKw } from './support/odoo-simulator-rpc.ts'

await t.test('restart listens again on the same port with the data kept', async (t) => {
  const sim = await startOdooSimulator({ orders: 5 })
  t.teardown(() => sim.close())
  const url = sim.url
  await executeKw(sim, 'res.partner', 'write', [[8], { name: 'Renamed before restart' }])
  await sim.restart()
  t.equal(sim.url, url)
  const [partner] = (await executeKw(sim, 'res.partner', 'read', [[8]], { fields: ['name'] })) as { name: string }[]
  t.equal(partner?.name, 'Renamed before restart')
})

await t.test('restart drops the connections that are open', async (t) => {
  const sim = await startOdooSimulator({ orders: 5 })
  t.teardown(() => sim.close())
  sim.faults.hangNext()
  const hanging = executeKw(sim, 'sale.order', 'search_count', [[]])
  while (sim.calls.length === 0) await new Promise((resolve) => setImmediate(resolve))
  await sim.restart()
  await t.rejects(hanging)
  t.equal(await executeKw(sim, 'sale.order', 'search_count', [[]]), 5)
})

await t.test('a closed simulator refuses connections', async (t) => {
  const sim = await startOdooSimulator({ orders: 5 })
  await sim.close()
  await t.rejects(fetch(`${sim.url}/jsonrpc`, { method: 'POST', body: '{}' }))
})
