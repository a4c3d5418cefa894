import type { Queryable } from '../db/queryable.ts'
import { arrayColumn } from '../db/array-literal.ts'
import type { OdooCursor } from '../odoo/write-date-walk.ts'
import type { OrderClock } from '../retention/policy.ts'
import type { DueBasis } from '../retention/redaction-backlog.ts'
import type { Channel } from './channels.ts'
import type { OrderRow, PickingRow } from './odoo-records.ts'
import { shippedAt } from './order-clock.ts'

// The SQL statements on orders (`mirror_orders`), their deliveries (`mirror_pickings`) and the
// sync's cursors (`sync_cursors`), in one place; the few that follow a contact to its orders are
// with the contacts' in partner-store.ts.

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

export async function knownOrderIds(db: Queryable, ids: readonly number[]): Promise<Set<number>> {
  const result = await db.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_orders WHERE odoo_id = ANY($1::int[])', [ids])
  return new Set(result.rows.map((r) => r.odoo_id))
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
      arrayColumn(rows, (r) => r.clock.shippedAt), arrayColumn(rows, (r) => r.clock.completedAt), arrayColumn(rows, (r) => r.clock.cancelledAt),
      arrayColumn(rows, (r) => r.retention.dueAt), arrayColumn(rows, (r) => (r.retention.basis ? JSON.stringify(r.retention.basis) : null)),
      now
    ]
  )
  return new Set(result.rows.map((r) => r.odoo_id))
}

