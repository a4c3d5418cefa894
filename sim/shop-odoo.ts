import type { SimulatorStore, StoredValue } from '../test/odoo-simulator/index.ts'
import { formatDatetime } from '../test/odoo-simulator/timestamps.ts'
import type { Customer, PlannedOrder, SimChannel } from './shop-year.ts'
import { CHANNEL_TEAMS } from './shop-year.ts'

/** What redaction leaves in a contact's name: the service's placeholder (Odoo refuses an empty name). */
export const REDACTED_NAME = 'Redacted customer'

/** The contact fields that hold personal data, as the service's policies list them. */
export const PII_FIELDS = ['name', 'street', 'street2', 'zip', 'city', 'email', 'phone', 'mobile'] as const

export interface CustomerContacts {
  /** The customer (or the company). */
  main: number
  delivery: number[]
  invoice: number | null
}

export interface CreatedOrder {
  id: number
  channel: SimChannel
  partnerIds: number[]
  pickings: number[]
}

/**
 * The shop's side of Odoo: what the marketplace connectors, the warehouse and customer service do
 * there, written straight into the simulator's database (they do not go through the bridge, and
 * they keep working while the bridge cannot reach Odoo).
 */
export class ShopOdoo {
  readonly #store: SimulatorStore
  readonly #teams = new Map<string, number>()
  readonly #tags = new Map<string, number>()
  readonly contacts = new Map<number, CustomerContacts>()
  /** Contacts edited with tracking on: only their chatter can hold old values. */
  readonly tracked = new Set<number>()
  #pickingNumber = 0

  constructor(store: SimulatorStore) {
    this.#store = store
    for (const team of store.records('crm.team')) this.#teams.set(String(team.name), team.id)
    for (const tag of store.records('crm.tag')) this.#tags.set(String(tag.name), tag.id)
  }

  /** The customer's contacts, created the first time they order; a redacted one is filled in again (the connector matches the buyer by marketplace id). */
  contactsFor(customer: Customer): { contacts: CustomerContacts; refilled: number[] } {
    const known = this.contacts.get(customer.key)
    if (known) return { contacts: known, refilled: [known.main, ...known.delivery, ...(known.invoice ? [known.invoice] : [])].filter((id) => this.#refill(id, customer)) }
    const address = { street: customer.street, zip: customer.zip, city: customer.city, lang: customer.lang }
    const main = this.#store.create('res.partner', {
      name: customer.name, email: customer.email, phone: customer.phone, ...address,
      is_company: customer.companyDeliveries !== undefined, customer_rank: 1, type: 'contact'
    })
    const child = (type: 'delivery' | 'invoice', index: number) =>
      this.#store.create('res.partner', { ...this.#childValues(customer, type, index), parent_id: main, type })
    const delivery = customer.companyDeliveries !== undefined
      ? Array.from({ length: customer.companyDeliveries }, (_, i) => child('delivery', i))
      : customer.delivery ? [child('delivery', 0)] : []
    const contacts = { main, delivery, invoice: customer.invoice ? child('invoice', 0) : null }
    this.contacts.set(customer.key, contacts)
    return { contacts, refilled: [] }
  }

