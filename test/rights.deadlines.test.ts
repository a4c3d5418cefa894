import t from 'tap'
import { computeAcknowledgeBy, computeDueAt, computeExtendedDueAt, computeTargetAt, extensionAllowed, isOverdue } from '../src/rights/deadlines.ts'
import type { ExtendableRequest } from '../src/rights/deadlines.ts'
import type { Jurisdiction, RequestType } from '../src/rights/request-types.ts'

const at = (iso: string) => new Date(iso)
const gdpr = (receivedAt: string) => ({ type: 'access' as RequestType, jurisdiction: 'gdpr' as Jurisdiction, receivedAt: at(receivedAt) })
const ccpa = (receivedAt: string) => ({ type: 'ccpa_know' as RequestType, jurisdiction: 'ccpa' as Jurisdiction, receivedAt: at(receivedAt) })
const open = (request: ReturnType<typeof gdpr>, dueAt = computeDueAt(request, 30)): ExtendableRequest => ({ ...request, state: 'in_progress', dueAt })
const extension = (until: string, reason = 'Orders from four marketplaces to collect') => ({ until: at(until), reason })

await t.test('GDPR: due one calendar month after receipt, same day and time', (t) => {
  t.same(computeDueAt(gdpr('2026-03-10T09:15:00Z'), 30), at('2026-04-10T09:15:00Z'))
  t.end()
})

await t.test('GDPR: received on the 31st, due on the last day of a shorter month', (t) => {
  t.same(computeDueAt(gdpr('2026-03-31T12:00:00Z'), 30), at('2026-04-30T12:00:00Z'))
  t.end()
})

await t.test('GDPR: received 31 January, due 28 February in a common year', (t) => {
  t.same(computeDueAt(gdpr('2026-01-31T12:00:00Z'), 30), at('2026-02-28T12:00:00Z'))
  t.end()
})

await t.test('GDPR: received 31 January, due 29 February in a leap year', (t) => {
  t.same(computeDueAt(gdpr('2028-01-31T12:00:00Z'), 30), at('2028-02-29T12:00:00Z'))
  t.end()
})

await t.test('GDPR: received 29 February, due 29 March', (t) => {
  t.same(computeDueAt(gdpr('2028-02-29T08:00:00Z'), 30), at('2028-03-29T08:00:00Z'))
  t.end()
})

await t.test('GDPR: received 31 December, due 31 January of the next year', (t) => {
  t.same(computeDueAt(gdpr('2026-12-31T23:30:00Z'), 30), at('2027-01-31T23:30:00Z'))
  t.end()
})

await t.test('CCPA: due 45 calendar days after receipt', (t) => {
  t.same(computeDueAt(ccpa('2026-03-10T09:15:00Z'), 30), at('2026-04-24T09:15:00Z'))
  t.same(computeDueAt({ ...ccpa('2026-03-10T09:15:00Z'), type: 'ccpa_delete' }, 30), at('2026-04-24T09:15:00Z'))
  t.end()
})

await t.test('CCPA: an opt-out of sale is due 15 business days after receipt', (t) => {
  t.same(computeDueAt({ ...ccpa('2026-03-02T10:00:00Z'), type: 'ccpa_opt_out' }, 30), at('2026-03-23T10:00:00Z'))
  t.end()
})

// Found by the simulation (#15): the law counts days where it applies, and the deadline shown must never be later than the law's.
await t.test("CCPA: an opt-out sent on a Sunday evening in California counts business days from Sunday, not from UTC's Monday", (t) => {
  // Sunday 18:00 in Los Angeles is Monday 02:00 UTC; the 15th business day is Friday 4 February, ending 08:00 UTC the next day.
  const due = computeDueAt({ ...ccpa('2028-01-17T02:00:00Z'), type: 'ccpa_opt_out' }, 30)
  t.ok(due.getTime() < at('2028-02-05T08:00:00Z').getTime(), `due ${due.toISOString()}`)
  t.same(due, at('2028-02-05T07:59:59Z'), 'the end of that Friday in California')
  t.end()
})

await t.test('CCPA: 45 days across the spring change end with the 45th day in California', (t) => {
  // 23:30 on 1 February in Los Angeles (PST); 45 days later is 17 March (PDT), ending 07:00 UTC on the 18th.
  const due = computeDueAt(ccpa('2028-02-02T07:30:00Z'), 30)
  t.same(due, at('2028-03-18T06:59:59Z'))
  t.end()
})

await t.test('GDPR: a month that spans the spring change ends with its last day, not an hour into the next', (t) => {
  // 23:30 on 10 March in Berlin (CET); the month ends with 10 April, midnight in Berlin (CEST) being 22:00 UTC.
  const due = computeDueAt(gdpr('2028-03-10T22:30:00Z'), 30)
  t.same(due, at('2028-04-10T21:59:59Z'))
  t.end()
})

