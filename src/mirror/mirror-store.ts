import type { PoolClient } from '../db/database.ts'
import type { OdooCursor } from '../odoo/write-date-walk.ts'
import type { OrderClock } from '../retention/policy.ts'
import { PARTNER_PII_FIELDS } from './odoo-records.ts'
import type { OrderRow, PickingRow } from './odoo-records.ts'
import { shippedAt } from './order-clock.ts'
import type { SealedPartner } from './sealed-partner.ts'

export type Queryable = Pick<PoolClient, 'query'>

export interface UpsertCounts {
  inserted: number
  updated: number
}

export interface OrderUpserts extends UpsertCounts {
  /** Orders inserted or changed, whose retention must be recomputed. */
  changedIds: number[]
}

export interface FirstSightOrderRow extends OrderRow {
  clock: OrderClock
  retention: { dueAt: Date | null; basis: object | null }
}

export type SyncedModel = 'sale.order' | 'stock.picking' | 'res.partner'

/** Every SQL statement of the mirror's tables, in one place. */
export async function knownOrderIds(db: Queryable, ids: readonly number[]): Promise<Set<number>> {
  const result = await db.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_orders WHERE odoo_id = ANY($1::int[])', [ids])
  return new Set(result.rows.map((r) => r.odoo_id))
}

export async function knownPartnerIds(db: Queryable, ids: readonly number[]): Promise<Set<number>> {
  const result = await db.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE odoo_id = ANY($1::int[])', [ids])
  return new Set(result.rows.map((r) => r.odoo_id))
}

/** Of these contacts, those redacted in the mirror. */
export async function redactedPartnerIds(db: Queryable, ids: readonly number[]): Promise<number[]> {
  const result = await db.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE odoo_id = ANY($1::int[]) AND redacted_at IS NOT NULL', [ids])
  return result.rows.map((r) => r.odoo_id)
}

/**
 * Inserts or updates orders in one statement. An order's cancellation time is when the mirror
 * first saw it cancelled (Odoo keeps no cancellation date): its write_date at that moment.
 */
export async function upsertOrders(db: Queryable, rows: readonly OrderRow[], now: Date): Promise<OrderUpserts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, changedIds: [] }
  const result = await db.query<{ inserted: boolean; odoo_id: number }>(
    `INSERT INTO mirror_orders AS o (odoo_id, name, channel, state, order_date, amount_total, currency, partner_id, partner_invoice_id,
                                     partner_shipping_id, write_date, cancelled_at, synced_at)
     SELECT r.*, CASE WHEN r.state = 'cancel' THEN r.write_date END, $12::timestamptz
       FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::numeric[], $7::text[], $8::int[], $9::int[], $10::int[], $11::timestamptz[])
            AS r(odoo_id, name, channel, state, order_date, amount_total, currency, partner_id, partner_invoice_id, partner_shipping_id, write_date)
     ON CONFLICT (odoo_id) DO UPDATE SET
       name = EXCLUDED.name, channel = EXCLUDED.channel, state = EXCLUDED.state, order_date = EXCLUDED.order_date,
       amount_total = EXCLUDED.amount_total, currency = EXCLUDED.currency, partner_id = EXCLUDED.partner_id,
       partner_invoice_id = EXCLUDED.partner_invoice_id, partner_shipping_id = EXCLUDED.partner_shipping_id,
       write_date = EXCLUDED.write_date, synced_at = EXCLUDED.synced_at, deleted_at = NULL,
       cancelled_at = CASE WHEN EXCLUDED.state = 'cancel' THEN COALESCE(o.cancelled_at, EXCLUDED.write_date) END
     -- Re-read but unchanged: nothing to update or count. (write_date alone cannot tell: Odoo
     -- returns it in whole seconds, and two writes can share one.)
     WHERE (o.name, o.channel, o.state, o.order_date, o.amount_total, o.currency, o.partner_id, o.partner_invoice_id, o.partner_shipping_id, o.write_date)
           IS DISTINCT FROM
           (EXCLUDED.name, EXCLUDED.channel, EXCLUDED.state, EXCLUDED.order_date, EXCLUDED.amount_total, EXCLUDED.currency,
            EXCLUDED.partner_id, EXCLUDED.partner_invoice_id, EXCLUDED.partner_shipping_id, EXCLUDED.write_date)
        OR o.deleted_at IS NOT NULL
     RETURNING (xmax = 0) AS inserted, odoo_id`,
    [...orderColumns(rows), now]
  )
  return { ...countUpserts(result.rows), changedIds: result.rows.map((r) => r.odoo_id) }
}

