/** Dates in the viewer's own time zone; legal deadlines also in UTC, the zone the service computes them in. */
export const VIEWER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone

const local = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const localDay = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
const utc = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
const utcDay = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' })
const number = new Intl.NumberFormat()

export function dateTime(iso: string | Date): string {
  return local.format(new Date(iso))
}

export function day(iso: string | Date): string {
  return localDay.format(new Date(iso))
}

export function dateTimeUtc(iso: string | Date): string {
  return `${utc.format(new Date(iso))} UTC`
}

/** A calendar day the service counts in UTC (a snapshot's day, an ISO week's Monday). */
export function dayUtc(iso: string | Date): string {
  return utcDay.format(new Date(iso))
}

export function count(n: number): string {
  return number.format(n)
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** How long until a deadline, or how long past it: "3 d 4 h left", "overdue by 2 h 5 min". */
export function countdown(dueIso: string, now: number): { text: string; overdue: boolean } {
  const left = new Date(dueIso).getTime() - now
  const span = Math.abs(left)
  const days = Math.floor(span / DAY)
  const hours = Math.floor((span % DAY) / HOUR)
  const minutes = Math.floor((span % HOUR) / MINUTE)
  const text = days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`
  return left < 0 ? { text: `overdue by ${text}`, overdue: true } : { text: `${text} left`, overdue: false }
}

/** `datetime-local` input's value (the viewer's zone) as an instant. */
export function fromLocalInput(value: string): string {
  return new Date(value).toISOString()
}

export const TYPE_LABELS: Record<string, string> = {
  access: 'Access (GDPR Art. 15)',
  portability: 'Portability (Art. 20)',
  rectification: 'Rectification (Art. 16)',
  erasure: 'Erasure (Art. 17)',
  restriction: 'Restriction (Art. 18)',
  objection: 'Objection (Art. 21)',
  ccpa_know: 'CCPA: know',
  ccpa_delete: 'CCPA: delete',
  ccpa_opt_out: 'CCPA: opt out of sale',
  unclassified: 'Unclassified'
}

export const STATE_LABELS: Record<string, string> = {
  received: 'Received',
  awaiting_verification: 'Awaiting verification',
  verified: 'Verified',
  in_progress: 'In progress',
  completed: 'Completed',
  denied: 'Denied',
  withdrawn: 'Withdrawn'
}

export const CHANNEL_LABELS: Record<string, string> = {
  amazon: 'Amazon',
  tiktok_shop: 'TikTok Shop',
  etsy: 'Etsy',
  shopify: 'Shopify',
  ebay: 'eBay',
  bol: 'Bol.com',
  other: 'Other'
}

export function label(labels: Record<string, string>, value: string): string {
  return labels[value] ?? value.replaceAll('_', ' ')
}