await t.test('GDPR: received in the first minutes of the 31st in Berlin, the month ends on the 30th of a 30-day month', (t) => {
  // 00:20 on 31 March 2028 in Berlin (CEST) is 30 March 22:20 UTC; the month ends with 30 April in Berlin.
  const due = computeDueAt(gdpr('2028-03-30T22:20:00Z'), 30)
  t.ok(due.getTime() <= at('2028-04-30T22:00:00Z').getTime(), `due ${due.toISOString()}`)
  t.end()
})

await t.test('GDPR: three months count in the local calendar too', (t) => {
  const request = { ...gdpr('2028-02-22T22:30:00Z'), state: 'in_progress' as const, dueAt: computeDueAt(gdpr('2028-02-22T22:30:00Z'), 30) }
  const check = extensionAllowed(request, at('2028-03-01T09:00:00Z'))
  t.ok(check.ok && check.latestUntil.getTime() <= at('2028-05-22T22:00:00Z').getTime(), JSON.stringify(check))
  t.end()
})

await t.test('other jurisdictions: due after the configured number of days', (t) => {
  t.same(computeDueAt({ ...gdpr('2026-03-10T09:15:00Z'), jurisdiction: 'other' }, 30), at('2026-04-09T09:15:00Z'))
  t.end()
})

await t.test('the shop target is 7 business days by default, skipping the weekend', (t) => {
  t.same(computeTargetAt(at('2026-03-02T10:00:00Z')), at('2026-03-11T10:00:00Z'), 'Monday to Wednesday of the next week')
  t.same(computeTargetAt(at('2026-03-06T10:00:00Z')), at('2026-03-17T10:00:00Z'), 'Friday to Tuesday two weeks on')
  t.end()
})

await t.test('a request received at the weekend starts counting business days on Monday', (t) => {
  t.same(computeTargetAt(at('2026-03-07T10:00:00Z')), at('2026-03-17T10:00:00Z'))
  t.end()
})

await t.test('the shop target takes another number of business days', (t) => {
  t.same(computeTargetAt(at('2026-03-02T10:00:00Z'), 5), at('2026-03-09T10:00:00Z'))
  t.end()
})

await t.test('CCPA: receipt is acknowledged within 10 business days', (t) => {
  t.same(computeAcknowledgeBy(ccpa('2026-03-02T10:00:00Z')), at('2026-03-16T10:00:00Z'))
  t.end()
})

await t.test('no acknowledgement deadline for a GDPR request or a CCPA opt-out', (t) => {
  t.equal(computeAcknowledgeBy(gdpr('2026-03-02T10:00:00Z')), null)
  t.equal(computeAcknowledgeBy({ ...ccpa('2026-03-02T10:00:00Z'), type: 'ccpa_opt_out' }), null)
  t.end()
})

await t.test('an open request is overdue once its due date has passed, not at it', (t) => {
  const dueAt = at('2026-04-10T09:15:00Z')
  for (const state of ['received', 'awaiting_verification', 'verified', 'in_progress'] as const) {
    t.equal(isOverdue(dueAt, state, at('2026-04-10T09:15:00.001Z')), true, state)
    t.equal(isOverdue(dueAt, state, dueAt), false, `${state} at the due instant`)
  }
  t.end()
})

await t.test('a closed request is never overdue', (t) => {
  for (const state of ['completed', 'denied', 'withdrawn'] as const) {
    t.equal(isOverdue(at('2026-04-10T09:15:00Z'), state, at('2026-06-01T00:00:00Z')), false, state)
  }
  t.end()
})

await t.test('GDPR: extendable up to three months from receipt, notice within the first month', (t) => {
  t.same(extensionAllowed(open(gdpr('2026-01-15T10:00:00Z')), at('2026-02-01T00:00:00Z')), {
    ok: true,
    noticeBy: at('2026-02-15T10:00:00Z'),
    latestUntil: at('2026-04-15T10:00:00Z')
  })
  t.same(computeExtendedDueAt(open(gdpr('2026-01-15T10:00:00Z')), extension('2026-04-15T10:00:00Z'), at('2026-02-01T00:00:00Z')), { ok: true, dueAt: at('2026-04-15T10:00:00Z') })
  t.end()
})

await t.test('GDPR: an extension beyond three months from receipt is refused with the latest date', (t) => {
  t.same(computeExtendedDueAt(open(gdpr('2026-01-15T10:00:00Z')), extension('2026-04-15T10:00:00.001Z'), at('2026-02-01T00:00:00Z')), {
    ok: false,
    refusal: { code: 'beyond_maximum', latestUntil: at('2026-04-15T10:00:00Z') }
  })
  t.end()
})

await t.test('GDPR: three months count from receipt, not from a month-end due date', (t) => {
  const check = extensionAllowed(open(gdpr('2026-01-31T10:00:00Z')), at('2026-02-10T00:00:00Z'))
  t.same(check, { ok: true, noticeBy: at('2026-02-28T10:00:00Z'), latestUntil: at('2026-04-30T10:00:00Z') })
  t.end()
})

