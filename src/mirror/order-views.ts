import { z } from 'zod'
import type { Pool } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import { channelSchema } from './channels.ts'
import { maskEmail, maskName, maskPhone, maskText } from './masking.ts'
import { findOrder, listOrders } from './mirror-store.ts'
import type { StoredOrder } from './mirror-store.ts'
import { contactsByIds } from './partner-store.ts'
import type { StoredContact } from './partner-store.ts'
import { openContactPii } from './sealed-partner.ts'

export const maskedContactSchema = z
  .object({
    id: z.number().int(),
    type: z.string().nullable(),
    name: z.string().nullable().describe('Initials only, e.g. `J. D.`.'),
    email: z.string().nullable().describe('e.g. `j***@e***.com`'),
    phone: z.string().nullable().describe('e.g. `+49 *** *** 12`'),
    address: z.string().nullable().describe('`***` when an address is held.'),
    state: z.string().nullable(),
    country: z.string().nullable(),
    redacted: z.boolean()
  })
  .meta({ id: 'MaskedContact' })

export const orderViewSchema = z
  .object({
    id: z.number().int().describe('The sale order id in Odoo.'),
    name: z.string(),
    channel: channelSchema,
    state: z.string(),
    orderDate: z.date().nullable(),
    shippedAt: z.date().nullable(),
    completedAt: z.date().nullable(),
    cancelledAt: z.date().nullable(),
    amountTotal: z.number().nullable(),
    currency: z.string().nullable(),
    redacted: z.boolean(),
    retentionDueAt: z.date().nullable().describe('When its personal data must be gone; null while its clock has not started.'),
    deletedInOdoo: z.boolean(),
    syncedAt: z.date(),
    customer: maskedContactSchema.nullable(),
    invoiceContact: maskedContactSchema.nullable(),
    deliveryContact: maskedContactSchema.nullable()
  })
  .meta({ id: 'Order' })
export type OrderView = z.infer<typeof orderViewSchema>
type MaskedContact = z.infer<typeof maskedContactSchema>

export const orderFiltersSchema = z.object({
  channel: channelSchema.optional(),
  state: z.string().min(1).optional(),
  partner: z.coerce.number().int().positive().optional().describe('Orders where this contact is the customer, invoice or delivery contact.'),
  redacted: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  dueBefore: z.coerce.date().optional().describe('Orders whose personal data is due for redaction before this time.'),
  after: z.coerce.number().int().nonnegative().optional().describe('Cursor: the `nextCursor` of the previous page.'),
  limit: z.coerce.number().int().min(1).max(200).default(50)
})
export type OrderFilters = z.infer<typeof orderFiltersSchema>

export interface OrderViews {
  list(filters: OrderFilters): Promise<{ items: OrderView[]; nextCursor: number | null }>
  get(id: number): Promise<OrderView | undefined>
}

/** Orders as agents see them: personal data opened only to be masked, never returned whole. */
export function createOrderViews(deps: { pool: Pool; cipher: PiiCipher }): OrderViews {
  const { pool, cipher } = deps

  async function list(filters: OrderFilters) {
    const items = await withContacts(await listOrders(pool, filters))
    return { items, nextCursor: items.length === filters.limit ? (items.at(-1)?.id ?? null) : null }
  }

  async function get(id: number) {
    const order = await findOrder(pool, id)
    return (await withContacts(order ? [order] : []))[0]
  }

  async function withContacts(rows: StoredOrder[]): Promise<OrderView[]> {
    const ids = [...new Set(rows.flatMap((r) => [r.partner_id, r.partner_invoice_id, r.partner_shipping_id]).filter((id): id is number => id !== null))]
    const partners = await contactsByIds(pool, ids)
    const contacts = new Map(partners.map((p) => [p.odoo_id, maskContact(p)]))
    const contact = (id: number | null) => (id === null ? null : (contacts.get(id) ?? null))
    return rows.map((r) => ({
      id: r.odoo_id,
      name: r.name,
      channel: r.channel,
      state: r.state,
      orderDate: r.order_date,
      shippedAt: r.shipped_at,
      completedAt: r.completed_at,
      cancelledAt: r.cancelled_at,
      amountTotal: r.amount_total === null ? null : Number(r.amount_total),
      currency: r.currency,
      redacted: r.redacted_at !== null,
      retentionDueAt: r.retention_due_at,
      deletedInOdoo: r.deleted_at !== null,
      syncedAt: r.synced_at,
      customer: contact(r.partner_id),
      invoiceContact: contact(r.partner_invoice_id),
      deliveryContact: contact(r.partner_shipping_id)
    }))
  }

  function maskContact(p: StoredContact): MaskedContact {
    const pii = openContactPii(cipher, p.odoo_id, p.pii)
    const phone = pii.phone ?? pii.mobile ?? null
    const address = [pii.street, pii.zip, pii.city].filter((v) => v !== undefined).join(' ')
    const name = pii.name ?? null
    const email = pii.email ?? null
    return {
      id: p.odoo_id,
      type: p.type,
      name: name === null ? null : maskName(name),
      email: email === null ? null : maskEmail(email),
      phone: phone === null ? null : maskPhone(phone),
      address: address ? maskText(address) : null,
      state: p.state,
      country: p.country,
      redacted: p.redacted_at !== null
    }
  }

  return { list, get }
}
