import t from 'tap'
import type { Test } from 'tap'
import type { OdooConfig } from '../src/config/env.ts'
import { OdooAccessError, OdooUnavailableError } from '../src/odoo/errors.ts'
import { failureOf } from './support/odoo-nock.ts'
import { inflightProxy } from './support/odoo-inflight-proxy.ts'
import { callsTo, gateway, PROTOCOL_MATRIX, simulator } from './support/odoo-simulated.ts'

const RETRIES = 2
const orderRead = { model: 'sale.order', method: 'search_read' }
const readOrders = { fields: ['name'], limit: 2 }

t.jobs = PROTOCOL_MATRIX.length

for (const { version, protocol } of PROTOCOL_MATRIX) {
  await t.test(`Odoo ${version} over ${protocol}`, async (t) => {
    async function setup(t: Test, overrides: Partial<OdooConfig> = {}) {
      const sim = await simulator(t, { version, orders: 6 })
      const sleeps: number[] = []
      const odoo = gateway(t, sim, protocol, { retries: RETRIES, retryBaseMs: 40, ...overrides }, {
        sleep: (ms) => {
          sleeps.push(ms)
          return Promise.resolve()
        },
        random: () => 1
      })
      await odoo.authenticate()
      return { sim, odoo, sleeps }
    }

    await t.test('proxy errors (502, then 503) on a read are retried with growing backoff until it succeeds', async (t) => {
      const { sim, odoo, sleeps } = await setup(t)
      sim.faults.failNext({ status: 502, match: orderRead })
      sim.faults.failNext({ status: 503, match: orderRead })
      t.equal((await odoo.searchRead('sale.order', [], readOrders)).length, 2)
      t.equal(callsTo(sim, 'sale.order', 'search_read'), 3)
      t.same(sleeps, [40, 80])
    })

    await t.test('a serialization failure on a write is retried and the write lands', async (t) => {
      const { sim, odoo } = await setup(t)
      const contact = sim.store.records('res.partner').find((partner) => partner.type === 'delivery')?.id ?? 0
      sim.faults.odooFaultNext({ kind: 'SerializationFailure', match: { model: 'res.partner', method: 'write' } })
      await odoo.write('res.partner', [contact], { street: 'Redacted' })
      t.equal(callsTo(sim, 'res.partner', 'write'), 2)
      t.equal(sim.store.get('res.partner', contact)?.street, 'Redacted')
    })

    await t.test('an access error is not retried', async (t) => {
      const { sim, odoo } = await setup(t)
      sim.faults.odooFaultNext({ kind: 'AccessError', match: orderRead })
      await t.rejects(odoo.searchRead('sale.order', [], readOrders), OdooAccessError)
      t.equal(callsTo(sim, 'sale.order', 'search_read'), 1)
    })

    await t.test('a create is not retried after a proxy error: it may have happened', async (t) => {
      const { sim, odoo } = await setup(t)
      sim.faults.failNext({ status: 502, match: { model: 'res.partner', method: 'create' } })
      await t.rejects(odoo.create('res.partner', { name: 'Once Only' }), OdooUnavailableError)
      t.equal(callsTo(sim, 'res.partner', 'create'), 1)
    })

    await t.test('retries are bounded: after the last one the error reaches the caller', async (t) => {
      const { sim, odoo } = await setup(t)
      sim.faults.failNext({ status: 504, times: 10, match: orderRead })
      t.match(await failureOf(odoo.searchRead('sale.order', [], readOrders)), { name: 'OdooUnavailableError', message: /504/ })
      t.equal(callsTo(sim, 'sale.order', 'search_read'), RETRIES + 1)
    })

    await t.test('a hung connection times out as OdooUnavailableError once the retries are spent', async (t) => {
      const { sim, odoo } = await setup(t, { timeoutMs: 150 })
      sim.faults.hangNext({ times: RETRIES + 1, match: orderRead })
      t.match(await failureOf(odoo.searchRead('sale.order', [], readOrders)), { name: 'OdooUnavailableError', transient: true })
      t.equal(callsTo(sim, 'sale.order', 'search_read'), RETRIES + 1)
      t.equal((await odoo.searchRead('sale.order', [], readOrders)).length, 2, 'the next call goes through')
    })

    await t.test('no more calls are in flight than maxConcurrency, the rest queue', async (t) => {
      const sim = await simulator(t, { version, orders: 6 })
      const proxy = await inflightProxy(sim.url)
      t.teardown(() => proxy.close())
      const odoo = gateway(t, sim, protocol, { url: proxy.url, maxConcurrency: 3 })
      await odoo.authenticate()
      sim.faults.latency(40)
      const results = await Promise.all(Array.from({ length: 12 }, () => odoo.searchRead('sale.order', [], readOrders)))
      t.equal(results.length, 12)
      t.equal(callsTo(sim, 'sale.order', 'search_read'), 12)
      t.equal(proxy.mostInFlight(), 3)
    })
  })
}