/** Every column of a contact that holds personal data, sealed or as a blind index. */
export const SEALED_PARTNER_COLUMNS = [...PARTNER_PII_FIELDS, 'email_index', 'phone_index', 'mobile_index'] as const

const PARTNER_COLUMNS = `odoo_id, parent_id, type, is_company, is_user, is_company_partner, state, country, write_date,
  ${PARTNER_PII_FIELDS.join(', ')}, email_index, phone_index, mobile_index, fingerprint, holds_pii`
const PARTNER_ARRAYS = `$1::int[], $2::int[], $3::text[], $4::bool[], $5::bool[], $6::bool[], $7::text[], $8::text[], $9::timestamptz[],
  $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::bool[]`

/**
 * Inserts orders the mirror has never held with their clock and retention, so that each is
 * written once. Returns the ids inserted; one that appeared meanwhile is left for upsertOrders.
 */
export async function insertFirstSightOrders(db: Queryable, rows: readonly FirstSightOrderRow[], now: Date): Promise<Set<number>> {
  if (rows.length === 0) return new Set()
  const result = await db.query<{ odoo_id: number }>(
    `INSERT INTO mirror_orders (odoo_id, name, channel, state, order_date, amount_total, currency, partner_id, partner_invoice_id, partner_shipping_id,
                                write_date, shipped_at, completed_at, cancelled_at, retention_due_at, retention_basis, synced_at)
     SELECT r.*, $17::timestamptz
       FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::numeric[], $7::text[], $8::int[], $9::int[], $10::int[],
                   $11::timestamptz[], $12::timestamptz[], $13::timestamptz[], $14::timestamptz[], $15::timestamptz[], $16::jsonb[]) AS r
     ON CONFLICT (odoo_id) DO NOTHING
     RETURNING odoo_id`,
    [
      ...orderColumns(rows),
      rows.map((r) => r.clock.shippedAt), rows.map((r) => r.clock.completedAt), rows.map((r) => r.clock.cancelledAt),
      rows.map((r) => r.retention.dueAt), rows.map((r) => (r.retention.basis ? JSON.stringify(r.retention.basis) : null)),
      now
    ]
  )
  return new Set(result.rows.map((r) => r.odoo_id))
}

function orderColumns(rows: readonly OrderRow[]): unknown[] {
  return [
    rows.map((r) => r.odooId), rows.map((r) => r.name), rows.map((r) => r.channel), rows.map((r) => r.state),
    rows.map((r) => r.orderDate), rows.map((r) => r.amountTotal), rows.map((r) => r.currency), rows.map((r) => r.partnerId),
    rows.map((r) => r.partnerInvoiceId), rows.map((r) => r.partnerShippingId), rows.map((r) => r.writeDate)
  ]
}

/** Inserts or updates contacts in one statement. */
export async function upsertPartners(db: Queryable, rows: readonly SealedPartner[], now: Date): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0 }
  const result = await db.query<{ inserted: boolean }>(
    `INSERT INTO mirror_partners AS p (${PARTNER_COLUMNS}, synced_at)
     SELECT r.*, $23::timestamptz FROM unnest(${PARTNER_ARRAYS}) AS r
     ON CONFLICT (odoo_id) DO UPDATE SET
       parent_id = EXCLUDED.parent_id, type = EXCLUDED.type, is_company = EXCLUDED.is_company, is_user = EXCLUDED.is_user,
       is_company_partner = EXCLUDED.is_company_partner, state = EXCLUDED.state, country = EXCLUDED.country, write_date = EXCLUDED.write_date,
       name = EXCLUDED.name, street = EXCLUDED.street, street2 = EXCLUDED.street2, zip = EXCLUDED.zip, city = EXCLUDED.city,
       email = EXCLUDED.email, phone = EXCLUDED.phone, mobile = EXCLUDED.mobile, email_index = EXCLUDED.email_index,
       phone_index = EXCLUDED.phone_index, mobile_index = EXCLUDED.mobile_index, fingerprint = EXCLUDED.fingerprint,
       synced_at = EXCLUDED.synced_at, deleted_at = NULL,
       -- Personal data written into a redacted contact again (a repeat order): it is due for redaction anew.
       holds_pii = EXCLUDED.holds_pii,
       redacted_at = CASE WHEN EXCLUDED.holds_pii THEN NULL ELSE p.redacted_at END,
       redacted_fields = CASE WHEN EXCLUDED.holds_pii THEN NULL ELSE p.redacted_fields END
     WHERE p.fingerprint IS DISTINCT FROM EXCLUDED.fingerprint OR p.is_company_partner IS DISTINCT FROM EXCLUDED.is_company_partner OR p.deleted_at IS NOT NULL
     RETURNING (xmax = 0) AS inserted`,
    [...partnerColumns(rows), now]
  )
  return countUpserts(result.rows)
}

