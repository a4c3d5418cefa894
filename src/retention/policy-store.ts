import type { Clock } from '../clock.ts'
import type { Pool, PoolClient } from '../db/database.ts'
import { channelSchema } from '../mirror/channels.ts'
import type { Channel } from '../mirror/channels.ts'
import type { PartnerPiiField } from '../mirror/odoo-records.ts'
import { DEFAULT_POLICIES } from './policy.ts'
import type { ClockEvent, Policy, PolicyRule } from './policy.ts'

export interface PolicyStore {
  /** Every channel's policy: the stored one, or the default (version 0) where none was set. */
  all(db?: Pick<PoolClient, 'query'>): Promise<Map<Channel, Policy>>
  /** Stores a new version of a channel's policy inside the caller's transaction. */
  put(db: PoolClient, channel: Channel, rule: PolicyRule, by: string): Promise<Policy>
}

export function createPolicyStore(deps: { pool: Pool; clock: Clock }): PolicyStore {
  async function all(db: Pick<PoolClient, 'query'> = deps.pool) {
    const stored = await db.query<PolicyRow>('SELECT * FROM retention_policies')
    const policies = new Map<Channel, Policy>(channelSchema.options.map((channel) => [channel, { channel, version: 0, ...DEFAULT_POLICIES[channel] }]))
    for (const row of stored.rows) policies.set(row.channel, toPolicy(row))
    return policies
  }

  async function put(db: PoolClient, channel: Channel, rule: PolicyRule, by: string) {
    const now = deps.clock.now()
    const saved = await db.query<PolicyRow>(
      `INSERT INTO retention_policies (channel, clock_event, period_days, fields, version, updated_at, updated_by)
       VALUES ($1, $2, $3, $4, 1, $5, $6)
       ON CONFLICT (channel) DO UPDATE SET clock_event = EXCLUDED.clock_event, period_days = EXCLUDED.period_days,
         fields = EXCLUDED.fields, version = retention_policies.version + 1, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by
       RETURNING *`,
      [channel, rule.clockEvent, rule.periodDays, rule.fields, now, by]
    )
    const policy = toPolicy(saved.rows[0] as PolicyRow)
    await db.query(
      'INSERT INTO retention_policy_versions (channel, version, clock_event, period_days, fields, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [channel, policy.version, policy.clockEvent, policy.periodDays, policy.fields, now, by]
    )
    return policy
  }

  return { all, put }
}

interface PolicyRow {
  channel: Channel
  clock_event: ClockEvent
  period_days: number
  fields: PartnerPiiField[]
  version: number
}

function toPolicy(row: PolicyRow): Policy {
  return { channel: row.channel, clockEvent: row.clock_event, periodDays: row.period_days, fields: row.fields, version: row.version }
}
