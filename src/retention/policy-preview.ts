import { z } from 'zod'
import type { Queryable } from '../db/queryable.ts'
import { orderDuesOfChannel, retentionOfOrdersNaming } from '../mirror/mirror-store.ts'
import { contactsOfChannel } from '../mirror/partner-store.ts'
import { channelSchema } from '../mirror/channels.ts'
import type { Channel } from '../mirror/channels.ts'
import { isHeld } from './holds.ts'
import { computeOrderDueAt, computePartnerDueAt, policyRuleSchema } from './policy.ts'
import type { OrderClock, PolicyRule } from './policy.ts'

const DAY_MS = 86_400_000

const beforeAfter = (what: string) => z.object({ current: z.number().int(), proposed: z.number().int() }).describe(what)

export const policyPreviewSchema = z
  .object({
    channel: channelSchema,
    asOf: z.date(),
    proposed: policyRuleSchema,
    orders: z.object({ total: z.number().int(), moved: z.number().int().describe('Orders whose due date would change.') }),
    contacts: z.object({
      total: z.number().int().describe("Contacts with personal data on the channel's orders."),
      earlier: z.number().int().describe('Due sooner than now (or due where they were not).'),
      later: z.number().int().describe('Due later than now (or no longer due).')
    }),
    dueNow: beforeAfter('Past due and not on hold: redacted at once, or waiting in the backlog for approval.'),
    dueNext7Days: beforeAfter('Due within the next 7 days.'),
    dueNext30Days: beforeAfter('Due within the next 30 days.'),
    newlyDue: z.number().int().describe('Contacts not past due now that the change would make past due at once.')
  })
  .meta({ id: 'PolicyPreview', description: "What a channel's new policy would make due, computed from the mirror; nothing is changed." })
export type PolicyPreview = z.infer<typeof policyPreviewSchema>

export interface ChannelOrder extends OrderClock {
  odooId: number
  dueAt: Date | null
}

export interface ContactDues {
  partnerId: number
  dueAt: Date | null
  held: boolean
  /** Every order naming the contact, on any channel, with its current due date. */
  orders: readonly { odooId: number; dueAt: Date | null }[]
}

/**
 * The due dates a rule would give the channel's orders, and through them their contacts (due when
 * the last of their orders is, whatever channel those are on), counted against today's: the same
 * rules the planner applies when the policy is saved (src/retention/retention-planner.ts).
 */
export function previewPolicyChange(input: { channel: Channel; rule: PolicyRule; orders: readonly ChannelOrder[]; contacts: readonly ContactDues[]; now: Date }): PolicyPreview {
  const { rule, now } = input
  const proposedOrderDue = new Map(input.orders.map((order) => [order.odooId, computeOrderDueAt(order, rule).dueAt]))
  const movedOrders = input.orders.filter((order) => !sameInstant(order.dueAt, proposedOrderDue.get(order.odooId) ?? null)).length
  const proposed = input.contacts.map((contact) => ({
    contact,
    dueAt: computePartnerDueAt(contact.orders.map((order) => (proposedOrderDue.has(order.odooId) ? (proposedOrderDue.get(order.odooId) ?? null) : order.dueAt)))
  }))
  const count = (predicate: (dueAt: Date | null, held: boolean) => boolean) => ({
    current: input.contacts.filter((c) => predicate(c.dueAt, c.held)).length,
    proposed: proposed.filter(({ contact, dueAt }) => predicate(dueAt, contact.held)).length
  })
  const pastDue = (dueAt: Date | null, held: boolean) => dueAt !== null && dueAt <= now && !held
  const within = (days: number) => (dueAt: Date | null) => dueAt !== null && dueAt > now && dueAt.getTime() <= now.getTime() + days * DAY_MS
  return {
    channel: input.channel,
    asOf: now,
    proposed: rule,
    orders: { total: input.orders.length, moved: movedOrders },
    contacts: {
      total: input.contacts.length,
      earlier: proposed.filter(({ contact, dueAt }) => isEarlier(dueAt, contact.dueAt)).length,
      later: proposed.filter(({ contact, dueAt }) => isEarlier(contact.dueAt, dueAt)).length
    },
    dueNow: count(pastDue),
    dueNext7Days: count(within(7)),
    dueNext30Days: count(within(30)),
    newlyDue: proposed.filter(({ contact, dueAt }) => pastDue(dueAt, contact.held) && !pastDue(contact.dueAt, contact.held)).length
  }
}

function sameInstant(a: Date | null, b: Date | null): boolean {
  return a === null || b === null ? a === b : a.getTime() === b.getTime()
}

/** `a` comes before `b`, where no due date comes after every date. */
function isEarlier(a: Date | null, b: Date | null): boolean {
  if (a === null) return false
  return b === null || a < b
}

/** The channel's orders and the contacts they name that still hold personal data, as the preview needs them. */
export async function loadPolicyPreviewInput(db: Queryable, channel: Channel, now: Date): Promise<{ orders: ChannelOrder[]; contacts: ContactDues[] }> {
  const orders = await orderDuesOfChannel(db, channel)
  const contacts = await contactsOfChannel(db, channel, now, isHeld)
  const ordersOf = Map.groupBy(await retentionOfOrdersNaming(db, contacts.map((row) => row.odoo_id)), (row) => row.partner_id)
  return {
    orders: orders.map((row) => ({ odooId: row.odoo_id, orderDate: row.order_date, shippedAt: row.shipped_at, completedAt: row.completed_at, cancelledAt: row.cancelled_at, dueAt: row.retention_due_at })),
    contacts: contacts.map((row) => ({
      partnerId: row.odoo_id,
      dueAt: row.retention_due_at,
      held: row.held,
      orders: (ordersOf.get(row.odoo_id) ?? []).map((order) => ({ odooId: order.odoo_id, dueAt: order.due }))
    }))
  }
}