  #childValues(customer: Customer, type: 'delivery' | 'invoice', index: number): Record<string, StoredValue> {
    const person = customer.companyDeliveries !== undefined ? ['Lager Altona', 'Filiale Harburg', 'Büro Wandsbek', 'Werkstatt Bergedorf'][index] ?? `Standort ${index}` : customer.name
    return {
      name: type === 'invoice' ? `${customer.name} Billing` : person,
      phone: `${customer.phone.slice(0, -2)}${String(10 + index).slice(-2)}`,
      street: `${customer.street.replace(/\d+$/, '')}${index + 2}`,
      street2: type === 'delivery' ? `Tor ${index + 1}` : false,
      zip: customer.zip,
      city: customer.city,
      lang: customer.lang
    }
  }

  #refill(id: number, customer: Customer): boolean {
    const row = this.#store.get('res.partner', id)
    if (!row || row.name !== REDACTED_NAME) return false
    const contacts = this.contacts.get(customer.key) as CustomerContacts
    const values = id === contacts.main
      ? { name: customer.name, email: customer.email, phone: customer.phone, street: customer.street, zip: customer.zip, city: customer.city }
      : this.#childValues(customer, id === contacts.invoice ? 'invoice' : 'delivery', Math.max(0, contacts.delivery.indexOf(id)))
    this.#store.update('res.partner', id, values)
    this.tracked.add(id)
    return true
  }

  /** The connector creates the order (confirmed, or a quotation awaiting payment) with its deliveries. */
  createOrder(order: PlannedOrder, customer: Customer, at: Date): CreatedOrder {
    const { contacts } = this.contactsFor(customer)
    const shipping = contacts.delivery[order.deliveryIndex] ?? contacts.delivery[0] ?? contacts.main
    const invoice = contacts.invoice ?? contacts.main
    const team = CHANNEL_TEAMS[order.channel]
    const total = 9.9 + ((order.n * 37) % 240)
    const id = this.#store.create('sale.order', {
      name: `S${String(order.n).padStart(5, '0')}`,
      state: order.draft ? 'draft' : 'sale',
      date_order: formatDatetime(at),
      partner_id: contacts.main,
      partner_invoice_id: invoice,
      partner_shipping_id: shipping,
      team_id: team ? (this.#teams.get(team) ?? false) : false,
      tag_ids: team && this.#tags.has(team) ? [this.#tags.get(team) as number] : [],
      origin: team ?? false,
      client_order_ref: false,
      amount_total: total,
      amount_untaxed: Math.round((total / 1.19) * 100) / 100,
      amount_tax: Math.round((total - total / 1.19) * 100) / 100
    })
    const created = { id, channel: order.channel, partnerIds: [...new Set([contacts.main, invoice, shipping])], pickings: [] as number[] }
    if (!order.draft) created.pickings = this.#createDeliveries(id, shipping, order.deliveries.length)
    return created
  }

  confirm(order: CreatedOrder, deliveries: number): void {
    this.#store.update('sale.order', order.id, { state: 'sale' })
    const shipping = this.#store.get('sale.order', order.id)?.partner_shipping_id
    order.pickings = this.#createDeliveries(order.id, typeof shipping === 'number' ? shipping : (order.partnerIds[0] as number), deliveries)
  }

  #createDeliveries(orderId: number, partnerId: number, count: number): number[] {
    return Array.from({ length: count }, () =>
      this.#store.create('stock.picking', {
        name: `WH/OUT/${String(++this.#pickingNumber).padStart(6, '0')}`,
        state: 'assigned',
        picking_type_code: 'outgoing',
        partner_id: partnerId,
        sale_id: orderId,
        origin: `S${String(orderId).padStart(5, '0')}`
      })
    )
  }

  validate(pickingId: number, at: Date): void {
    this.#store.validatePicking(pickingId, at)
  }

  /** Cancels the order and its deliveries not yet done. */
  cancel(order: CreatedOrder): void {
    this.#store.cancelOrder(order.id)
  }

  /** A return: an incoming transfer on the order, received later. */
  createReturn(order: CreatedOrder): number {
    const partner = this.#store.get('sale.order', order.id)?.partner_shipping_id
    return this.#store.create('stock.picking', {
      name: `WH/IN/${String(++this.#pickingNumber).padStart(6, '0')}`,
      state: 'assigned',
      picking_type_code: 'incoming',
      partner_id: typeof partner === 'number' ? partner : false,
      sale_id: order.id,
      origin: `Return of S${String(order.id).padStart(5, '0')}`
    })
  }

  pickingState(pickingId: number): { state: string; dateDone: string | null } {
    const row = this.#store.get('stock.picking', pickingId)
    return { state: String(row?.state), dateDone: typeof row?.date_done === 'string' ? row.date_done : null }
  }

  /** Customer service changes a customer's address and phone in Odoo (tracked: the old values go to the chatter). */
  editContact(partnerId: number, serial: number): boolean {
    const row = this.#store.get('res.partner', partnerId)
    if (!row || row.name === REDACTED_NAME) return false
    this.#store.update('res.partner', partnerId, { street: `Neue Straße ${serial % 200}`, phone: `+49 30 77${String(100000 + serial).slice(-6)}` })
    this.tracked.add(partnerId)
    return true
  }

  /** Whether Odoo holds personal data of the contact: in its fields, or in its chatter's tracking values. */
  holdsPii(partnerId: number): { fields: boolean; chatter: boolean } {
    const row = this.#store.get('res.partner', partnerId)
    if (!row) return { fields: false, chatter: false }
    const fields = PII_FIELDS.some((field) => (field === 'name' ? row.name !== REDACTED_NAME : row[field] !== false && row[field] !== undefined && row[field] !== ''))
    return { fields, chatter: this.tracked.has(partnerId) && this.trackedValues(partnerId) > 0 }
  }

  /** Tracking values in the contact's chatter (they keep old names, addresses and phones). */
  trackedValues(partnerId: number): number {
    this.#scanNewTrackingValues()
    return (this.#trackingOf.get(partnerId) ?? []).filter((id) => this.#store.get('mail.tracking.value', id) !== undefined).length
  }

  readonly #trackingOf = new Map<number, number[]>()
  #trackingScanned = 0

  /**
   * Tracking values get increasing ids: each look reads only those added since the last one (a
   * run of ids the service deleted meanwhile is skipped over), not the whole table.
   */
  #scanNewTrackingValues(): void {
    for (let id = this.#trackingScanned + 1, misses = 0; misses < 1000; id++) {
      const value = this.#store.get('mail.tracking.value', id)
      if (!value) {
        misses++
        continue
      }
      misses = 0
      this.#trackingScanned = id
      const message = this.#store.get('mail.message', value.mail_message_id as number)
      if (message?.model !== 'res.partner' || typeof message.res_id !== 'number') continue
      const ids = this.#trackingOf.get(message.res_id) ?? []
      ids.push(id)
      this.#trackingOf.set(message.res_id, ids)
    }
  }

  email(partnerId: number): string | null {
    const email = this.#store.get('res.partner', partnerId)?.email
    return typeof email === 'string' ? email : null
  }
}
