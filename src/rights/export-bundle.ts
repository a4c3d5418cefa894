import type { Pool } from '../db/database.ts'
import type { OdooGateway } from '../odoo/gateway.ts'
import { EXPORT_ORDER_COLUMNS, exportOrdersOf } from '../mirror/mirror-store.ts'
import { PARTNER_FIELDS } from '../mirror/odoo-records.ts'

export interface ExportBundle {
  generatedAt: string
  requestId: string
  contacts: Record<string, unknown>[]
  orders: Record<string, unknown>[]
  ordersCsv: string
}

/**
 * Everything held about the subject, for access and portability (GDPR Art. 15 and 20, CCPA
 * "know"): the contacts as Odoo holds them now (read live, so nothing unsynced is missed) and the
 * orders they appear on, as JSON and the orders as CSV, a machine-readable common format.
 */
export async function buildExportBundle(deps: { pool: Pool; odoo: OdooGateway }, requestId: string, partnerIds: readonly number[]): Promise<ExportBundle> {
  const fields = (await deps.odoo.availableFields('res.partner', PARTNER_FIELDS)).filter((f) => f !== 'user_ids')
  const contacts = await deps.odoo.read('res.partner', partnerIds, fields, { context: { active_test: false } })
  const orders = await exportOrdersOf(deps.pool, partnerIds)
  const rows = orders.map((row) => Object.fromEntries(EXPORT_ORDER_COLUMNS.map((c) => [c, row[c] instanceof Date ? row[c].toISOString() : row[c]])))
  return {
    generatedAt: new Date().toISOString(),
    requestId,
    contacts: contacts.map((contact) => Object.fromEntries(Object.entries(contact).map(([key, value]) => [key, value === false ? null : value]))),
    orders: rows,
    ordersCsv: toCsv(EXPORT_ORDER_COLUMNS, rows)
  }
}

/** What a cell of the export holds: text, numbers, and timestamps already written as ISO 8601 text. */
type CsvValue = string | number | bigint | boolean | null | undefined

/** RFC 4180 text, with every cell a spreadsheet would run as a formula neutralized. */
export function toCsv(columns: readonly string[], rows: readonly Record<string, CsvValue>[]): string {
  return [columns.map(csvCell).join(','), ...rows.map((row) => columns.map((c) => csvCell(row[c])).join(','))].join('\r\n') + '\r\n'
}

// Characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP, "CSV
// Injection"). Order names and the other texts come from Odoo, where users and marketplace
// connectors write what they like: `=HYPERLINK(…)` there would run on the machine of whoever
// opens the export.
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A string that starts like a formula gets a leading `'` and quotes, as OWASP advises: the
 * spreadsheet then shows the text as it is. Only strings: a value that is a number in the data
 * (an amount of -12.5) is written as a number, which no spreadsheet runs, so refunds stay
 * summable. A negative amount that arrived as text would be neutralized like any other text.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return ''
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') return String(value)
  const text = String(value)
  if (FORMULA_START.test(text)) return quoted(`'${text}`)
  return /[",\n\r]/.test(text) ? quoted(text) : text
}

function quoted(text: string): string {
  return `"${text.replaceAll('"', '""')}"`
}
