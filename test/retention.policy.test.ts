import t from 'tap'
import { computeOrderDueAt, computePartnerDueAt, DEFAULT_POLICIES } from '../src/retention/policy.ts'
import { previewPolicyChange } from '../src/retention/policy-preview.ts'

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

await t.test('a policy preview keeps a contact due when the last of its orders is, on whatever channel, and a hold keeps it from being past due', (t) => {
  const now = at('2026-11-23T10:00:00Z')
  const shipped = { orderDate: at('2026-10-01T00:00:00Z'), shippedAt: at('2026-10-02T00:00:00Z'), completedAt: null, cancelledAt: null }
  const orders = [{ odooId: 1, ...shipped, dueAt: at('2026-11-01T00:00:00Z') }, { odooId: 2, ...shipped, dueAt: at('2026-11-01T00:00:00Z') }]
  const contacts = [
    { partnerId: 10, dueAt: at('2026-11-01T00:00:00Z'), held: false, orders: [{ odooId: 1, dueAt: at('2026-11-01T00:00:00Z') }] },
    // Also on an eBay order due in December: it stays due then, whatever Amazon's rule.
    { partnerId: 11, dueAt: at('2026-12-20T00:00:00Z'), held: false, orders: [{ odooId: 2, dueAt: at('2026-11-01T00:00:00Z') }, { odooId: 99, dueAt: at('2026-12-20T00:00:00Z') }] },
    { partnerId: 12, dueAt: at('2026-11-01T00:00:00Z'), held: true, orders: [{ odooId: 2, dueAt: at('2026-11-01T00:00:00Z') }] }
  ]
  const preview = previewPolicyChange({ channel: 'amazon', rule: { clockEvent: 'shipped', periodDays: 55, fields: ['name'] }, orders, contacts, now })
  t.same(preview.orders, { total: 2, moved: 2 })
  t.same(preview.contacts, { total: 3, earlier: 0, later: 2 }, 'contact 11 keeps its December date')
  t.same(preview.dueNow, { current: 1, proposed: 0 }, 'the held contact is never counted past due')
  t.same(preview.dueNext7Days, { current: 0, proposed: 2 }, 'due 2026-11-26, within a week')
  t.same(preview.dueNext30Days, { current: 1, proposed: 3 })
  t.equal(preview.newlyDue, 0)
  t.end()
})
