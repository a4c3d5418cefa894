import { Prng } from '../test/odoo-simulator/prng.ts'
import type { LocalDate } from './zoned-time.ts'
import { addDays, BERLIN, LOS_ANGELES, localDate, localParts, zonedInstant } from './zoned-time.ts'

/**
 * The shop's year, decided up front from the seed alone: who orders what, when, on which channel,
 * when each delivery leaves the warehouse, which orders are cancelled or returned, which customers
 * come back, who writes to the privacy address and how the agents answer, and the year's
 * incidents (policy changes, outages, a worker killed mid-batch). Running it twice with one seed
 * gives the same year.
 */

export const CHANNELS = ['amazon', 'tiktok_shop', 'etsy', 'shopify', 'ebay', 'bol', 'other'] as const
export type SimChannel = (typeof CHANNELS)[number]

/** How the marketplace connectors mark an order in Odoo: a sales team (and tag) of the channel's name. */
export const CHANNEL_TEAMS: Record<SimChannel, string | null> = { amazon: 'Amazon', tiktok_shop: 'TikTok Shop', etsy: 'Etsy', shopify: 'Shopify', ebay: 'eBay', bol: 'Bol.com', other: null }
const CHANNEL_WEIGHTS: Record<SimChannel, number> = { amazon: 30, tiktok_shop: 12, etsy: 10, shopify: 17, ebay: 12, bol: 11, other: 8 }

export type Language = 'en' | 'de' | 'fr' | 'es' | 'nl' | 'it'

interface Locale {
  country: string
  language: Language
  lang: string
  weight: number
  zone: string
  first: readonly string[]
  last: readonly string[]
  streets: readonly string[]
  places: readonly (readonly [string, string])[]
  phone: (r: Prng) => string
}

