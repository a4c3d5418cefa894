import { ADMIN_PARTNER_ID, ADMIN_UID, COMPANY_ID, COMPANY_PARTNER_ID, CURRENCY_ID } from './defaults.ts'
import { COUNTRIES, STATES } from './models/geography.ts'
import { Prng } from './prng.ts'
import type { StoredValue, Version } from './schema.ts'
import { formatDatetime } from './timestamps.ts'

/**
 * The shop's data set, shaped like the one the contract transcripts were recorded against: six
 * marketplace channels (each a sales team and an order tag), individual customers across Europe and
 * the US with delivery and invoice child contacts, repeat customers, quotations, confirmed and
 * cancelled orders, half of the confirmed ones delivered. Deterministic: the same spec always
 * yields the same records, one at a time so that 100,000 orders stay cheap.
 */
export interface GenerationSpec {
  version: Version
  seed: number
  orders: number
  /** date_order spreads over the 120 days before this instant */
  now: Date
  /** the first free id of a model in the database the records go to */
  firstId: (model: string) => number
}

export interface GeneratedRecord {
  model: string
  values: { id: number } & Record<string, StoredValue>
}

export const CHANNELS = ['Amazon', 'TikTok Shop', 'Etsy', 'Shopify', 'eBay', 'Bol.com'] as const
type Channel = (typeof CHANNELS)[number]

/** Every MANUAL_EVERY-th order (starting with the MANUAL_FIRST-th) is entered by hand: no channel. */
const MANUAL_EVERY = 25
const MANUAL_FIRST = 7
const DAY = 86_400_000

interface Locale {
  code: string
  lang: string
  weight: number
  firstNames: readonly string[]
  lastNames: readonly string[]
  streets: readonly string[]
  houseFirst: boolean
  places: readonly (readonly [zip: string, city: string, state?: string])[]
  phone: (r: Prng) => string
  mobile: (r: Prng) => string
}

