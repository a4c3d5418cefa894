import { isOpen } from './request-states.ts'
import type { Jurisdiction, RequestState, RequestType } from './request-types.ts'
import * as local from './legal-calendar.ts'
import { LAW_TIME_ZONES } from './legal-calendar.ts'

/*
 * All dates are UTC instants and keep the time of day of the receipt, but never end later than
 * the law's last day where it applies (see legal-calendar.ts): near midnight, across a change of
 * summer time, or on a weekend evening in California, the UTC count would run past it. Business
 * days are Monday to Friday, with no holiday calendar, so a deadline counted in business days may
 * come a little earlier than the law's, never later.
 */

const DAY_MS = 86_400_000

/** Received dates deadlines can be computed from: near the end of JavaScript's dates there are none. */
export const RECEIVED_RANGE = { earliest: new Date('2000-01-01T00:00:00Z'), latest: new Date('9999-12-31T23:59:59Z') } as const

export interface DatedRequest {
  type: RequestType
  jurisdiction: Jurisdiction
  receivedAt: Date
}

/**
 * Calendar months as EU law counts them (Regulation 1182/71 Art. 3(2)(c)): the same day of the
 * month, or the last day of the month when it has no such day (received 31 January, due 28 or 29
 * February). That regulation would move a deadline falling on a weekend or holiday to the next
 * working day; we do not, so the date shown is never later than the legal one.
 */
function addCalendarMonths(from: Date, months: number): Date {
  const year = from.getUTCFullYear()
  const month = from.getUTCMonth() + months
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  const day = Math.min(from.getUTCDate(), daysInMonth)
  return new Date(Date.UTC(year, month, day, from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds()))
}

function addCalendarDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS)
}

function isWeekend(date: Date): boolean {
  const day = date.getUTCDay()
  return day === 0 || day === 6
}

function addBusinessDays(from: Date, days: number): Date {
  let date = from
  for (let counted = 0; counted < days; ) {
    date = addCalendarDays(date, 1)
    if (!isWeekend(date)) counted += 1
  }
  return date
}

/**
 * When the answer is due without extension. GDPR Art. 12(3): one month from receipt. CCPA
 * §1798.130(a)(2)(A) and regulations §7021(b): 45 calendar days from receipt, running even while
 * the requester is being verified. CCPA regulations §7026: an opt-out of sale or sharing is
 * honoured within 15 business days. Elsewhere: the configured number of days.
 */
export function computeDueAt(request: DatedRequest, otherDays: number): Date {
  const { receivedAt } = request
  if (request.type === 'ccpa_opt_out') return earliest(addBusinessDays(receivedAt, 15), local.legalEnd(LAW_TIME_ZONES.ccpa, receivedAt, (d) => local.addBusinessDays(d, 15)))
  switch (request.jurisdiction) {
    case 'gdpr':
      return gdprMonths(receivedAt, 1)
    case 'ccpa':
      return ccpaDays(receivedAt, 45)
    case 'other':
      return addCalendarDays(receivedAt, otherDays)
  }
}

function gdprMonths(receivedAt: Date, months: number): Date {
  return earliest(addCalendarMonths(receivedAt, months), local.legalEnd(LAW_TIME_ZONES.gdpr, receivedAt, (d) => local.addCalendarMonths(d, months)))
}

function ccpaDays(receivedAt: Date, days: number): Date {
  return earliest(addCalendarDays(receivedAt, days), local.legalEnd(LAW_TIME_ZONES.ccpa, receivedAt, (d) => local.addCalendarDays(d, days)))
}

function earliest(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b
}

/** The shop's own promise, shorter than the law's (default 7 business days). */
export function computeTargetAt(receivedAt: Date, businessDays = 7): Date {
  return addBusinessDays(receivedAt, businessDays)
}

/**
 * CCPA regulations §7021(a): receipt of a request to know, delete or correct is confirmed within
 * 10 business days, saying how it will be verified. An opt-out needs no confirmation, and the GDPR
 * asks for none.
 */
export function computeAcknowledgeBy(request: DatedRequest): Date | null {
  if (request.jurisdiction !== 'ccpa' || request.type === 'ccpa_opt_out') return null
  return earliest(addBusinessDays(request.receivedAt, 10), local.legalEnd(LAW_TIME_ZONES.ccpa, request.receivedAt, (d) => local.addBusinessDays(d, 10)))
}