/**
 * Inserts contacts the mirror has never held together with their retention, so that each is
 * written once. Returns the ids inserted; one that appeared meanwhile is left for upsertPartners.
 */
export async function insertFirstSightPartners(db: Queryable, rows: readonly (SealedPartner & { retention: { dueAt: Date | null; fields: readonly string[] } })[], now: Date): Promise<Set<number>> {
  if (rows.length === 0) return new Set()
  const result = await db.query<{ odoo_id: number }>(
    `INSERT INTO mirror_partners (${PARTNER_COLUMNS}, retention_due_at, redaction_fields, synced_at)
     SELECT ${PARTNER_COLUMNS}, due, string_to_array(fields, ','), $25::timestamptz
       FROM unnest(${PARTNER_ARRAYS}, $23::timestamptz[], $24::text[]) AS r(${PARTNER_COLUMNS}, due, fields)
     ON CONFLICT (odoo_id) DO NOTHING
     RETURNING odoo_id`,
    [...partnerColumns(rows), rows.map((r) => r.retention.dueAt), rows.map((r) => r.retention.fields.join(',')), now]
  )
  return new Set(result.rows.map((r) => r.odoo_id))
}

function partnerColumns(rows: readonly SealedPartner[]): unknown[] {
  return [
    rows.map((r) => r.odooId), rows.map((r) => r.parentId), rows.map((r) => r.type), rows.map((r) => r.isCompany), rows.map((r) => r.isUser),
    rows.map((r) => r.isCompanyPartner), rows.map((r) => r.state), rows.map((r) => r.country), rows.map((r) => r.writeDate),
    ...PARTNER_PII_FIELDS.map((field) => rows.map((r) => r.sealed[field])),
    rows.map((r) => r.emailIndex), rows.map((r) => r.phoneIndex), rows.map((r) => r.mobileIndex), rows.map((r) => r.fingerprint), rows.map((r) => r.holdsPii)
  ]
}

/** Returns the orders whose deliveries changed. */
export async function upsertPickings(db: Queryable, rows: readonly PickingRow[], now: Date): Promise<number[]> {
  if (rows.length === 0) return []
  const result = await db.query<{ order_id: number }>(
    `INSERT INTO mirror_pickings (odoo_id, order_id, state, date_done, write_date, synced_at)
     SELECT r.*, $6::timestamptz FROM unnest($1::int[], $2::int[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS r
     ON CONFLICT (odoo_id) DO UPDATE SET order_id = EXCLUDED.order_id, state = EXCLUDED.state, date_done = EXCLUDED.date_done,
       write_date = EXCLUDED.write_date, synced_at = EXCLUDED.synced_at
     WHERE (mirror_pickings.order_id, mirror_pickings.state, mirror_pickings.date_done, mirror_pickings.write_date)
           IS DISTINCT FROM (EXCLUDED.order_id, EXCLUDED.state, EXCLUDED.date_done, EXCLUDED.write_date)
     RETURNING order_id`,
    [rows.map((r) => r.odooId), rows.map((r) => r.orderId), rows.map((r) => r.state), rows.map((r) => r.dateDone), rows.map((r) => r.writeDate), now]
  )
  return [...new Set(result.rows.map((r) => r.order_id))]
}