const LOCALES: readonly Locale[] = [
  {
    code: 'DE', lang: 'de_DE', weight: 25, houseFirst: false,
    firstNames: ['Lukas', 'Anna', 'Jonas', 'Lea', 'Felix', 'Marie', 'Noah', 'Eva'],
    lastNames: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Wagner', 'Becker'],
    streets: ['Hauptstraße', 'Bahnhofstraße', 'Gartenweg', 'Schillerstraße', 'Lindenallee'],
    places: [['10115', 'Berlin'], ['20095', 'Hamburg'], ['80331', 'München'], ['50667', 'Köln'], ['60311', 'Frankfurt am Main']],
    phone: (r) => `+49 30 ${r.digits(7)}`,
    mobile: (r) => `+49 151 ${r.digits(8)}`,
  },
  {
    code: 'NL', lang: 'nl_NL', weight: 12, houseFirst: false,
    firstNames: ['Daan', 'Emma', 'Sem', 'Julia', 'Lucas', 'Sophie', 'Rosa'],
    lastNames: ['de Jong', 'Jansen', 'de Vries', 'van Dijk', 'Bakker', 'Visser'],
    streets: ['Kerkstraat', 'Dorpsstraat', 'Molenweg', 'Stationsweg'],
    places: [['1011 AB', 'Amsterdam'], ['3011 AA', 'Rotterdam'], ['2511 BT', 'Den Haag'], ['3511 AA', 'Utrecht']],
    phone: (r) => `+31 20 ${r.digits(3)} ${r.digits(4)}`,
    mobile: (r) => `+31 6 ${r.digits(8)}`,
  },
  {
    code: 'FR', lang: 'fr_FR', weight: 15, houseFirst: true,
    firstNames: ['Louis', 'Chloé', 'Hugo', 'Léa', 'Jules', 'Manon', 'Camille'],
    lastNames: ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Petit'],
    streets: ['rue de la Paix', 'avenue Victor Hugo', 'rue du Moulin', 'boulevard Voltaire'],
    places: [['75001', 'Paris'], ['69001', 'Lyon'], ['13001', 'Marseille'], ['31000', 'Toulouse']],
    phone: (r) => `+33 1 ${r.digits(2)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}`,
    mobile: (r) => `+33 6 ${r.digits(2)} ${r.digits(2)} ${r.digits(2)} ${r.digits(2)}`,
  },
  {
    code: 'US', lang: 'en_US', weight: 20, houseFirst: true,
    firstNames: ['James', 'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Mia'],
    lastNames: ['Smith', 'Johnson', 'Williams', 'Brown', 'Miller', 'Garcia'],
    streets: ['Main Street', 'Oak Avenue', 'Maple Drive', 'Sunset Boulevard', 'Pine Street'],
    places: [['90001', 'Los Angeles', 'CA'], ['94103', 'San Francisco', 'CA'], ['92101', 'San Diego', 'CA'], ['10001', 'New York', 'NY'], ['73301', 'Austin', 'TX'], ['98101', 'Seattle', 'WA']],
    phone: (r) => `+1 415-555-01${r.digits(2)}`,
    mobile: (r) => `+1 213-555-01${r.digits(2)}`,
  },
  {
    code: 'GB', lang: 'en_GB', weight: 12, houseFirst: true,
    firstNames: ['Oliver', 'Amelia', 'George', 'Isla', 'Harry', 'Grace'],
    lastNames: ['Jones', 'Taylor', 'Wilson', 'Evans', 'Thomas', 'Roberts'],
    streets: ['High Street', 'Station Road', 'Church Lane', 'Victoria Road'],
    places: [['SW1A 1AA', 'London'], ['M1 1AE', 'Manchester'], ['B1 1AA', 'Birmingham'], ['EH1 1YZ', 'Edinburgh']],
    phone: (r) => `+44 20 7946 0${r.digits(3)}`,
    mobile: (r) => `+44 7700 900${r.digits(3)}`,
  },
  {
    code: 'ES', lang: 'es_ES', weight: 8, houseFirst: false,
    firstNames: ['Hugo', 'Lucía', 'Martín', 'Sofía', 'Pablo', 'Martina'],
    lastNames: ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez'],
    streets: ['Calle Mayor', 'Calle de Alcalá', 'Avenida de la Constitución', 'Calle Real'],
    places: [['28001', 'Madrid'], ['08001', 'Barcelona'], ['41001', 'Sevilla']],
    phone: (r) => `+34 91 ${r.digits(3)} ${r.digits(2)} ${r.digits(2)}`,
    mobile: (r) => `+34 612 ${r.digits(3)} ${r.digits(3)}`,
  },
  {
    code: 'IT', lang: 'it_IT', weight: 8, houseFirst: false,
    firstNames: ['Leonardo', 'Sofia', 'Francesco', 'Giulia', 'Alessandro', 'Aurora'],
    lastNames: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano'],
    streets: ['Via Roma', 'Via Garibaldi', 'Corso Italia', 'Via Dante'],
    places: [['00184', 'Roma'], ['20121', 'Milano'], ['50122', 'Firenze']],
    phone: (r) => `+39 06 ${r.digits(4)} ${r.digits(4)}`,
    mobile: (r) => `+39 312 ${r.digits(3)} ${r.digits(4)}`,
  },
]

const TOTAL_WEIGHT = LOCALES.reduce((sum, locale) => sum + locale.weight, 0)
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net']

/** Marketplace order numbers in each marketplace's own format. */
function marketplaceReference(channel: Channel, r: Prng, shopifyNumber: number): string {
  switch (channel) {
    case 'Amazon':
      return `${r.int(100, 499)}-${r.digits(7)}-${r.digits(7)}`
    case 'TikTok Shop':
      return `57${r.digits(16)}`
    case 'Etsy':
      return `30${r.digits(8)}`
    case 'Shopify':
      return `#${1000 + shopifyNumber}`
    case 'eBay':
      return `${r.digits(2)}-${r.digits(5)}-${r.digits(5)}`
    case 'Bol.com':
      return `A000${r.hex(6)}`
  }
}