const LOCALES: readonly Locale[] = [
  { country: 'DE', language: 'de', lang: 'de_DE', weight: 26, zone: BERLIN, first: ['Lukas', 'Anna', 'Jonas', 'Lea', 'Felix', 'Marie', 'Jürgen', 'Eva'], last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Wagner'], streets: ['Hauptstraße', 'Bahnhofstraße', 'Gartenweg', 'Lindenallee'], places: [['10115', 'Berlin'], ['20095', 'Hamburg'], ['80331', 'München'], ['50667', 'Köln']], phone: (r) => `+49 30 ${r.digits(7)}` },
  { country: 'NL', language: 'nl', lang: 'nl_NL', weight: 12, zone: 'Europe/Amsterdam', first: ['Daan', 'Emma', 'Sem', 'Julia', 'Rosa'], last: ['de Jong', 'Jansen', 'de Vries', 'van Dijk', 'Bakker'], streets: ['Kerkstraat', 'Dorpsstraat', 'Molenweg'], places: [['1011 AB', 'Amsterdam'], ['3011 AA', 'Rotterdam'], ['3511 AA', 'Utrecht']], phone: (r) => `+31 20 ${r.digits(3)} ${r.digits(4)}` },
  { country: 'FR', language: 'fr', lang: 'fr_FR', weight: 14, zone: 'Europe/Paris', first: ['Louis', 'Chloé', 'Hugo', 'Léa', 'Manon'], last: ['Martin', 'Bernard', 'Dubois', 'Petit', 'Robert'], streets: ['rue de la Paix', 'avenue Victor Hugo', 'rue du Moulin'], places: [['75001', 'Paris'], ['69001', 'Lyon'], ['13001', 'Marseille']], phone: (r) => `+33 1 ${r.digits(2)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}` },
  { country: 'US', language: 'en', lang: 'en_US', weight: 20, zone: LOS_ANGELES, first: ['James', 'Olivia', 'Liam', 'Emma', 'Ava', 'Mia'], last: ['Smith', 'Johnson', 'Brown', 'Miller', 'Garcia'], streets: ['Main Street', 'Oak Avenue', 'Sunset Boulevard'], places: [['90001', 'Los Angeles'], ['94103', 'San Francisco'], ['92101', 'San Diego']], phone: (r) => `+1 415-555-01${r.digits(2)}` },
  { country: 'GB', language: 'en', lang: 'en_GB', weight: 12, zone: 'Europe/London', first: ['Oliver', 'Amelia', 'George', 'Isla', 'Grace'], last: ['Jones', 'Taylor', 'Wilson', 'Evans', 'Roberts'], streets: ['High Street', 'Station Road', 'Church Lane'], places: [['SW1A 1AA', 'London'], ['M1 1AE', 'Manchester'], ['EH1 1YZ', 'Edinburgh']], phone: (r) => `+44 20 7946 0${r.digits(3)}` },
  { country: 'ES', language: 'es', lang: 'es_ES', weight: 8, zone: 'Europe/Madrid', first: ['Hugo', 'Lucía', 'Martín', 'Sofía', 'Pablo'], last: ['García', 'Fernández', 'González', 'López'], streets: ['Calle Mayor', 'Calle de Alcalá', 'Calle Real'], places: [['28001', 'Madrid'], ['08001', 'Barcelona'], ['41001', 'Sevilla']], phone: (r) => `+34 91 ${r.digits(3)} ${r.digits(2)} ${r.digits(2)}` },
  { country: 'IT', language: 'it', lang: 'it_IT', weight: 8, zone: 'Europe/Rome', first: ['Leonardo', 'Sofia', 'Francesco', 'Giulia', 'Aurora'], last: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi'], streets: ['Via Roma', 'Via Garibaldi', 'Corso Italia'], places: [['00184', 'Roma'], ['20121', 'Milano'], ['50122', 'Firenze']], phone: (r) => `+39 06 ${r.digits(4)} ${r.digits(4)}` }
]

export interface Customer {
  key: number
  name: string
  email: string
  phone: string
  street: string
  zip: string
  city: string
  country: string
  lang: string
  language: Language
  /** Where the customer lives: the requester's local time, and which law answers their requests. */
  zone: string
  jurisdiction: 'gdpr' | 'ccpa'
  /** A delivery address of its own (a child contact of type delivery), and an invoice one. */
  delivery: boolean
  invoice: boolean
  /** The B2B customer: a company with several delivery contacts. */
  companyDeliveries?: number
}

export interface PlannedOrder {
  n: number
  customer: number
  /** For the company customer: which of its delivery contacts. */
  deliveryIndex: number
  channel: SimChannel
  /** When the connector creates it in Odoo (its date_order is Odoo's own: this instant). */
  importAt: number
  /** A quotation first (awaiting payment): confirmed or cancelled later. */
  draft?: { confirmAt?: number; cancelAt?: number }
  /** When each delivery is validated; more than one: delivered on different days. */
  deliveries: number[]
  /** Cancelled after confirmation (deliveries not done by then are cancelled with it). */
  cancelAt?: number
  /** A return (incoming transfer) received after delivery. */
  returned?: { createdAt: number; doneAt: number }
}

export const RIGHTS_TYPES = ['access', 'portability', 'rectification', 'erasure', 'restriction', 'objection', 'ccpa_know', 'ccpa_delete', 'ccpa_opt_out'] as const
export type RightsType = (typeof RIGHTS_TYPES)[number]

export interface PlannedRequest {
  key: number
  customer: number
  at: number
  via: 'api' | 'email'
  type: RightsType
  language: Language
  jurisdiction: 'gdpr' | 'ccpa'
  /** How it ends. */
  outcome: 'completed' | 'denied' | 'withdrawn'
  /** The agent extends the deadline and answers late within it. */
  extend: boolean
  /** Business days before an agent first acts. */
  agentDelay: number
  /** A named edge of the calendar (DST, month ends) the request was placed on. */
  edge?: string
}

export interface PlannedPolicyChange {
  at: number
  channel: SimChannel
  clockEvent: 'order_date' | 'shipped' | 'completed'
  periodDays: number
  why: string
}

export interface ShopYear {
  start: number
  end: number
  days: number
  customers: Customer[]
  orders: PlannedOrder[]
  requests: PlannedRequest[]
  policyChanges: PlannedPolicyChange[]
  /** Odoo unreachable for the service (the shop's connectors keep writing to it). */
  outages: { from: number; to: number }[]
  /** A redaction worker dies after Odoo accepted its batch's write, before it finished the batch. */
  workerKillAfter: number
  /** Contacts edited in Odoo by customer service (tracked: the old values land in the chatter). */
  edits: { at: number; customer: number }[]
  /** Holds placed by the admin: which kind, when, and when released (or when they end by themselves). */
  holds: { at: number; kind: 'order' | 'partner' | 'email'; release: { at: number; by: 'admin' | 'end' } }[]
}

export interface ShopYearOptions {
  seed: number
  start: Date
  days: number
  orders: number
}

const DAY_MS = 86_400_000

export function planShopYear(options: ShopYearOptions): ShopYear {
  const r = new Prng(options.seed)
  const start = options.start.getTime()
  const end = start + options.days * DAY_MS
  const firstDay = localDate(BERLIN, start)
  const days = Array.from({ length: options.days }, (_, i) => addDays(firstDay, i))

  const customers: Customer[] = []
  const company = newCompany(customers)
  const orders = planOrders(r, options, days, customers, company)
  const lastOrderOf = new Map<number, number>()
  for (const order of orders) lastOrderOf.set(order.customer, order.importAt)

  return {
    start,
    end,
    days: options.days,
    customers,
    orders,
    requests: planRequests(r, options, days, customers, lastOrderOf),
    policyChanges: planPolicyChanges(days),
    outages: [
      { from: sessionAt(dayAt(days, 0.27), 10, 17), to: sessionAt(dayAt(days, 0.27), 15, 40) },
      { from: sessionAt(dayAt(days, 0.72), 1, 5), to: sessionAt(dayAt(days, 0.72), 4, 45) }
    ],
    workerKillAfter: sessionAt(dayAt(days, 0.45), 10, 0),
    edits: planEdits(r, days, orders),
    holds: planHolds(r, days)
  }
}

function dayAt(days: readonly LocalDate[], fraction: number): LocalDate {
  return days[Math.min(days.length - 1, Math.floor(days.length * fraction))] as LocalDate
}

/** A wall-clock time of the shop, in Berlin. */
export function sessionAt(date: LocalDate, hour: number, minute: number): number {
  return zonedInstant(BERLIN, { ...date, hour, minute })
}

/**
 * The connectors import new orders and the marketplaces' status changes (payments confirmed,
 * cancellations) every three hours, 07:00 to 22:00 shop time.
 */
export const IMPORT_HOURS = [7, 10, 13, 16, 19, 22] as const
const IMPORT_WEIGHTS = [0.7, 1, 1.1, 1, 1.3, 1.6]

/**
 * Warehouse rounds: deliveries are validated at 10:00 and 16:00 on weekdays, 10:00 on Saturdays
 * (with the connectors' imports: one sync takes in both, which keeps the year's run short).
 */
export function warehouseRounds(date: LocalDate): number[] {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()
  if (weekday === 0) return []
  if (weekday === 6) return [sessionAt(date, 10, 0)]
  return [sessionAt(date, 10, 0), sessionAt(date, 16, 0)]
}

/** Agents (and the admin) work through their queue at 10:00 and 16:00 on weekdays. */
export function agentSessions(date: LocalDate): number[] {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()
  if (weekday === 0 || weekday === 6) return []
  return [sessionAt(date, 10, 0), sessionAt(date, 16, 0)]
}

/** The first warehouse round at or after an instant. */
function roundAtOrAfter(at: number): number {
  let date = localDate(BERLIN, at)
  for (;;) {
    const round = warehouseRounds(date).find((t) => t >= at)
    if (round !== undefined) return round
    date = addDays(date, 1)
  }
}

/** The first connector import at or after an instant. */
function importAtOrAfter(at: number): number {
  let date = localDate(BERLIN, at)
  for (;;) {
    const slot = IMPORT_HOURS.map((hour) => sessionAt(date, hour, 0)).find((t) => t >= at)
    if (slot !== undefined) return slot
    date = addDays(date, 1)
  }
}

/** Weekly and seasonal shape of demand: weekends, Black Friday to Cyber Monday, December, a quiet January and summer. */
function demand(date: LocalDate): number {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()
  const weekly = [1.35, 1.1, 1, 1, 1, 1.05, 1.2][weekday] as number
  const blackFriday = fourthFridayOfNovember(date.year)
  const sinceBlackFriday = (Date.UTC(date.year, date.month - 1, date.day) - Date.UTC(date.year, 10, blackFriday)) / DAY_MS
  let seasonal = 1
  if (sinceBlackFriday === 0) seasonal = 3.2
  else if (sinceBlackFriday === 3) seasonal = 2.6
  else if (sinceBlackFriday > 0 && sinceBlackFriday < 7) seasonal = 1.8
  else if (date.month === 12 && date.day <= 21) seasonal = 1.5
  else if (date.month === 12 && date.day >= 24 && date.day <= 26) seasonal = 0.5
  else if (date.month === 1) seasonal = 0.8
  else if (date.month === 7 || date.month === 8) seasonal = 0.85
  return weekly * seasonal
}

function fourthFridayOfNovember(year: number): number {
  const first = new Date(Date.UTC(year, 10, 1)).getUTCDay()
  return 1 + ((5 - first + 7) % 7) + 21
}

function weighted<T extends string>(r: Prng, weights: Record<T, number>): T {
  const entries = Object.entries(weights) as [T, number][]
  let roll = r.next() * entries.reduce((sum, [, w]) => sum + w, 0)
  for (const [key, w] of entries) {
    roll -= w
    if (roll < 0) return key
  }
  return (entries[0] as [T, number])[0]
}

function pickLocale(r: Prng): Locale {
  return LOCALES[Number(weighted(r, Object.fromEntries(LOCALES.map((l, i) => [String(i), l.weight]))))] as Locale
}

function ascii(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]/g, '')
}

