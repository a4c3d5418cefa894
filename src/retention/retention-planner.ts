import type { Pool, PoolClient } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import type { Channel } from '../mirror/channels.ts'
import type { PartnerPiiField } from '../mirror/odoo-records.ts'
import { PARTNER_PII_FIELDS } from '../mirror/odoo-records.ts'
import { computeOrderDueAt, computePartnerDueAt } from './policy.ts'
import type { OrderClock, Policy } from './policy.ts'
import type { PolicyStore } from './policy-store.ts'
import type { DueBasis, RedactionBacklog } from './redaction-backlog.ts'

type Db = Pick<PoolClient, 'query'>

/**
 * Puts each contact's redaction job at its due time (one job per contact; a later call moves it,
 * and a contact no longer due loses its waiting job).
 * `unscheduled`: the contacts were just written for the first time, so no job of theirs can exist.
 */
export type ScheduleRedaction = (db: Db, plans: readonly { partnerId: number; dueAt: Date | null }[], options?: { unscheduled?: boolean }) => Promise<void>

export interface OrderRetention {
  dueAt: Date | null
  /** Which rule set the due date, stored with the order; null while no clock has started. */
  basis: DueBasis | null
}

export interface PartnerRetention {
  dueAt: Date | null
  fields: PartnerPiiField[]
  /** The rule of the order that is due last, which decides the contact's due date. */
  basis: DueBasis | null
}

/** An order the mirror has never held, as it is about to be written. */
export interface FirstSightOrder extends OrderClock {
  odooId: number
  channel: Channel
  partnerIds: readonly number[]
}

export interface FirstSightPlan {
  orders: Map<number, OrderRetention>
  /** Every contact these orders name, planned from these orders alone. */
  partners: Map<number, PartnerRetention>
}

export interface RetentionPlanner {
  /**
   * Due dates of orders seen for the first time, and of the contacts they name as if no other
   * order named them, computed before anything is written so that each row is written once
   * (a first sync of 100,000 orders would otherwise write every order and contact twice).
   */
  planFirstSight(db: Db, orders: readonly FirstSightOrder[]): Promise<FirstSightPlan>
  /** Queues the redaction jobs of contacts just written with a plan from planFirstSight. */
  scheduleFirstSight(db: Db, partners: ReadonlyMap<number, PartnerRetention>): Promise<void>
  /** Recomputes the due dates of these orders and of their contacts, and (re)schedules what moved. */
  ordersChanged(db: Db, orderIds: readonly number[]): Promise<void>
  /** Recomputes every order of these channels (after a policy change), in batches. */
  channelsChanged(channels: readonly Channel[]): Promise<number>
  /** Recomputes these contacts' due dates and schedules those that are due (e.g. after a hold ends). */
  partnersChanged(db: Db, partnerIds: readonly number[]): Promise<void>
}

const BATCH = 1000

