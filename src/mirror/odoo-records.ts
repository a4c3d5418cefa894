import type { OdooRecord } from '../odoo/odoo-types.ts'
import type { Channel, ChannelClassifier } from './channels.ts'

/** The PII fields of a contact that the mirror keeps (sealed) and redaction overwrites. */
export const PARTNER_PII_FIELDS = ['name', 'street', 'street2', 'zip', 'city', 'email', 'phone', 'mobile'] as const
export type PartnerPiiField = (typeof PARTNER_PII_FIELDS)[number]

/** Odoo refuses a contact without a name ("Contacts require a name"): redaction writes this instead, the same for all so a batch shares its values. */
export const REDACTED_NAME = 'Redacted customer'

/** Whether a contact read from Odoo holds personal data (and not only what a redaction left). */
export function holdsPersonalData(row: PartnerRow): boolean {
  return Object.entries(row.pii).some(([field, value]) => !(field === 'name' && value === REDACTED_NAME))
}

export const ORDER_FIELDS = ['name', 'state', 'date_order', 'partner_id', 'partner_invoice_id', 'partner_shipping_id', 'team_id', 'tag_ids', 'origin', 'client_order_ref', 'amount_total', 'currency_id', 'write_date']
export const PARTNER_FIELDS = ['parent_id', 'type', 'is_company', 'user_ids', 'state_id', 'country_id', 'write_date', ...PARTNER_PII_FIELDS]
export const PICKING_FIELDS = ['sale_id', 'state', 'date_done', 'picking_type_code', 'write_date']

/** Only outgoing deliveries of sale orders decide when an order shipped. */
export const OUTGOING_PICKINGS_DOMAIN = [['picking_type_code', '=', 'outgoing'], ['sale_id', '!=', false]] as const

export interface OrderRow {
  odooId: number
  name: string
  channel: Channel
  state: string
  orderDate: Date | null
  amountTotal: number | null
  currency: string | null
  partnerId: number | null
  partnerInvoiceId: number | null
  partnerShippingId: number | null
  writeDate: Date | null
}

export interface PartnerRow {
  odooId: number
  parentId: number | null
  type: string | null
  isCompany: boolean
  isUser: boolean
  state: string | null
  country: string | null
  writeDate: Date | null
  pii: Partial<Record<PartnerPiiField, string>>
}

export interface PickingRow {
  odooId: number
  orderId: number
  state: string
  dateDone: Date | null
  writeDate: Date | null
}

export function toOrderRow(record: OdooRecord, classify: ChannelClassifier, tagName: (id: number) => string | undefined): OrderRow {
  const tagIds = Array.isArray(record.tag_ids) ? (record.tag_ids as number[]) : []
  return {
    odooId: record.id,
    name: text(record.name) ?? `#${record.id}`,
    channel: classify({
      teamName: many2oneName(record.team_id),
      tagNames: tagIds.map(tagName).filter((name): name is string => name !== undefined),
      origin: text(record.origin),
      clientOrderRef: text(record.client_order_ref)
    }),
    state: text(record.state) ?? 'draft',
    orderDate: odooDate(record.date_order),
    amountTotal: typeof record.amount_total === 'number' ? record.amount_total : null,
    currency: many2oneName(record.currency_id),
    partnerId: many2oneId(record.partner_id),
    partnerInvoiceId: many2oneId(record.partner_invoice_id),
    partnerShippingId: many2oneId(record.partner_shipping_id),
    writeDate: odooDate(record.write_date)
  }
}

export function toPartnerRow(record: OdooRecord): PartnerRow {
  const pii: PartnerRow['pii'] = {}
  for (const field of PARTNER_PII_FIELDS) {
    const value = text(record[field])
    if (value !== null) pii[field] = value
  }
  return {
    odooId: record.id,
    parentId: many2oneId(record.parent_id),
    type: text(record.type),
    isCompany: record.is_company === true,
    isUser: Array.isArray(record.user_ids) && record.user_ids.length > 0,
    state: many2oneName(record.state_id),
    country: many2oneName(record.country_id),
    writeDate: odooDate(record.write_date),
    pii
  }
}

export function toPickingRow(record: OdooRecord): PickingRow | undefined {
  const orderId = many2oneId(record.sale_id)
  if (orderId === null) return undefined
  return { odooId: record.id, orderId, state: text(record.state) ?? 'draft', dateDone: odooDate(record.date_done), writeDate: odooDate(record.write_date) }
}

export function many2oneId(value: unknown): number | null {
  if (Array.isArray(value) && typeof value[0] === 'number') return value[0]
  return typeof value === 'number' ? value : null
}

function many2oneName(value: unknown): string | null {
  return Array.isArray(value) && typeof value[1] === 'string' ? value[1] : null
}

/** Odoo sends `false` for every empty field, whatever its type. */
function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null
}

/** Odoo datetimes are `YYYY-MM-DD HH:MM:SS` in UTC, dates `YYYY-MM-DD`. */
export function odooDate(value: unknown): Date | null {
  if (typeof value !== 'string' || value === '') return null
  const iso = value.length === 10 ? `${value}T00:00:00Z` : `${value.replace(' ', 'T')}Z`
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? null : date
}
