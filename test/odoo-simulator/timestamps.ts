/**
 * Odoo's datetime formats. Datetime fields are "YYYY-MM-DD HH:MM:SS" in UTC, but PostgreSQL stores
 * create_date/write_date with microseconds ("2026-11-23 04:30:34.860424"); the ORM returns them
 * truncated to whole seconds while domains compare the stored value. Stored stamps keep that
 * fixed-width form, so comparing them as strings orders them in time.
 */
const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

export function formatDatetime(date: Date): string {
  return `${formatDate(date)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
}

function formatDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
}

/** A stamp with microseconds from epoch microseconds. */
export function formatMicros(micros: number): string {
  const seconds = Math.floor(micros / 1_000_000)
  return `${formatDatetime(new Date(seconds * 1000))}.${pad(micros - seconds * 1_000_000, 6)}`
}

/** What the ORM returns for a stored datetime. */
export function truncateToSeconds(stamp: string): string {
  return stamp.slice(0, 19)
}

const STAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/

/** Epoch microseconds of a Date or of an Odoo datetime string (with optional fraction). */
export function toMicros(at: Date | string): number {
  if (at instanceof Date) return at.getTime() * 1000
  const m = STAMP.exec(at)
  if (!m) throw new Error(`not an Odoo datetime: ${at}`)
  const [, y, mo, d, h, mi, s, fraction = ''] = m
  const seconds = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000
  return seconds * 1_000_000 + Number(fraction.padEnd(6, '0'))
}

/**
 * Hands out the write_date of each transaction: the simulator clock with microseconds, never going
 * backwards, and never on a whole second (so that comparing with a returned, truncated value behaves
 * as it does against PostgreSQL).
 */
export class TransactionClock {
  readonly #now: () => Date
  readonly #jitter: () => number
  #last = 0

  constructor(now: () => Date, jitter: () => number) {
    this.#now = now
    this.#jitter = jitter
  }

  now(): Date {
    return this.#now()
  }

  stamp(): string {
    let micros = Math.max(this.#now().getTime() * 1000 + 1 + Math.floor(this.#jitter() * 998), this.#last + 1)
    if (micros % 1_000_000 === 0) micros += 1
    this.#last = micros
    return formatMicros(micros)
  }
}
