import type { Pool } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import type { Queryable } from '../db/queryable.ts'
import { orderClocks, orderIdsOfChannels, retentionOfOrdersNaming, writeOrderRetention } from '../mirror/mirror-store.ts'
import { extendContactRetention, writeContactRetention } from '../mirror/partner-store.ts'
import type { ExtendedContact } from '../mirror/partner-store.ts'
import type { Channel } from '../mirror/channels.ts'
import type { PartnerPiiField } from '../mirror/odoo-records.ts'
import { PARTNER_PII_FIELDS } from '../mirror/odoo-records.ts'
import { computeOrderDueAt, computePartnerDueAt } from './policy.ts'
import type { OrderClock, Policy } from './policy.ts'
import type { PolicyStore } from './policy-store.ts'
import type { DueBasis, RedactionBacklog } from './redaction-backlog.ts'

type Db = Queryable

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
  /**
   * Contacts just written with a plan from planFirstSight and already past due join the redaction
   * backlog where approval is needed. Nothing is queued: the sweeper finds due contacts in the mirror.
   */
  admitFirstSight(db: Db, partners: ReadonlyMap<number, PartnerRetention>): Promise<void>
  /** Recomputes the due dates of these orders and of their contacts. */
  ordersChanged(db: Db, orderIds: readonly number[]): Promise<void>
  /** Recomputes every order of these channels (after a policy change), in batches. */
  channelsChanged(channels: readonly Channel[]): Promise<number>
  /** Recomputes these contacts' due dates; those past due enter the backlog where approval is needed. */
  partnersChanged(db: Db, partnerIds: readonly number[]): Promise<void>
  /**
   * These contacts, already mirrored, were named by orders just inserted, planned as planFirstSight
   * planned them: their due dates follow from the plan and what they have, without reading all
   * their orders again where that is exact (a repeat customer of a first sync, each page).
   */
  partnersGainedOrders(db: Db, plans: ReadonlyMap<number, PartnerRetention>): Promise<void>
}

const BATCH = 1000

export function createRetentionPlanner(deps: { pool: Pool; policies: PolicyStore; backlog: RedactionBacklog }): RetentionPlanner {
  const { pool, policies, backlog } = deps

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

  async function admitFirstSight(db: Db, partners: ReadonlyMap<number, PartnerRetention>) {
    await backlog.admit(db, [...partners].map(([partnerId, plan]) => ({ partnerId, dueAt: plan.dueAt, basis: plan.basis })))
  }

  async function ordersChanged(db: Db, orderIds: readonly number[]) {
    if (orderIds.length === 0) return
    const byChannel = await policies.all(db)
    const orders = await orderClocks(db, orderIds)
    const dues = orders.map((order) => ({
      id: order.odoo_id,
      ...orderRetention({ channel: order.channel, orderDate: order.order_date, shippedAt: order.shipped_at, completedAt: order.completed_at, cancelledAt: order.cancelled_at }, byChannel)
    }))
    await writeOrderRetention(db, dues)
    const partners = orders.flatMap((o) => [o.partner_id, o.partner_invoice_id, o.partner_shipping_id]).filter((id): id is number => id !== null)
    await partnersChanged(db, [...new Set(partners)])
  }

  async function partnersChanged(db: Db, partnerIds: readonly number[]) {
    if (partnerIds.length === 0) return
    const byChannel = await policies.all(db)
    const orders = Map.groupBy(await retentionOfOrdersNaming(db, partnerIds), (row) => row.partner_id)
    const plans = partnerIds.map((id) => ({ id, ...partnerRetention(orders.get(id) ?? [], byChannel) }))
    const moved = await writeContactRetention(db, plans)
    const bases = new Map(plans.map((plan) => [plan.id, plan.basis]))
    await backlog.admit(db, moved.map((row) => ({ ...row, basis: bases.get(row.partnerId) ?? null })))
  }

  async function partnersGainedOrders(db: Db, plans: ReadonlyMap<number, PartnerRetention>) {
    const { moved, unsettled } = await extendContactRetention(db, [...plans].map(([id, plan]) => ({ id, dueAt: plan.dueAt, fields: plan.fields })))
    const basisOf = (row: ExtendedContact) => (row.dueAt === null ? null : 'olderBasis' in row ? (row.olderBasis ?? null) : (plans.get(row.partnerId)?.basis ?? null))
    await backlog.admit(db, moved.map((row) => ({ partnerId: row.partnerId, dueAt: row.dueAt, basis: basisOf(row) })))
    await partnersChanged(db, unsettled)
  }

  async function channelsChanged(channels: readonly Channel[]) {
    let after = 0
    let total = 0
    for (;;) {
      const ids = await orderIdsOfChannels(pool, channels, after, BATCH)
      if (ids.length === 0) return total
      await inTransaction(pool, (db) => ordersChanged(db, ids))
      total += ids.length
      after = ids[ids.length - 1] as number
    }
  }

  return { planFirstSight, admitFirstSight, ordersChanged, channelsChanged, partnersChanged, partnersGainedOrders }
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
