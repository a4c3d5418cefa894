/**
 * Wall-clock dates in a time zone, for the shop's working hours and for the oracle's reading of
 * legal deadlines. Written for the simulation alone (with Intl), independent of the service's own
 * date arithmetic, which it checks.
 */

export const BERLIN = 'Europe/Berlin'
export const LOS_ANGELES = 'America/Los_Angeles'

export interface LocalDate {
  year: number
  /** 1-12 */
  month: number
  day: number
}

export interface LocalDateTime extends LocalDate {
  hour: number
  minute: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(zone: string): Intl.DateTimeFormat {
  let found = formatters.get(zone)
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' })
    formatters.set(zone, found)
  }
  return found
}

const seen = new Map<string, LocalDateTime & { second: number; weekday: number }>()

/** The wall clock in `zone` at an instant. */
export function localParts(zone: string, at: number): LocalDateTime & { second: number; weekday: number } {
  const key = `${zone}@${at}`
  let found = seen.get(key)
  if (!found) {
    if (seen.size > 200_000) seen.clear()
    found = computeLocalParts(zone, at)
    seen.set(key, found)
  }
  return found
}

function computeLocalParts(zone: string, at: number): LocalDateTime & { second: number; weekday: number } {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(at)).map((part) => [part.type, part.value]))
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(String(parts.weekday))
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second), weekday }
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(zone: string, at: number): number {
  const p = localParts(zone, at)
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000
}

/**
 * The instant a wall-clock time in `zone` names. A time skipped by a spring change (02:30 in
 * Berlin on the last Sunday of March) is moved forward by the gap (03:30 summer time); a time
 * repeated by an autumn change is its first occurrence.
 */
export function zonedInstant(zone: string, local: LocalDateTime): number {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute)
  const before = naive - offsetAt(zone, naive - 12 * 3_600_000)
  const after = naive - offsetAt(zone, naive + 12 * 3_600_000)
  const matching = [before, after].filter((at) => {
    const p = localParts(zone, at)
    return p.hour === local.hour && p.minute === local.minute && p.day === local.day
  })
  return matching.length > 0 ? Math.min(...matching) : before
}

/** The start (00:00) of a local day, as an instant. */
export function startOfLocalDay(zone: string, date: LocalDate): number {
  return zonedInstant(zone, { ...date, hour: 0, minute: 0 })
}

/** The calendar day `days` after `date` (negative: before). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days))
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** Monday to Friday. */
export function isWeekday(date: LocalDate): boolean {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()
  return weekday >= 1 && weekday <= 5
}

export function localDate(zone: string, at: number): LocalDate {
  const { year, month, day } = localParts(zone, at)
  return { year, month, day }
}

export function isoDate(date: LocalDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`
}
