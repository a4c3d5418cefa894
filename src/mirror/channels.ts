import { z } from 'zod'
import { CHANNEL_NAMES } from '../config/channel-rules.ts'
import type { ChannelRule } from '../config/channel-rules.ts'

export const channelSchema = z
  .enum(CHANNEL_NAMES)
  .meta({ id: 'Channel', description: 'The marketplace an order came from; `other` for anything unrecognised (manual, phone, B2B).' })
export type Channel = z.infer<typeof channelSchema>

/**
 * How the marketplace connectors mark orders in Odoo (see the contract data set): a sales team and
 * a tag named after the channel, `origin` holding the channel name, and `client_order_ref` holding
 * the marketplace's own order number in its own format.
 */
export const DEFAULT_CHANNEL_RULES: readonly ChannelRule[] = [
  { channel: 'amazon', team: 'Amazon', tag: 'Amazon', origin: '^amazon\\b', clientOrderRef: '^\\d{3}-\\d{7}-\\d{7}$' },
  { channel: 'tiktok_shop', team: 'TikTok Shop', tag: 'TikTok Shop', origin: '^tik ?tok\\b', clientOrderRef: '^57\\d{16}$' },
  { channel: 'etsy', team: 'Etsy', tag: 'Etsy', origin: '^etsy\\b', clientOrderRef: '^30\\d{8}$' },
  { channel: 'shopify', team: 'Shopify', tag: 'Shopify', origin: '^shopify\\b', clientOrderRef: '^#\\d+$' },
  { channel: 'ebay', team: 'eBay', tag: 'eBay', origin: '^ebay\\b', clientOrderRef: '^\\d{2}-\\d{5}-\\d{5}$' },
  { channel: 'bol', team: 'Bol.com', tag: 'Bol.com', origin: '^bol(\\.com)?\\b', clientOrderRef: '^A000[0-9A-F]+$' }
]

/** What the rules look at, as read from a sale order. */
export interface ChannelEvidence {
  teamName: string | null
  tagNames: readonly string[]
  origin: string | null
  clientOrderRef: string | null
}

export type ChannelClassifier = (evidence: ChannelEvidence) => Channel

/**
 * Configured rules are tried before the defaults, and within each rule the sales team and tags
 * (set deliberately in Odoo) before `origin` and `client_order_ref` (free text).
 */
export function createChannelClassifier(customRules: readonly ChannelRule[] = []): ChannelClassifier {
  const rules = [...customRules, ...DEFAULT_CHANNEL_RULES].map(compile)
  return (evidence) => {
    for (const matches of [byTeamOrTag, byText]) {
      const rule = rules.find((candidate) => matches(candidate, evidence))
      if (rule) return rule.channel
    }
    return 'other'
  }
}

interface CompiledRule {
  channel: Channel
  team?: string
  tag?: string
  origin?: RegExp
  clientOrderRef?: RegExp
}

function compile(rule: ChannelRule): CompiledRule {
  return {
    channel: rule.channel,
    team: rule.team?.toLowerCase(),
    tag: rule.tag?.toLowerCase(),
    origin: rule.origin ? new RegExp(rule.origin, 'i') : undefined,
    clientOrderRef: rule.clientOrderRef ? new RegExp(rule.clientOrderRef, 'i') : undefined
  }
}

function byTeamOrTag(rule: CompiledRule, evidence: ChannelEvidence): boolean {
  if (rule.team && evidence.teamName?.toLowerCase() === rule.team) return true
  return rule.tag !== undefined && evidence.tagNames.some((tag) => tag.toLowerCase() === rule.tag)
}

function byText(rule: CompiledRule, evidence: ChannelEvidence): boolean {
  if (rule.origin && evidence.origin && rule.origin.test(evidence.origin.trim())) return true
  return rule.clientOrderRef !== undefined && evidence.clientOrderRef !== null && rule.clientOrderRef.test(evidence.clientOrderRef.trim())
}