function newCustomer(r: Prng, customers: Customer[]): Customer {
  const locale = pickLocale(r)
  const first = r.pick(locale.first)
  const last = r.pick(locale.last)
  const [zip, city] = r.pick(locale.places)
  const key = customers.length
  const customer: Customer = {
    key,
    name: `${first} ${last}`,
    email: `${ascii(first)}.${ascii(last)}${key}@example.${['com', 'org', 'net'][key % 3]}`,
    phone: locale.phone(r),
    street: `${r.pick(locale.streets)} ${r.int(1, 180)}`,
    zip,
    city,
    country: locale.country,
    lang: locale.lang,
    language: locale.language,
    zone: locale.zone,
    jurisdiction: locale.country === 'US' ? 'ccpa' : 'gdpr',
    delivery: r.chance(0.45),
    invoice: r.chance(0.15)
  }
  customers.push(customer)
  return customer
}

function newCompany(customers: Customer[]): Customer {
  const company: Customer = {
    key: customers.length,
    name: 'Kontor Nord GmbH',
    email: 'einkauf@kontor-nord.example',
    phone: '+49 40 5550 100',
    street: 'Speicherstadt 4',
    zip: '20457',
    city: 'Hamburg',
    country: 'DE',
    lang: 'de_DE',
    language: 'de',
    zone: BERLIN,
    jurisdiction: 'gdpr',
    delivery: false,
    invoice: false,
    companyDeliveries: 4
  }
  customers.push(company)
  return company
}