function orderColumns(rows: readonly OrderRow[]): unknown[] {
  return [
    arrayColumn(rows, (r) => r.odooId), arrayColumn(rows, (r) => r.name), arrayColumn(rows, (r) => r.channel), arrayColumn(rows, (r) => r.state),
    arrayColumn(rows, (r) => r.orderDate), arrayColumn(rows, (r) => r.amountTotal), arrayColumn(rows, (r) => r.currency), arrayColumn(rows, (r) => r.partnerId),
    arrayColumn(rows, (r) => r.partnerInvoiceId), arrayColumn(rows, (r) => r.partnerShippingId), arrayColumn(rows, (r) => r.writeDate)
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
    [arrayColumn(rows, (r) => r.odooId), arrayColumn(rows, (r) => r.orderId), arrayColumn(rows, (r) => r.state), arrayColumn(rows, (r) => r.dateDone), arrayColumn(rows, (r) => r.writeDate), now]
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
 * more than the one before. `alsoTables`: what else a sync grows (the contacts, the redaction
 * jobs), each with the columns to analyze, as their stores name them.
 */
export async function refreshPlannerStatistics(db: Queryable, alsoTables: readonly string[] = []): Promise<void> {
  // The columns the sync's lookups filter on: statistics of the others can wait for autovacuum.
  const tables = ['mirror_orders (odoo_id, partner_id, partner_invoice_id, partner_shipping_id)', 'mirror_pickings (odoo_id, order_id)']
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

/** Up to `limit` ids of orders not marked deleted, after `after`, in order: the reconciliation's chunks. */
export async function liveOrderIdsAfter(db: Queryable, after: number, limit: number): Promise<number[]> {
  const chunk = await db.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_orders WHERE odoo_id > $1 AND deleted_at IS NULL ORDER BY odoo_id LIMIT $2', [after, limit])
  return chunk.rows.map((r) => r.odoo_id)
}

/** An order as stored, for the order views. */
export interface StoredOrder {
  odoo_id: number
  name: string
  channel: Channel
  state: string
  order_date: Date | null
  shipped_at: Date | null
  completed_at: Date | null
  cancelled_at: Date | null
  amount_total: string | null
  currency: string | null
  partner_id: number | null
  partner_invoice_id: number | null
  partner_shipping_id: number | null
  synced_at: Date
  redacted_at: Date | null
  retention_due_at: Date | null
  deleted_at: Date | null
}

export interface OrderQuery {
  after?: number
  channel?: Channel
  state?: string
  /** Orders naming this contact as customer, invoice or delivery contact. */
  partner?: number
  redacted?: boolean
  dueBefore?: Date
  limit: number
}

/** A page of orders in id order, filtered. */
export async function listOrders(db: Queryable, query: OrderQuery): Promise<StoredOrder[]> {
  const result = await db.query<StoredOrder>(
    `SELECT * FROM mirror_orders
      WHERE odoo_id > $1 AND ($2::text IS NULL OR channel = $2) AND ($3::text IS NULL OR state = $3)
        AND ($4::int IS NULL OR $4 IN (partner_id, partner_invoice_id, partner_shipping_id))
        AND ($5::boolean IS NULL OR (redacted_at IS NOT NULL) = $5)
        AND ($7::timestamptz IS NULL OR retention_due_at < $7)
      ORDER BY odoo_id LIMIT $6`,
    [query.after ?? 0, query.channel ?? null, query.state ?? null, query.partner ?? null, query.redacted ?? null, query.limit, query.dueBefore ?? null]
  )
  return result.rows
}

export async function findOrder(db: Queryable, id: number): Promise<StoredOrder | undefined> {
  return (await db.query<StoredOrder>('SELECT * FROM mirror_orders WHERE odoo_id = $1', [id])).rows[0]
}

/** What starts the retention clocks of orders, and their contacts. */
export interface OrderClockRow {
  odoo_id: number
  channel: Channel
  order_date: Date | null
  shipped_at: Date | null
  completed_at: Date | null
  cancelled_at: Date | null
  partner_id: number | null
  partner_invoice_id: number | null
  partner_shipping_id: number | null
}

export async function orderClocks(db: Queryable, ids: readonly number[]): Promise<OrderClockRow[]> {
  const orders = await db.query<OrderClockRow>(
    'SELECT odoo_id, channel, order_date, shipped_at, completed_at, cancelled_at, partner_id, partner_invoice_id, partner_shipping_id FROM mirror_orders WHERE odoo_id = ANY($1::int[])',
    [ids]
  )
  return orders.rows
}

/** Writes orders' due dates and the rule that set each; orders whose retention did not move are left alone. */
export async function writeOrderRetention(db: Queryable, dues: readonly { id: number; dueAt: Date | null; basis: object | null }[]): Promise<void> {
  await db.query(
    `UPDATE mirror_orders o SET retention_due_at = d.due, retention_basis = d.basis
       FROM unnest($1::int[], $2::timestamptz[], $3::jsonb[]) AS d(id, due, basis)
      WHERE o.odoo_id = d.id AND (o.retention_due_at IS DISTINCT FROM d.due OR o.retention_basis IS DISTINCT FROM d.basis)`,
    [dues.map((d) => d.id), dues.map((d) => d.dueAt), dues.map((d) => (d.basis ? JSON.stringify(d.basis) : null))]
  )
}

/** Each order naming these contacts, once per contact it names: its id, due date, channel and the rule that set the date. */
export async function retentionOfOrdersNaming(db: Queryable, partnerIds: readonly number[]): Promise<{ partner_id: number; odoo_id: number; due: Date | null; channel: Channel; basis: DueBasis | null }[]> {
  // Three indexed lookups rather than one join on `IN (three columns)`, which scans every order.
  const result = await db.query<{ partner_id: number; odoo_id: number; due: Date | null; channel: Channel; basis: DueBasis | null }>(
    `SELECT partner_id, odoo_id, retention_due_at AS due, channel, retention_basis AS basis FROM mirror_orders WHERE partner_id = ANY($1::int[])
     UNION ALL SELECT partner_invoice_id, odoo_id, retention_due_at, channel, retention_basis FROM mirror_orders WHERE partner_invoice_id = ANY($1::int[])
     UNION ALL SELECT partner_shipping_id, odoo_id, retention_due_at, channel, retention_basis FROM mirror_orders WHERE partner_shipping_id = ANY($1::int[])`,
    [partnerIds]
  )
  return result.rows
}

/** The clock events and due date of every order of a channel (a policy preview recomputes them). */
export async function orderDuesOfChannel(db: Queryable, channel: Channel): Promise<{ odoo_id: number; order_date: Date | null; shipped_at: Date | null; completed_at: Date | null; cancelled_at: Date | null; retention_due_at: Date | null }[]> {
  const result = await db.query<{ odoo_id: number; order_date: Date | null; shipped_at: Date | null; completed_at: Date | null; cancelled_at: Date | null; retention_due_at: Date | null }>(
    'SELECT odoo_id, order_date, shipped_at, completed_at, cancelled_at, retention_due_at FROM mirror_orders WHERE channel = $1',
    [channel]
  )
  return result.rows
}

/** Up to `limit` ids of orders of these channels after `after`, in order. */
export async function orderIdsOfChannels(db: Queryable, channels: readonly Channel[], after: number, limit: number): Promise<number[]> {
  const batch = await db.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_orders WHERE channel = ANY($1::text[]) AND odoo_id > $2 ORDER BY odoo_id LIMIT $3', [channels, after, limit])
  return batch.rows.map((r) => r.odoo_id)
}

/** The columns of an exported order, as the export names them. */
export const EXPORT_ORDER_COLUMNS = ['order', 'channel', 'state', 'order_date', 'shipped_at', 'amount_total', 'currency', 'customer_id', 'invoice_contact_id', 'delivery_contact_id'] as const

/** The orders naming these contacts, oldest first, as an export shows them. */
export async function exportOrdersOf(db: Queryable, partnerIds: readonly number[]): Promise<Record<(typeof EXPORT_ORDER_COLUMNS)[number], string | number | Date | null>[]> {
  const orders = await db.query<Record<(typeof EXPORT_ORDER_COLUMNS)[number], string | number | Date | null>>(
    // float8, not numeric (which pg hands over as a string): the amount stays a number in the JSON
    // and in the CSV. numeric(14, 2) has at most 14 digits, which float8 carries exactly.
    `SELECT name AS "order", channel, state, order_date, shipped_at, amount_total::float8 AS amount_total, currency,
            partner_id AS customer_id, partner_invoice_id AS invoice_contact_id, partner_shipping_id AS delivery_contact_id
       FROM mirror_orders
      WHERE partner_id = ANY($1::int[]) OR partner_invoice_id = ANY($1::int[]) OR partner_shipping_id = ANY($1::int[])
      ORDER BY order_date, odoo_id`,
    [partnerIds]
  )
  return orders.rows
}

/**
 * SQL condition: the order whose id is `orderRef` (an SQL expression, as text) names the contact
 * with alias `contact` as customer, invoice or delivery contact.
 */
export function orderNamesContact(orderRef: string, contact: string): string {
  return `EXISTS (SELECT 1 FROM mirror_orders ho WHERE ho.odoo_id::text = ${orderRef} AND ${contact}.odoo_id IN (ho.partner_id, ho.partner_invoice_id, ho.partner_shipping_id))`
}

export function countUpserts(rows: readonly { inserted: boolean }[]): UpsertCounts {
  const inserted = rows.filter((r) => r.inserted).length
  return { inserted, updated: rows.length - inserted }
}
