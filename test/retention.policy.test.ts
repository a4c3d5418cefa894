import t from 'tap'
import { computeOrderDueAt, computePartnerDueAt, DEFAULT_POLICIES } from '../src/retention/policy.ts'

const at = (iso: string) => new Date(iso)
const order = (over: Partial<Parameters<typeof computeOrderDueAt>[0]>) => ({ orderDate: at('2026-10-01T12:00:00Z'), shippedAt: null, completedAt: null, cancelledAt: null, ...over })

await t.test('Amazon: 30 days after shipment, not before it ships', (t) => {
  t.same(computeOrderDueAt(order({}), DEFAULT_POLICIES.amazon), { dueAt: null, startedBy: null }, 'no shipment, no clock')
  t.same(computeOrderDueAt(order({ shippedAt: at('2026-10-05T08:00:00Z') }), DEFAULT_POLICIES.amazon), { dueAt: at('2026-11-04T08:00:00Z'), startedBy: 'shipped' })
  t.end()
})

await t.test('TikTok Shop: 30 days after the order', (t) => {
  t.same(computeOrderDueAt(order({}), DEFAULT_POLICIES.tiktok_shop).dueAt, at('2026-10-31T12:00:00Z'))
  t.end()
})

await t.test('Etsy: at completion', (t) => {
  t.same(computeOrderDueAt(order({ completedAt: at('2026-10-07T10:00:00Z') }), DEFAULT_POLICIES.etsy), { dueAt: at('2026-10-07T10:00:00Z'), startedBy: 'completed' })
  t.end()
})

await t.test('Shopify, eBay, Bol.com and the rest: 90 days after the order', (t) => {
  for (const channel of ['shopify', 'ebay', 'bol', 'other'] as const) {
    t.same(computeOrderDueAt(order({}), DEFAULT_POLICIES[channel]).dueAt, at('2026-12-30T12:00:00Z'), channel)
  }
  t.end()
})

await t.test('a cancelled order whose event never came expires from its cancellation', (t) => {
  t.same(computeOrderDueAt(order({ cancelledAt: at('2026-10-02T00:00:00Z') }), DEFAULT_POLICIES.amazon), { dueAt: at('2026-11-01T00:00:00Z'), startedBy: 'cancelled' })
  t.same(computeOrderDueAt(order({ cancelledAt: at('2026-10-02T00:00:00Z') }), DEFAULT_POLICIES.etsy).dueAt, at('2026-10-02T00:00:00Z'))
  t.same(computeOrderDueAt(order({ shippedAt: at('2026-10-03T00:00:00Z'), cancelledAt: at('2026-10-09T00:00:00Z') }), DEFAULT_POLICIES.amazon).startedBy, 'shipped', 'the event wins when it came')
  t.end()
})

await t.test('a contact is due when its last order is, and waits while one has no due date', (t) => {
  t.same(computePartnerDueAt([at('2026-11-01T00:00:00Z'), at('2026-12-01T00:00:00Z')]), at('2026-12-01T00:00:00Z'))
  t.equal(computePartnerDueAt([at('2026-11-01T00:00:00Z'), null]), null)
  t.equal(computePartnerDueAt([]), null)
  t.end()
})