function planOrders(r: Prng, options: ShopYearOptions, days: readonly LocalDate[], customers: Customer[], company: Customer): PlannedOrder[] {
  const weights = days.map(demand)
  const total = weights.reduce((a, b) => a + b, 0)
  const orders: PlannedOrder[] = []
  let carried = 0
  const recent: number[] = []
  for (const [index, date] of days.entries()) {
    carried += (options.orders * (weights[index] as number)) / total
    const today = Math.round(carried) - Math.round(carried - (options.orders * (weights[index] as number)) / total)
    const slotWeights = Object.fromEntries(IMPORT_HOURS.map((hour, i) => [String(hour), IMPORT_WEIGHTS[i] as number]))
    for (let k = 0; k < today; k++) {
      const importAt = sessionAt(date, Number(weighted(r, slotWeights)), 0)
      const b2b = r.chance(0.012)
      let customer: Customer
      if (b2b) customer = company
      else if (recent.length > 20 && r.chance(0.3)) customer = customers[recent[recent.length - 1 - r.int(0, Math.min(recent.length - 1, 1500))] as number] as Customer
      else customer = newCustomer(r, customers)
      if (!b2b) recent.push(customer.key)
      const channel: SimChannel = b2b ? 'other' : weighted(r, CHANNEL_WEIGHTS)
      orders.push(planLifecycle(r, { n: orders.length + 1, customer: customer.key, deliveryIndex: b2b ? r.int(0, 3) : 0, channel, importAt, deliveries: [] }))
    }
  }
  return orders.sort((a, b) => a.importAt - b.importAt || a.n - b.n).map((order, i) => ({ ...order, n: i + 1 }))
}