/** Only a request still waiting for its answer is overdue; a closed one is not, however late it was closed. */
export function isOverdue(dueAt: Date, state: RequestState, now: Date): boolean {
  return isOpen(state) && now.getTime() > dueAt.getTime()
}

export interface ExtendableRequest extends DatedRequest {
  state: RequestState
  /** The due date now in force: the original one, or the one of an earlier extension. */
  dueAt: Date
}

export interface ExtensionRequest {
  until: Date
  reason: string
}

export type ExtensionRefusal =
  | { code: 'request_closed' }
  | { code: 'not_extendable' }
  | { code: 'already_extended' }
  | { code: 'at_maximum'; latestUntil: Date }
  | { code: 'notice_too_late'; noticeBy: Date }
  | { code: 'reason_missing' }
  | { code: 'not_after_due'; dueAt: Date }
  | { code: 'beyond_maximum'; latestUntil: Date }

export type ExtensionCheck = { ok: true; noticeBy: Date; latestUntil: Date } | { ok: false; refusal: ExtensionRefusal }
export type ExtensionDecision = { ok: true; dueAt: Date } | { ok: false; refusal: ExtensionRefusal }

interface ExtensionLimits {
  /** The original deadline, by which the requester must have been told of the extension and why. */
  noticeBy: Date
  latestUntil: Date
  once: boolean
}

/**
 * GDPR Art. 12(3): extendable by up to two further months (three from receipt), the requester
 * told of it with reasons within the first month. CCPA §1798.130(a)(2)(A) and regulations
 * §7021(b): extendable once by 45 more days (90 from receipt), with notice and an explanation
 * within the first 45. An opt-out (CCPA regulations §7026) and the configured `other` deadline
 * have no extension.
 */
function extensionLimits(request: DatedRequest): ExtensionLimits | null {
  if (request.type === 'ccpa_opt_out') return null
  switch (request.jurisdiction) {
    case 'gdpr':
      return { noticeBy: gdprMonths(request.receivedAt, 1), latestUntil: gdprMonths(request.receivedAt, 3), once: false }
    case 'ccpa':
      return { noticeBy: ccpaDays(request.receivedAt, 45), latestUntil: ccpaDays(request.receivedAt, 90), once: true }
    case 'other':
      return null
  }
}

/** Whether the request may be extended by a notice given at `noticeAt`, and how far. */
export function extensionAllowed(request: ExtendableRequest, noticeAt: Date): ExtensionCheck {
  if (!isOpen(request.state)) return { ok: false, refusal: { code: 'request_closed' } }
  const limits = extensionLimits(request)
  if (!limits) return { ok: false, refusal: { code: 'not_extendable' } }
  if (limits.once && request.dueAt.getTime() > limits.noticeBy.getTime()) return { ok: false, refusal: { code: 'already_extended' } }
  if (request.dueAt.getTime() >= limits.latestUntil.getTime()) return { ok: false, refusal: { code: 'at_maximum', latestUntil: limits.latestUntil } }
  if (noticeAt.getTime() > limits.noticeBy.getTime()) return { ok: false, refusal: { code: 'notice_too_late', noticeBy: limits.noticeBy } }
  return { ok: true, noticeBy: limits.noticeBy, latestUntil: limits.latestUntil }
}

/** The new due date for a requested extension, or why it is refused; both laws require the reason to be given. */
export function computeExtendedDueAt(request: ExtendableRequest, extension: ExtensionRequest, noticeAt: Date): ExtensionDecision {
  const check = extensionAllowed(request, noticeAt)
  if (!check.ok) return check
  if (extension.reason.trim() === '') return { ok: false, refusal: { code: 'reason_missing' } }
  if (extension.until.getTime() <= request.dueAt.getTime()) return { ok: false, refusal: { code: 'not_after_due', dueAt: request.dueAt } }
  if (extension.until.getTime() > check.latestUntil.getTime()) return { ok: false, refusal: { code: 'beyond_maximum', latestUntil: check.latestUntil } }
  return { ok: true, dueAt: extension.until }
}
