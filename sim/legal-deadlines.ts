import type { LocalDate } from './zoned-time.ts'
import { addDays, BERLIN, daysInMonth, isWeekday, localDate, LOS_ANGELES, startOfLocalDay } from './zoned-time.ts'

/**
 * The oracle's reading of the law's deadlines for answering a request, from their plain text and
 * counted in the local calendar where the law applies: the shop's (Berlin) for the GDPR, California's
 * for the CCPA. A deadline is the end of its last day (the first instant of the next local day).
 * Written without the service's code, which it checks.
 */

/**
 * GDPR Art. 12(3) with Regulation 1182/71 Art. 3: a period of months ends with the last hour of the
 * day in the last month that has the receipt day's date, or of that month's last day when it has no
 * such date.
 */
export function gdprDeadline(receivedAt: number, months: number): number {
  const received = localDate(BERLIN, receivedAt)
  const monthIndex = received.month - 1 + months
  const year = received.year + Math.floor(monthIndex / 12)
  const month = (monthIndex % 12) + 1
  const last: LocalDate = { year, month, day: Math.min(received.day, daysInMonth(year, month)) }
  return endOfLocalDay(BERLIN, last)
}

/** CCPA §1798.130(a)(2): calendar days counted from the day of receipt in California. */
export function ccpaDeadline(receivedAt: number, days: number): number {
  return endOfLocalDay(LOS_ANGELES, addDays(localDate(LOS_ANGELES, receivedAt), days))
}

/** CCPA regulations §7026(f): an opt-out is honoured within 15 business days (Monday to Friday, in California). */
export function ccpaBusinessDaysDeadline(receivedAt: number, businessDays: number): number {
  let date = localDate(LOS_ANGELES, receivedAt)
  for (let counted = 0; counted < businessDays; ) {
    date = addDays(date, 1)
    if (isWeekday(date)) counted += 1
  }
  return endOfLocalDay(LOS_ANGELES, date)
}

export function endOfLocalDay(zone: string, date: LocalDate): number {
  return startOfLocalDay(zone, addDays(date, 1))
}

export interface LegalClock {
  /** The answer is due by then, without extension. */
  deadline: number
  /** The latest an extension may reach; null where the law allows none. */
  latestExtension: number | null
}

/** The legal deadline of a request of this type and law, received at that instant. */
export function legalClock(type: string, jurisdiction: 'gdpr' | 'ccpa', receivedAt: number): LegalClock {
  if (type === 'ccpa_opt_out') return { deadline: ccpaBusinessDaysDeadline(receivedAt, 15), latestExtension: null }
  if (jurisdiction === 'ccpa') return { deadline: ccpaDeadline(receivedAt, 45), latestExtension: ccpaDeadline(receivedAt, 90) }
  return { deadline: gdprDeadline(receivedAt, 1), latestExtension: gdprDeadline(receivedAt, 3) }
}