/** Shipments after 0-20 days, some never (cancelled before or after confirmation), some in several deliveries, some returned. */
function planLifecycle(r: Prng, order: PlannedOrder): PlannedOrder {
  let confirmedAt = order.importAt
  if (r.chance(0.06)) {
    if (r.chance(0.3)) return { ...order, draft: { cancelAt: importAtOrAfter(order.importAt + r.int(2, 60) * 3_600_000) } }
    confirmedAt = importAtOrAfter(order.importAt + r.int(4, 40) * 3_600_000)
    order = { ...order, draft: { confirmAt: confirmedAt } }
  }
  const count = r.chance(0.82) ? 1 : r.chance(0.72) ? 2 : 3
  const delay = () => (r.chance(0.85) ? r.int(0, 4) : r.int(5, 20)) * DAY_MS + r.int(0, 8) * 3_600_000
  const deliveries = Array.from({ length: count }, () => roundAtOrAfter(confirmedAt + delay())).sort((a, b) => a - b)
  if (r.chance(0.035)) return { ...order, deliveries, cancelAt: importAtOrAfter(confirmedAt + r.int(1, 30) * 3_600_000) }
  if (count > 1 && r.chance(0.08)) return { ...order, deliveries, cancelAt: importAtOrAfter((deliveries[0] as number) + 3_600_000) }
  const last = deliveries[deliveries.length - 1] as number
  const returned = r.chance(0.04) ? { createdAt: roundAtOrAfter(last + r.int(7, 25) * DAY_MS), doneAt: 0 } : undefined
  if (returned) returned.doneAt = roundAtOrAfter(returned.createdAt + r.int(2, 6) * DAY_MS)
  return { ...order, deliveries, ...(returned ? { returned } : {}) }
}

