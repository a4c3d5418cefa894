import type { Pool } from '../db/database.ts'
import type { OdooGateway } from '../odoo/gateway.ts'
import { PARTNER_FIELDS } from '../mirror/odoo-records.ts'

export interface ExportBundle {
  generatedAt: string
  requestId: string
  contacts: Record<string, unknown>[]
  orders: Record<string, unknown>[]
  ordersCsv: string
}

const ORDER_COLUMNS = ['order', 'channel', 'state', 'order_date', 'shipped_at', 'amount_total', 'currency', 'customer_id', 'invoice_contact_id', 'delivery_contact_id'] as const

/**
 * Everything held about the subject, for access and portability (GDPR Art. 15 and 20, CCPA
 * "know"): the contacts as Odoo holds them now (read live, so nothing unsynced is missed) and the
 * orders they appear on, as JSON and the orders as CSV, a machine-readable common format.
 */
export async function buildExportBundle(deps: { pool: Pool; odoo: OdooGateway }, requestId: string, partnerIds: readonly number[]): Promise<ExportBundle> {
  const fields = (await deps.odoo.availableFields('res.partner', PARTNER_FIELDS)).filter((f) => f !== 'user_ids')
  const contacts = await deps.odoo.read('res.partner', partnerIds, fields, { context: { active_test: false } })
  const orders = await deps.pool.query<Record<(typeof ORDER_COLUMNS)[number], unknown>>(
    `SELECT name AS "order", channel, state, order_date, shipped_at, amount_total, currency,
            partner_id AS customer_id, partner_invoice_id AS invoice_contact_id, partner_shipping_id AS delivery_contact_id
       FROM mirror_orders
      WHERE partner_id = ANY($1::int[]) OR partner_invoice_id = ANY($1::int[]) OR partner_shipping_id = ANY($1::int[])
      ORDER BY order_date, odoo_id`,
    [partnerIds]
  )
  const rows = orders.rows.map((row) => Object.fromEntries(ORDER_COLUMNS.map((c) => [c, row[c] instanceof Date ? (row[c] as Date).toISOString() : row[c]])))
  return {
    generatedAt: new Date().toISOString(),
    requestId,
    contacts: contacts.map((contact) => Object.fromEntries(Object.entries(contact).map(([key, value]) => [key, value === false ? null : value]))),
    orders: rows,
    ordersCsv: toCsv(ORDER_COLUMNS, rows)
  }
}

function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value)
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
  }
  return [columns.join(','), ...rows.map((row) => columns.map((c) => cell(row[c])).join(','))].join('\r\n') + '\r\n'
}
