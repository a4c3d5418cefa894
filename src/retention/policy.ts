import { z } from 'zod'
import type { Channel } from '../mirror/channels.ts'
import { PARTNER_PII_FIELDS } from '../mirror/odoo-records.ts'
import type { PartnerPiiField } from '../mirror/odoo-records.ts'

export const clockEventSchema = z
  .enum(['order_date', 'shipped', 'completed'])
  .describe('What starts the clock: the order date, the shipment (all outgoing deliveries done), or completion.')
export type ClockEvent = z.infer<typeof clockEventSchema>

export const redactableFieldSchema = z.enum(PARTNER_PII_FIELDS)

export const policyRuleSchema = z
  .object({
    clockEvent: clockEventSchema,
    periodDays: z.number().int().min(0).max(3650).describe('Days after the clock event; 0 means at the event.'),
    fields: z.array(redactableFieldSchema).min(1).describe('Contact fields to redact. A contact keeps a placeholder name: Odoo refuses an empty one.')
  })
  .meta({ id: 'RetentionRule', example: { clockEvent: 'shipped', periodDays: 30, fields: [...PARTNER_PII_FIELDS] } })
export type PolicyRule = z.infer<typeof policyRuleSchema>

export interface Policy extends PolicyRule {
  channel: Channel
  version: number
}

const ALL_FIELDS: PartnerPiiField[] = [...PARTNER_PII_FIELDS]

/**
 * The defaults of the domain notes. Amazon's Data Protection Policy: PII deleted no later than 30
 * days after shipment. TikTok Shop: kept no longer than 30 days from collection (the order).
 * Etsy: only for the lifecycle of the transaction (until completion). Everyone else: anonymised
 * 90 days after the order.
 */
export const DEFAULT_POLICIES: Record<Channel, PolicyRule> = {
  amazon: { clockEvent: 'shipped', periodDays: 30, fields: ALL_FIELDS },
  tiktok_shop: { clockEvent: 'order_date', periodDays: 30, fields: ALL_FIELDS },
  etsy: { clockEvent: 'completed', periodDays: 0, fields: ALL_FIELDS },
  shopify: { clockEvent: 'order_date', periodDays: 90, fields: ALL_FIELDS },
  ebay: { clockEvent: 'order_date', periodDays: 90, fields: ALL_FIELDS },
  bol: { clockEvent: 'order_date', periodDays: 90, fields: ALL_FIELDS },
  other: { clockEvent: 'order_date', periodDays: 90, fields: ALL_FIELDS }
}

export interface OrderClock {
  orderDate: Date | null
  shippedAt: Date | null
  completedAt: Date | null
  cancelledAt: Date | null
}

export interface OrderDue {
  dueAt: Date | null
  /** The moment the clock started from: the policy's event, or the cancellation when that never came. */
  startedBy: ClockEvent | 'cancelled' | null
}

const DAY_MS = 86_400_000

/**
 * When an order's personal data must be gone. A cancelled order whose clock event never came
 * (never shipped, never completed) still expires, counted from its cancellation; an order whose
 * event has not happened yet has no due date and keeps its data.
 */
export function computeOrderDueAt(order: OrderClock, rule: PolicyRule): OrderDue {
  const event = rule.clockEvent === 'order_date' ? order.orderDate : rule.clockEvent === 'shipped' ? order.shippedAt : order.completedAt
  const period = rule.periodDays * DAY_MS
  if (event) return { dueAt: new Date(event.getTime() + period), startedBy: rule.clockEvent }
  if (order.cancelledAt) return { dueAt: new Date(order.cancelledAt.getTime() + period), startedBy: 'cancelled' }
  return { dueAt: null, startedBy: null }
}

/**
 * A contact may appear on several orders (as customer, invoice or delivery contact): it is due
 * when the last of them is, and not at all while one of them has no due date yet.
 */
export function computePartnerDueAt(orderDues: readonly (Date | null)[]): Date | null {
  if (orderDues.length === 0 || orderDues.some((due) => due === null)) return null
  return new Date(Math.max(...(orderDues as Date[]).map((due) => due.getTime())))
}