function planRequests(r: Prng, options: ShopYearOptions, days: readonly LocalDate[], customers: Customer[], lastOrderOf: Map<number, number>): PlannedRequest[] {
  const requests: PlannedRequest[] = []
  const count = Math.max(12, Math.round(options.orders / 80))
  const known = customers.filter((c) => c.companyDeliveries === undefined && lastOrderOf.has(c.key))
  const add = (customer: Customer, at: number, over: Partial<PlannedRequest> = {}) => {
    const type: RightsType = customer.jurisdiction === 'ccpa'
      ? weighted(r, { ccpa_know: 3, ccpa_delete: 3, ccpa_opt_out: 2, access: 1, erasure: 1 })
      : weighted(r, { access: 5, erasure: 5, rectification: 2, restriction: 1.5, objection: 1.5, portability: 1.5 })
    const roll = r.next()
    requests.push({
      key: requests.length,
      customer: customer.key,
      at,
      via: r.chance(0.6) ? 'email' : 'api',
      type,
      language: customer.language,
      jurisdiction: customer.jurisdiction,
      outcome: roll < 0.8 ? 'completed' : roll < 0.9 ? 'denied' : 'withdrawn',
      extend: r.chance(0.08),
      agentDelay: r.int(0, 3),
      ...over
    })
  }
  for (let k = 0; k < count; k++) {
    const day = days[Math.min(days.length - 1, Math.floor((k + r.next()) * (days.length / count)))] as LocalDate
    const candidates = known.filter((c) => (lastOrderOf.get(c.key) as number) < sessionAt(day, 0, 0))
    if (candidates.length === 0) continue
    const customer = r.pick(candidates)
    // Written at the requester's local time, any hour, most in the day and evening.
    const hour = r.chance(0.8) ? r.int(8, 22) : r.int(0, 23)
    add(customer, zonedInstant(customer.zone, { ...day, hour, minute: r.int(0, 59) }))
  }
  // The calendar's edges, placed on purpose: a request written just before midnight ahead of a
  // spring change, on the 31st before a short month, on a Sunday evening in California.
  const eu = known.filter((c) => c.jurisdiction === 'gdpr')
  const us = known.filter((c) => c.jurisdiction === 'ccpa')
  for (const edge of calendarEdges(days)) {
    const pool = edge.zone === BERLIN ? eu : us
    const customer = pool.find((c) => (lastOrderOf.get(c.key) as number) < edge.at)
    if (customer) add(customer, edge.at, { via: 'email', edge: edge.name, ...(edge.type ? { type: edge.type } : {}), outcome: 'completed', extend: edge.extend ?? false })
  }
  return requests.sort((a, b) => a.at - b.at).map((request, key) => ({ ...request, key }))
}

function calendarEdges(days: readonly LocalDate[]): { name: string; zone: string; at: number; type?: RightsType; extend?: boolean }[] {
  const edges: { name: string; zone: string; at: number; type?: RightsType; extend?: boolean }[] = []
  const first = days[0] as LocalDate
  const last = days[days.length - 1] as LocalDate
  const inYear = (date: LocalDate) => Date.UTC(date.year, date.month - 1, date.day) >= Date.UTC(first.year, first.month - 1, first.day) && Date.UTC(date.year, date.month - 1, date.day) <= Date.UTC(last.year, last.month - 1, last.day) - 20 * DAY_MS
  for (const date of days) {
    const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()
    // 23:30 in Berlin in March before the spring change: the month ends after it, in summer time.
    if (date.month === 3 && date.day === lastSundayOf(date.year, 3) - 16 && inYear(date)) edges.push({ name: 'GDPR month across the spring change, received 23:30 Berlin', zone: BERLIN, at: zonedInstant(BERLIN, { ...date, hour: 23, minute: 30 }), extend: true })
    // 00:20 on the 31st, Berlin: still the 30th in UTC, and the next month has no 31st.
    if (date.day === 31 && [1, 3, 5, 8, 10].includes(date.month) && inYear(date) && edges.every((e) => !e.name.startsWith('GDPR month from the 31st'))) edges.push({ name: 'GDPR month from the 31st, received 00:20 Berlin', zone: BERLIN, at: zonedInstant(BERLIN, { ...date, hour: 0, minute: 20 }) })
    // A Sunday evening in Los Angeles is Monday in UTC: business days counted from the wrong day.
    if (weekday === 0 && inYear(date) && edges.every((e) => !e.name.startsWith('CCPA opt-out'))) edges.push({ name: 'CCPA opt-out received Sunday 18:00 Los Angeles', zone: LOS_ANGELES, at: zonedInstant(LOS_ANGELES, { ...date, hour: 18, minute: 0 }), type: 'ccpa_opt_out' })
    // 45 days that contain Los Angeles's spring change, received at 23:30.
    if (date.month === 2 && date.day === 1 && inYear(date)) edges.push({ name: 'CCPA 45 days across the spring change, received 23:30 Los Angeles', zone: LOS_ANGELES, at: zonedInstant(LOS_ANGELES, { ...date, hour: 23, minute: 30 }), type: 'ccpa_know', extend: true })
  }
  return edges
}

