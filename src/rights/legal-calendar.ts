/**
 * The calendar days a law counts, where it applies. A deadline of "one month" or "45 days" ends
 * with the last hour of its last day in local time (Regulation 1182/71 Art. 3 for the GDPR; the
 * CCPA's calendar and business days are California's), which in UTC moves with the time zone and
 * its summer time.
 */

export interface CalendarDate {
  year: number
  /** 1-12 */
  month: number
  day: number
}

/**
 * California for the CCPA. For the GDPR, the EU's three time zones: the shop's is not configured,
 * and the earliest end among them is never later than the law's wherever the shop is.
 */
export const LAW_TIME_ZONES = {
  ccpa: ['America/Los_Angeles'],
  gdpr: ['Europe/Lisbon', 'Europe/Berlin', 'Europe/Helsinki']
} as const

const formats = new Map<string, Intl.DateTimeFormat>()

function wallClock(zone: string, at: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let format = formats.get(zone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
    formats.set(zone, format)
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, Number(part.value)]))
  return { year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0, hour: parts.hour ?? 0, minute: parts.minute ?? 0, second: parts.second ?? 0 }
}

/** The local date of an instant in a time zone. */
export function localDateIn(zone: string, at: Date): CalendarDate {
  const { year, month, day } = wallClock(zone, at.getTime())
  return { year, month, day }
}

/** The last second of a local day, as an instant. */
export function endOfLocalDay(zone: string, date: CalendarDate): Date {
  const next = addCalendarDays(date, 1)
  const midnightUtc = Date.UTC(next.year, next.month - 1, next.day)
  // The zone's offset at that midnight (twice: the first guess may sit on the other side of a change).
  let instant = midnightUtc
  for (let i = 0; i < 2; i++) {
    const local = wallClock(zone, instant)
    const offset = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) - instant
    instant = midnightUtc - offset
  }
  return new Date(instant - 1000)
}

export function addCalendarDays(date: CalendarDate, days: number): CalendarDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days))
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() }
}

/** The same date `months` later, or that month's last day when it has no such date (31 January → 28/29 February). */
export function addCalendarMonths(date: CalendarDate, months: number): CalendarDate {
  const index = date.month - 1 + months
  const year = date.year + Math.floor(index / 12)
  const month = (((index % 12) + 12) % 12) + 1
  return { year, month, day: Math.min(date.day, new Date(Date.UTC(year, month, 0)).getUTCDate()) }
}

/** Monday to Friday, with no holiday calendar (counting no holiday ends a deadline earlier, never later). */
export function addBusinessDays(date: CalendarDate, days: number): CalendarDate {
  let current = date
  for (let counted = 0; counted < days; ) {
    current = addCalendarDays(current, 1)
    const weekday = new Date(Date.UTC(current.year, current.month - 1, current.day)).getUTCDay()
    if (weekday !== 0 && weekday !== 6) counted += 1
  }
  return current
}

/**
 * The earliest end, among the zones, of the last day of a period that runs from the local date of
 * `from`: the period's deadline as the law reads it there.
 */
export function legalEnd(zones: readonly string[], from: Date, lastDay: (received: CalendarDate) => CalendarDate): Date {
  return new Date(Math.min(...zones.map((zone) => endOfLocalDay(zone, lastDay(localDateIn(zone, from))).getTime())))
}