await t.test('GDPR: a second extension inside the first month may reach the three months', (t) => {
  const once = open(gdpr('2026-01-15T10:00:00Z'), at('2026-03-15T10:00:00Z'))
  t.same(computeExtendedDueAt(once, extension('2026-04-15T10:00:00Z'), at('2026-02-10T00:00:00Z')), { ok: true, dueAt: at('2026-04-15T10:00:00Z') })
  t.end()
})

await t.test('GDPR: a request already extended to three months cannot be extended again', (t) => {
  const atMaximum = open(gdpr('2026-01-15T10:00:00Z'), at('2026-04-15T10:00:00Z'))
  t.same(extensionAllowed(atMaximum, at('2026-02-10T00:00:00Z')), { ok: false, refusal: { code: 'at_maximum', latestUntil: at('2026-04-15T10:00:00Z') } })
  t.end()
})

await t.test('GDPR: notice given after the first month is refused', (t) => {
  t.same(computeExtendedDueAt(open(gdpr('2026-01-15T10:00:00Z')), extension('2026-03-15T10:00:00Z'), at('2026-02-15T10:00:00.001Z')), {
    ok: false,
    refusal: { code: 'notice_too_late', noticeBy: at('2026-02-15T10:00:00Z') }
  })
  t.end()
})

await t.test('GDPR: notice given at the last instant of the first month is in time', (t) => {
  t.equal(extensionAllowed(open(gdpr('2026-01-15T10:00:00Z')), at('2026-02-15T10:00:00Z')).ok, true)
  t.end()
})

await t.test('CCPA: extendable once, by up to 45 more days', (t) => {
  t.same(computeExtendedDueAt(open(ccpa('2026-03-10T09:15:00Z')), extension('2026-06-08T09:15:00Z'), at('2026-04-01T00:00:00Z')), { ok: true, dueAt: at('2026-06-08T09:15:00Z') })
  t.end()
})

await t.test('CCPA: an extension beyond 90 days from receipt is refused', (t) => {
  t.same(computeExtendedDueAt(open(ccpa('2026-03-10T09:15:00Z')), extension('2026-06-09T09:15:00Z'), at('2026-04-01T00:00:00Z')), {
    ok: false,
    refusal: { code: 'beyond_maximum', latestUntil: at('2026-06-08T09:15:00Z') }
  })
  t.end()
})

await t.test('CCPA: a second extension is refused even short of 90 days', (t) => {
  const once = open(ccpa('2026-03-10T09:15:00Z'), at('2026-05-10T09:15:00Z'))
  t.same(computeExtendedDueAt(once, extension('2026-06-08T09:15:00Z'), at('2026-04-01T00:00:00Z')), { ok: false, refusal: { code: 'already_extended' } })
  t.end()
})

await t.test('CCPA: notice given after the first 45 days is refused', (t) => {
  t.same(extensionAllowed(open(ccpa('2026-03-10T09:15:00Z')), at('2026-04-25T00:00:00Z')), {
    ok: false,
    refusal: { code: 'notice_too_late', noticeBy: at('2026-04-24T09:15:00Z') }
  })
  t.end()
})

await t.test('an extension without a reason is refused', (t) => {
  t.same(computeExtendedDueAt(open(gdpr('2026-01-15T10:00:00Z')), extension('2026-03-15T10:00:00Z', '  '), at('2026-02-01T00:00:00Z')), { ok: false, refusal: { code: 'reason_missing' } })
  t.end()
})

await t.test('an extension that does not move the due date later is refused', (t) => {
  t.same(computeExtendedDueAt(open(gdpr('2026-01-15T10:00:00Z')), extension('2026-02-15T10:00:00Z'), at('2026-02-01T00:00:00Z')), {
    ok: false,
    refusal: { code: 'not_after_due', dueAt: at('2026-02-15T10:00:00Z') }
  })
  t.end()
})

await t.test('a closed request cannot be extended', (t) => {
  t.same(extensionAllowed({ ...open(gdpr('2026-01-15T10:00:00Z')), state: 'completed' }, at('2026-02-01T00:00:00Z')), { ok: false, refusal: { code: 'request_closed' } })
  t.end()
})

await t.test('a CCPA opt-out and an other-jurisdiction request have no extension', (t) => {
  const optOut = { ...ccpa('2026-03-02T10:00:00Z'), type: 'ccpa_opt_out' as RequestType }
  t.same(extensionAllowed(open(optOut), at('2026-03-03T00:00:00Z')), { ok: false, refusal: { code: 'not_extendable' } })
  const other = { ...gdpr('2026-03-02T10:00:00Z'), jurisdiction: 'other' as Jurisdiction }
  t.same(extensionAllowed(open(other), at('2026-03-03T00:00:00Z')), { ok: false, refusal: { code: 'not_extendable' } })
  t.end()
})