function lastSundayOf(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month, 0))
  return lastDay.getUTCDate() - lastDay.getUTCDay()
}

function planPolicyChanges(days: readonly LocalDate[]): PlannedPolicyChange[] {
  return [
    { at: sessionAt(dayAt(days, 0.3), 10, 0), channel: 'ebay', clockEvent: 'order_date', periodDays: 60, why: 'shortened: eBay asks for 60 days' },
    { at: sessionAt(dayAt(days, 0.44), 10, 0), channel: 'shopify', clockEvent: 'order_date', periodDays: 180, why: 'lengthened: warranty claims need 180 days' },
    { at: sessionAt(dayAt(days, 0.58), 10, 0), channel: 'bol', clockEvent: 'shipped', periodDays: 30, why: 'clock event changed: Bol.com counts from shipment' }
  ].map((change) => ({ ...change, clockEvent: change.clockEvent as PlannedPolicyChange['clockEvent'], channel: change.channel as SimChannel }))
}

function planEdits(r: Prng, days: readonly LocalDate[], orders: readonly PlannedOrder[]): ShopYear['edits'] {
  const edits: ShopYear['edits'] = []
  const count = Math.max(4, Math.round(orders.length / 60))
  for (let k = 0; k < count; k++) {
    const day = days[Math.floor(((k + r.next()) * days.length) / count)] as LocalDate
    const sessions = agentSessions(day)
    if (sessions.length === 0) continue
    const at = r.pick(sessions)
    // Someone who ordered in the last few weeks asks customer service to change their address.
    const recent = orders.filter((o) => o.importAt < at && o.importAt > at - 30 * DAY_MS)
    if (recent.length > 0) edits.push({ at, customer: r.pick(recent).customer })
  }
  return edits
}

function planHolds(r: Prng, days: readonly LocalDate[]): ShopYear['holds'] {
  const holds: ShopYear['holds'] = []
  const kinds = ['order', 'partner', 'email'] as const
  const count = Math.max(6, Math.round(days.length / 12))
  for (let k = 0; k < count; k++) {
    const day = days[Math.min(days.length - 1, Math.floor(((k + r.next()) * days.length) / (count + 1)))] as LocalDate
    const sessions = agentSessions(day)
    if (sessions.length === 0) continue
    const at = r.pick(sessions)
    const releaseDay = localDate(BERLIN, at + r.int(5, 40) * DAY_MS)
    const byAdmin = r.chance(0.6)
    const release = byAdmin ? (agentSessions(releaseDay)[0] ?? sessionAt(releaseDay, 11, 0)) : sessionAt(releaseDay, 0, 0)
    holds.push({ at, kind: kinds[k % 3] as (typeof kinds)[number], release: { at: release, by: byAdmin ? 'admin' : 'end' } })
  }
  return holds
}

/** The instant's wall clock in Berlin, for logs and the report. */
export function shopTime(at: number): string {
  const p = localParts(BERLIN, at)
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')} Berlin`
}