/** Recomputes the shipment of these orders from their mirrored deliveries; returns those whose shipment moved. */
export async function refreshShipment(db: Queryable, orderIds: readonly number[]): Promise<number[]> {
  if (orderIds.length === 0) return []
  const deliveries = await db.query<{ order_id: number; state: string; date_done: Date | null }>(
    'SELECT order_id, state, date_done FROM mirror_pickings WHERE order_id = ANY($1::int[])',
    [orderIds]
  )
  const byOrder = Map.groupBy(deliveries.rows, (row) => row.order_id)
  const shipped = orderIds.map((id) => shippedAt((byOrder.get(id) ?? []).map((row) => ({ state: row.state, dateDone: row.date_done }))))
  const result = await db.query<{ odoo_id: number }>(
    `UPDATE mirror_orders o SET shipped_at = s.shipped_at, completed_at = s.shipped_at
       FROM unnest($1::int[], $2::timestamptz[]) AS s(order_id, shipped_at)
      WHERE o.odoo_id = s.order_id AND o.shipped_at IS DISTINCT FROM s.shipped_at
      RETURNING o.odoo_id`,
    [orderIds, shipped]
  )
  return result.rows.map((r) => r.odoo_id)
}

/**
 * Refreshes the planner's statistics of the mirror tables. A first sync grows them from empty
 * faster than autovacuum notices, and with an empty table's statistics PostgreSQL plans the
 * retention updates as scans of every contact instead of lookups by id: each page then costs
 * more than the one before. `alsoTables`: what else a sync grows (the redaction jobs), with the columns to analyze.
 */
export async function refreshPlannerStatistics(db: Queryable, alsoTables: readonly string[] = []): Promise<void> {
  // The columns the sync's lookups filter on: statistics of the others can wait for autovacuum.
  const tables = ['mirror_orders (odoo_id, partner_id, partner_invoice_id, partner_shipping_id)', 'mirror_partners (odoo_id, redacted_at)', 'mirror_pickings (odoo_id, order_id)']
  await db.query(`ANALYZE ${[...tables, ...alsoTables].join(', ')}`)
}

export async function readCursor(db: Queryable, model: SyncedModel): Promise<OdooCursor | undefined> {
  const result = await db.query<{ cursor: OdooCursor }>('SELECT cursor FROM sync_cursors WHERE model = $1', [model])
  return result.rows[0]?.cursor
}

export async function writeCursor(db: Queryable, model: SyncedModel, cursor: OdooCursor, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO sync_cursors (model, cursor, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (model) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = EXCLUDED.updated_at`,
    [model, JSON.stringify(cursor), now]
  )
}

/** Orders (and their pickings) that Odoo no longer has, within the id range just checked. */
export async function markOrdersDeleted(db: Queryable, range: { from: number; to: number }, present: readonly number[], now: Date): Promise<number> {
  const result = await db.query(
    `UPDATE mirror_orders SET deleted_at = $4
      WHERE odoo_id > $1 AND odoo_id <= $2 AND deleted_at IS NULL AND NOT (odoo_id = ANY($3::int[]))`,
    [range.from, range.to, present, now]
  )
  return result.rowCount ?? 0
}

export async function markOrderDeleted(db: Queryable, odooId: number, now: Date): Promise<boolean> {
  const result = await db.query('UPDATE mirror_orders SET deleted_at = $2 WHERE odoo_id = $1 AND deleted_at IS NULL', [odooId, now])
  return (result.rowCount ?? 0) > 0
}

/**
 * Contacts Odoo no longer has: marked deleted, and their sealed values and blind indexes
 * destroyed, since the mirror must not outlive Odoo's copy. Returns the ids marked now.
 */
export async function markPartnersDeleted(db: Queryable, ids: readonly number[], now: Date): Promise<number[]> {
  if (ids.length === 0) return []
  const result = await db.query<{ odoo_id: number }>(
    `UPDATE mirror_partners SET ${SEALED_PARTNER_COLUMNS.map((column) => `${column} = NULL`).join(', ')}, holds_pii = false, deleted_at = $2
      WHERE odoo_id = ANY($1::int[]) AND deleted_at IS NULL
      RETURNING odoo_id`,
    [ids, now]
  )
  return result.rows.map((r) => r.odoo_id)
}

function countUpserts(rows: readonly { inserted: boolean }[]): UpsertCounts {
  const inserted = rows.filter((r) => r.inserted).length
  return { inserted, updated: rows.length - inserted }
}