interface Customer {
  id: number
  shippingId: number
  invoiceId: number
}

/** The first customers follow the recorded data set, whose requests name them by id. */
const HEAD_CHILDREN: readonly { delivery: boolean; invoice: boolean }[] = [
  { delivery: true, invoice: false },
  { delivery: false, invoice: true },
  { delivery: true, invoice: false },
  { delivery: false, invoice: false },
  { delivery: true, invoice: false },
]

export function* generateShop(spec: GenerationSpec): Generator<GeneratedRecord> {
  const r = new Prng(spec.seed)
  const ids = new Map<string, number>()
  const nextId = (model: string): number => {
    const id = ids.get(model) ?? spec.firstId(model)
    ids.set(model, id + 1)
    return id
  }

  const teams: number[] = []
  const tags: number[] = []
  for (const [i, name] of CHANNELS.entries()) {
    const team = { id: nextId('crm.team'), name, active: true, sequence: 10, company_id: COMPANY_ID, user_id: ADMIN_UID }
    const tag = { id: nextId('crm.tag'), name, color: i + 1 }
    teams.push(team.id)
    tags.push(tag.id)
    yield { model: 'crm.team', values: team }
    yield { model: 'crm.tag', values: tag }
  }

  const customers: Customer[] = []
  function* newCustomer(children: { delivery: boolean; invoice: boolean }): Generator<GeneratedRecord, Customer> {
    const index = customers.length
    const locale = pickLocale(r)
    const first = r.pick(locale.firstNames)
    const last = r.pick(locale.lastNames)
    const name = `${first} ${last}`
    const [zip, city, stateCode] = r.pick(locale.places)
    const country = COUNTRIES.find((c) => c.code === locale.code)
    const address = {
      street: street(locale, r),
      street2: false,
      zip,
      city,
      state_id: STATES.find((s) => s.code === stateCode && s.countryId === country?.id)?.id ?? false,
      country_id: country?.id ?? false,
    }
    const mobile: Record<string, StoredValue> = spec.version === 19 ? {} : { mobile: r.chance(0.6) ? locale.mobile(r) : false }
    const contact: GeneratedRecord['values'] = {
      id: nextId('res.partner'),
      name,
      type: 'contact',
      is_company: false,
      active: true,
      lang: locale.lang,
      customer_rank: 1,
      email: `${emailPart(first)}.${emailPart(last)}${index}@${EMAIL_DOMAINS[index % EMAIL_DOMAINS.length]}`,
      phone: locale.phone(r),
      ...mobile,
      ...address,
    }
    yield { model: 'res.partner', values: contact }
    const customer = { id: contact.id, shippingId: contact.id, invoiceId: contact.id }
    const child = (type: string, childName: string, streetName: string): GeneratedRecord => ({
      model: 'res.partner',
      values: {
        id: nextId('res.partner'),
        name: childName,
        type,
        parent_id: contact.id,
        is_company: false,
        active: true,
        lang: locale.lang,
        email: false,
        phone: locale.mobile(r),
        ...(spec.version === 19 ? {} : { mobile: false }),
        ...address,
        street: streetName,
        street2: `Apt ${r.int(1, 40)}`,
      },
    })
    if (children.delivery) {
      const delivery = child('delivery', name, street(locale, r))
      customer.shippingId = delivery.values.id
      yield delivery
    }
    if (children.invoice) {
      const invoice = child('invoice', `${name} Billing`, street(locale, r))
      customer.invoiceId = invoice.values.id
      yield invoice
    }
    customers.push(customer)
    return customer
  }

  for (const children of HEAD_CHILDREN) yield* newCustomer(children)
  const [c0, c1, c2, c3, c4] = customers as [Customer, Customer, Customer, Customer, Customer]
  const headCustomers = [c4, c0, c1, c2, c3]
  const specialCustomers = [
    { id: COMPANY_PARTNER_ID, shippingId: COMPANY_PARTNER_ID, invoiceId: COMPANY_PARTNER_ID },
    { id: ADMIN_PARTNER_ID, shippingId: ADMIN_PARTNER_ID, invoiceId: ADMIN_PARTNER_ID },
  ]

  let channelOrders = 0
  let shopifyOrders = 0
  let manualOrders = 0
  for (let n = 1; n <= spec.orders; n++) {
    const manual = n % MANUAL_EVERY === MANUAL_FIRST
    let customer: Customer
    if (manual && manualOrders < specialCustomers.length) customer = specialCustomers[manualOrders] as Customer
    else if (n <= headCustomers.length) customer = headCustomers[n - 1] as Customer
    else if (r.chance(0.65)) customer = yield* newCustomer({ delivery: r.chance(0.5), invoice: r.chance(0.2) })
    else customer = r.pick(customers)
    if (manual) manualOrders++

    const channelIndex = manual ? -1 : channelOrders++ % CHANNELS.length
    const channel = CHANNELS[channelIndex]
    if (channel === 'Shopify') shopifyOrders++
    const roll = r.next()
    const state = roll < 0.12 ? 'draft' : roll < 0.9 ? 'sale' : 'cancel'
    const ordered = new Date(spec.now.getTime() - Math.floor(r.next() * 120 * DAY))
    const total = r.int(990, 24990) / 100
    const untaxed = Math.round((total / 1.19) * 100) / 100
    const order = {
      id: nextId('sale.order'),
      name: `S${String(n).padStart(5, '0')}`,
      state,
      date_order: formatDatetime(ordered),
      partner_id: customer.id,
      partner_invoice_id: customer.invoiceId,
      partner_shipping_id: customer.shippingId,
      team_id: channel ? (teams[channelIndex] as number) : false,
      tag_ids: channel ? [tags[channelIndex] as number] : [],
      origin: channel ?? false,
      client_order_ref: channel ? marketplaceReference(channel, r, shopifyOrders) : false,
      amount_untaxed: untaxed,
      amount_tax: Math.round((total - untaxed) * 100) / 100,
      amount_total: total,
      currency_id: CURRENCY_ID,
      company_id: COMPANY_ID,
      user_id: ADMIN_UID,
      picking_policy: 'direct',
      invoice_status: state === 'sale' ? 'to invoice' : 'no',
      ...(spec.version === 16 ? {} : { locked: false }),
    }
    yield { model: 'sale.order', values: order }

    if (state === 'sale') {
      const id = nextId('stock.picking')
      const delivered = r.chance(0.5)
      const doneAt = Math.min(ordered.getTime() + r.int(1, 6) * DAY, spec.now.getTime() - 3_600_000)
      yield {
        model: 'stock.picking',
        values: {
          id,
          name: `WH/OUT/${String(id).padStart(5, '0')}`,
          state: delivered ? 'done' : 'assigned',
          date_done: delivered ? formatDatetime(new Date(Math.max(doneAt, ordered.getTime()))) : false,
          scheduled_date: formatDatetime(new Date(ordered.getTime() + DAY)),
          priority: '0',
          move_type: 'direct',
          picking_type_code: 'outgoing',
          partner_id: customer.shippingId,
          sale_id: order.id,
          // Odoo 18's sale_stock writes the customer reference next to the order name.
          origin: spec.version === 18 && order.client_order_ref ? `${order.name} - ${order.client_order_ref}` : order.name,
          company_id: COMPANY_ID,
          user_id: ADMIN_UID,
        },
      }
    }
  }
}

function pickLocale(r: Prng): Locale {
  let roll = r.next() * TOTAL_WEIGHT
  for (const locale of LOCALES) {
    roll -= locale.weight
    if (roll < 0) return locale
  }
  return LOCALES[0] as Locale
}

function street(locale: Locale, r: Prng): string {
  const name = r.pick(locale.streets)
  const number = r.int(1, 180)
  return locale.houseFirst ? `${number} ${name}` : `${name} ${number}`
}

function emailPart(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]/g, '')
}
