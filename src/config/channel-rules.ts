import { z } from 'zod'

/**
 * The marketplaces the bridge tells apart, `other` for anything unrecognised. They are what a
 * channel rule (CHANNEL_RULES) may name; the mirror's `Channel` schema is built from this list.
 */
export const CHANNEL_NAMES = ['amazon', 'tiktok_shop', 'etsy', 'shopify', 'ebay', 'bol', 'other'] as const

/**
 * A rule recognises a channel from what Odoo holds about an order. Any of its matchers suffices:
 * the sales team's or a tag's name (case-insensitive, whole name), or a regular expression over
 * `origin` or `client_order_ref`.
 */
export const channelRuleSchema = z
  .object({
    channel: z.enum(CHANNEL_NAMES),
    team: z.string().min(1).optional(),
    tag: z.string().min(1).optional(),
    origin: z.string().min(1).optional(),
    clientOrderRef: z.string().min(1).optional()
  })
  .refine((rule) => rule.team ?? rule.tag ?? rule.origin ?? rule.clientOrderRef, { message: 'a rule needs at least one of team, tag, origin, clientOrderRef' })
  .refine((rule) => [rule.origin, rule.clientOrderRef].every((pattern) => pattern === undefined || isRegExp(pattern)), {
    message: 'origin and clientOrderRef must be valid regular expressions'
  })
export type ChannelRule = z.infer<typeof channelRuleSchema>

function isRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern)
    return true
  } catch {
    return false
  }
}