export function createRetentionPlanner(deps: { pool: Pool; policies: PolicyStore; schedule: ScheduleRedaction; backlog: RedactionBacklog }): RetentionPlanner {
  const { pool, policies, schedule, backlog } = deps

  async function planFirstSight(db: Db, orders: readonly FirstSightOrder[]): Promise<FirstSightPlan> {
    const byChannel = await policies.all(db)
    const planned = new Map(orders.map((order) => [order.odooId, orderRetention(order, byChannel)]))
    const named = new Map<number, PartnerOrder[]>()
    for (const order of orders) {
      const { dueAt: due, basis } = planned.get(order.odooId) as OrderRetention
      for (const id of new Set(order.partnerIds)) {
        const namedBy = named.get(id) ?? []
        namedBy.push({ due, channel: order.channel, basis })
        named.set(id, namedBy)
      }
    }
    return { orders: planned, partners: new Map([...named].map(([id, rows]) => [id, partnerRetention(rows, byChannel)])) }
  }

  async function scheduleFirstSight(db: Db, partners: ReadonlyMap<number, PartnerRetention>) {
    const admitted = await backlog.admit(db, [...partners].map(([partnerId, plan]) => ({ partnerId, dueAt: plan.dueAt, basis: plan.basis })))
    await schedule(db, admitted, { unscheduled: true })
  }

  async function ordersChanged(db: Db, orderIds: readonly number[]) {
    if (orderIds.length === 0) return
    const byChannel = await policies.all(db)
    const orders = await db.query<OrderClockRow>(
      'SELECT odoo_id, channel, order_date, shipped_at, completed_at, cancelled_at, partner_id, partner_invoice_id, partner_shipping_id FROM mirror_orders WHERE odoo_id = ANY($1::int[])',
      [orderIds]
    )
    const dues = orders.rows.map((order) => ({
      id: order.odoo_id,
      ...orderRetention({ channel: order.channel, orderDate: order.order_date, shippedAt: order.shipped_at, completedAt: order.completed_at, cancelledAt: order.cancelled_at }, byChannel)
    }))
    await db.query(
      `UPDATE mirror_orders o SET retention_due_at = d.due, retention_basis = d.basis
         FROM unnest($1::int[], $2::timestamptz[], $3::jsonb[]) AS d(id, due, basis)
        WHERE o.odoo_id = d.id AND (o.retention_due_at IS DISTINCT FROM d.due OR o.retention_basis IS DISTINCT FROM d.basis)`,
      [dues.map((d) => d.id), dues.map((d) => d.dueAt), dues.map((d) => (d.basis ? JSON.stringify(d.basis) : null))]
    )
    const partners = orders.rows.flatMap((o) => [o.partner_id, o.partner_invoice_id, o.partner_shipping_id]).filter((id): id is number => id !== null)
    await partnersChanged(db, [...new Set(partners)])
  }

  async function partnersChanged(db: Db, partnerIds: readonly number[]) {
    if (partnerIds.length === 0) return
    const byChannel = await policies.all(db)
    // Three indexed lookups rather than one join on `IN (three columns)`, which scans every order.
    const result = await db.query<PartnerOrder & { partner_id: number }>(
      `SELECT partner_id, retention_due_at AS due, channel, retention_basis AS basis FROM mirror_orders WHERE partner_id = ANY($1::int[])
       UNION ALL SELECT partner_invoice_id, retention_due_at, channel, retention_basis FROM mirror_orders WHERE partner_invoice_id = ANY($1::int[])
       UNION ALL SELECT partner_shipping_id, retention_due_at, channel, retention_basis FROM mirror_orders WHERE partner_shipping_id = ANY($1::int[])`,
      [partnerIds]
    )
    const orders = Map.groupBy(result.rows, (row) => row.partner_id)
    const plans = partnerIds.map((id) => ({ id, ...partnerRetention(orders.get(id) ?? [], byChannel) }))
    const moved = await db.query<{ odoo_id: number; retention_due_at: Date | null }>(
      `UPDATE mirror_partners p SET retention_due_at = d.due, redaction_fields = string_to_array(d.fields, ',')
         FROM unnest($1::int[], $2::timestamptz[], $3::text[]) AS d(id, due, fields)
        WHERE p.odoo_id = d.id AND p.redacted_at IS NULL
          AND (p.retention_due_at IS DISTINCT FROM d.due OR p.redaction_fields IS DISTINCT FROM string_to_array(d.fields, ','))
        RETURNING p.odoo_id, p.retention_due_at`,
      [plans.map((p) => p.id), plans.map((p) => p.dueAt), plans.map((p) => p.fields.join(','))]
    )
    const bases = new Map(plans.map((plan) => [plan.id, plan.basis]))
    const admitted = await backlog.admit(db, moved.rows.map((row) => ({ partnerId: row.odoo_id, dueAt: row.retention_due_at, basis: bases.get(row.odoo_id) ?? null })))
    await schedule(db, admitted)
  }

  async function channelsChanged(channels: readonly Channel[]) {
    let after = 0
    let total = 0
    for (;;) {
      const batch = await pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_orders WHERE channel = ANY($1::text[]) AND odoo_id > $2 ORDER BY odoo_id LIMIT $3', [channels, after, BATCH])
      if (batch.rows.length === 0) return total
      const ids = batch.rows.map((r) => r.odoo_id)
      await inTransaction(pool, (db) => ordersChanged(db, ids))
      total += ids.length
      after = ids[ids.length - 1] as number
    }
  }

  return { planFirstSight, scheduleFirstSight, ordersChanged, channelsChanged, partnersChanged }
}

interface PartnerOrder {
  due: Date | null
  channel: Channel
  basis: DueBasis | null
}

function orderRetention(order: OrderClock & { channel: Channel }, byChannel: ReadonlyMap<Channel, Policy>): OrderRetention {
  const policy = byChannel.get(order.channel) as Policy
  const due = computeOrderDueAt(order, policy)
  return { dueAt: due.dueAt, basis: due.startedBy ? { channel: order.channel, policyVersion: policy.version, startedBy: due.startedBy } : null }
}

/** Due when the last of its orders is; redacts the union of the fields their channels' policies name. */
function partnerRetention(orders: readonly PartnerOrder[], byChannel: ReadonlyMap<Channel, Policy>): PartnerRetention {
  const fields = new Set<PartnerPiiField>(orders.flatMap((order) => (byChannel.get(order.channel) as Policy).fields))
  const dueAt = computePartnerDueAt(orders.map((order) => order.due))
  const decisive = dueAt === null ? undefined : orders.find((order) => order.due?.getTime() === dueAt.getTime())
  return { dueAt, fields: PARTNER_PII_FIELDS.filter((f) => fields.has(f)), basis: decisive?.basis ?? null }
}

interface OrderClockRow {
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
