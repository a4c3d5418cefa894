import t from 'tap'
import { ccpaBusinessDaysDeadline, ccpaDeadline, gdprDeadline, legalClock } from '../sim/legal-deadlines.ts'
import { Oracle } from '../sim/oracle.ts'
import { BERLIN, LOS_ANGELES, zonedInstant } from '../sim/zoned-time.ts'

// The simulation's oracle reads the rules on its own; these pin its reading to the law's text.
const at = (iso: string) => Date.parse(iso)

await t.test('a wall-clock time in a zone: skipped by the spring change it moves forward by the gap; repeated in autumn, it is the first', (t) => {
  t.equal(zonedInstant(BERLIN, { year: 2028, month: 3, day: 26, hour: 2, minute: 30 }), at('2028-03-26T01:30:00Z'))
  t.equal(zonedInstant(BERLIN, { year: 2028, month: 10, day: 29, hour: 2, minute: 30 }), at('2028-10-29T00:30:00Z'))
  t.equal(zonedInstant(LOS_ANGELES, { year: 2027, month: 11, day: 7, hour: 1, minute: 30 }), at('2027-11-07T08:30:00Z'))
  t.end()
})

await t.test('GDPR: a month ends with the same date in Berlin, or the last day of a shorter month', (t) => {
  t.equal(gdprDeadline(at('2028-01-31T11:00:00Z'), 1), at('2028-02-29T23:00:00Z'), '31 January, leap year: the end of 29 February')
  t.equal(gdprDeadline(at('2028-03-10T22:30:00Z'), 1), at('2028-04-10T22:00:00Z'), 'across the spring change: midnight in summer time')
  t.equal(gdprDeadline(at('2028-03-30T22:20:00Z'), 1), at('2028-04-30T22:00:00Z'), 'the 31st in Berlin while still the 30th in UTC')
  t.equal(gdprDeadline(at('2028-02-22T22:30:00Z'), 3), at('2028-05-22T22:00:00Z'))
  t.end()
})

await t.test("CCPA: days and business days are California's", (t) => {
  t.equal(ccpaDeadline(at('2028-02-02T07:30:00Z'), 45), at('2028-03-18T07:00:00Z'), '23:30 on 1 February in Los Angeles: the end of 17 March, in summer time')
  t.equal(ccpaBusinessDaysDeadline(at('2028-01-17T02:00:00Z'), 15), at('2028-02-05T08:00:00Z'), 'Sunday 18:00 in Los Angeles: the 15th business day is Friday 4 February')
  t.same(legalClock('ccpa_opt_out', 'ccpa', at('2028-01-17T02:00:00Z')), { deadline: at('2028-02-05T08:00:00Z'), latestExtension: null })
  t.end()
})

await t.test('a contact is due when the last order naming it is, and not while one has no clock running', (t) => {
  const oracle = new Oracle([])
  const day = 86_400_000
  oracle.orderCreated({ id: 1, channel: 'tiktok_shop', orderedAt: at('2028-01-01T10:00:00Z'), partners: [7], deliveries: new Map(), quotation: false, cancelledAt: null })
  t.equal(oracle.due(7, at('2028-01-02T00:00:00Z')).dueAt, at('2028-01-01T10:00:00Z') + 30 * day)
  oracle.orderCreated({ id: 2, channel: 'amazon', orderedAt: at('2028-01-05T10:00:00Z'), partners: [7], deliveries: new Map(), quotation: false, cancelledAt: null })
  oracle.deliveriesCreated(2, [20, 21], at('2028-01-05T10:00:00Z'))
  oracle.delivered(2, 20, at('2028-01-06T09:00:00Z'))
  t.equal(oracle.due(7, at('2028-01-07T00:00:00Z')).dueAt, null, 'one delivery of the Amazon order is still open')
  oracle.delivered(2, 21, at('2028-01-09T09:00:00Z'))
  t.equal(oracle.due(7, at('2028-01-10T00:00:00Z')).dueAt, at('2028-01-09T09:00:00Z') + 30 * day, '30 days after the last delivery')
  oracle.policyChanged('amazon', { clockEvent: 'shipped', periodDays: 10 }, at('2028-01-20T00:00:00Z'), 1)
  t.equal(oracle.due(7, at('2028-01-21T00:00:00Z')).dueAt, at('2028-01-01T10:00:00Z') + 30 * day, 'the TikTok Shop order is now due last')
  t.end()
})
