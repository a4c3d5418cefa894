import { z } from 'zod'
import type { Clock } from '../clock.ts'
import type { Pool, PoolClient } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import { channelSchema } from '../mirror/channels.ts'
import type { Channel } from '../mirror/channels.ts'
import { maskName } from '../mirror/masking.ts'

type Db = Pick<PoolClient, 'query'>

/** `always`, `never`, or approval when more than this many contacts would be redacted at once. */
export type BacklogApproval = 'always' | 'never' | number

/** Which rule made a contact due: the channel and policy version of its latest order, and the clock event. */
export interface DueBasis {
  channel: Channel
  policyVersion: number
  startedBy: string
}

export interface PlannedContact {
  partnerId: number
  dueAt: Date | null
  basis: DueBasis | null
}

const channelBacklogSchema = z.object({
  channel: channelSchema,
  contacts: z.number().int(),
  since: z.date().describe('When the oldest of them joined the backlog.'),
  oldestDueAt: z.date(),
  rules: z.array(z.object({ policyVersion: z.number().int(), startedBy: z.string().describe('The clock event: order_date, shipped, completed or cancelled.'), contacts: z.number().int() })),
  sample: z.array(z.object({ partnerId: z.number().int(), name: z.string().nullable().describe('Masked.'), dueAt: z.date() })).describe('Up to five contacts, masked.')
})

export const backlogSchema = z
  .object({
    approval: z.union([z.enum(['always', 'never']), z.number().int()]).describe('RETENTION_BACKLOG_APPROVAL'),
    channels: z.array(channelBacklogSchema)
  })
  .meta({ id: 'RedactionBacklog', description: 'Contacts that were already past due when planned and wait for an admin before anything is redacted.' })
export type Backlog = z.infer<typeof backlogSchema>

export interface RedactionBacklog {
  /**
   * Of contacts just planned, those already past due join the backlog instead of being queued when
   * approval is needed; returns the plans to schedule, where a waiting contact has no due time (so
   * no job). Contacts no longer due leave the backlog.
   */
  admit(db: Db, plans: readonly PlannedContact[]): Promise<PlannedContact[]>
  describe(db?: Db): Promise<Backlog>
  /** Approves the waiting contacts of these channels (all when none given); returns how many per channel. */
  approve(db: Db, channels: readonly Channel[] | undefined, by: string): Promise<Record<string, number>>
  /** Waiting contacts per channel, for the report, the metrics and the sweeper's log. */
  waitingByChannel(db?: Db): Promise<Map<Channel, number>>
}

/** SQL condition: the contact (alias `p`) waits in the backlog. */
export const IN_BACKLOG = (alias: string) => `(${alias}.backlog_since IS NOT NULL AND ${alias}.backlog_approved_at IS NULL)`

// A contact waiting now, and the channel it is counted under (the channel of the rule that made it due).
const WAITING = `${IN_BACKLOG('p')} AND p.redacted_at IS NULL`
const CHANNEL = "coalesce(p.backlog_basis ->> 'channel', 'other')"

// Two syncs (or a sync and a policy change) planning at once must not both decide that their
// contacts alone stay under the threshold.
const BACKLOG_LOCK = 72_340_112

/**
 * Redaction in Odoo cannot be undone: a wrong channel rule or a mistyped period would otherwise
 * redact a whole shop's history within seconds of the first sync. Contacts that come due in the
 * normal course (their due time passes after they were planned) never wait here.
 */
export function createRedactionBacklog(deps: { pool: Pool; clock: Clock; cipher: PiiCipher; approval: BacklogApproval; dryRun: boolean }): RedactionBacklog {
  const { pool, clock, approval } = deps

  async function admit(db: Db, plans: readonly PlannedContact[]): Promise<PlannedContact[]> {
    if (plans.length === 0 || approval === 'never' || deps.dryRun) return [...plans]
    const now = clock.now()
    const pastDue = plans.filter((plan) => plan.dueAt !== null && plan.dueAt <= now)
    const notDue = plans.filter((plan) => !pastDue.includes(plan)).map((plan) => plan.partnerId)
    if (notDue.length > 0) await db.query('UPDATE mirror_partners SET backlog_since = NULL, backlog_basis = NULL WHERE odoo_id = ANY($1::int[]) AND backlog_since IS NOT NULL AND backlog_approved_at IS NULL', [notDue])
    if (pastDue.length === 0) return [...plans]
    await db.query('SELECT pg_advisory_xact_lock($1)', [BACKLOG_LOCK])
    const known = await db.query<{ odoo_id: number; waiting: boolean }>(
      `SELECT odoo_id, ${IN_BACKLOG('p')} AS waiting FROM mirror_partners p WHERE odoo_id = ANY($1::int[]) AND (backlog_since IS NOT NULL OR backlog_approved_at IS NOT NULL)`,
      [pastDue.map((plan) => plan.partnerId)]
    )
    const waiting = new Set(known.rows.filter((row) => row.waiting).map((row) => row.odoo_id))
    const decided = new Set(known.rows.map((row) => row.odoo_id))
    const fresh = pastDue.filter((plan) => !decided.has(plan.partnerId))
    if (fresh.length > 0 && (await needsApproval(db, fresh.length))) {
      await db.query(
        `UPDATE mirror_partners p SET backlog_since = $3, backlog_basis = d.basis
           FROM unnest($1::int[], $2::jsonb[]) AS d(id, basis) WHERE p.odoo_id = d.id AND p.redacted_at IS NULL`,
        [fresh.map((plan) => plan.partnerId), fresh.map((plan) => (plan.basis ? JSON.stringify(plan.basis) : null)), now]
      )
      for (const plan of fresh) waiting.add(plan.partnerId)
    }
    // No job for a contact that waits: one queued for its earlier due time is removed.
    return plans.map((plan) => (waiting.has(plan.partnerId) ? { ...plan, dueAt: null } : plan))
  }

  async function needsApproval(db: Db, incoming: number): Promise<boolean> {
    if (approval === 'always') return true
    if (approval === 'never') return false
    const queued = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM mirror_partners p WHERE ${WAITING}`)
    return (queued.rows[0]?.n ?? 0) + incoming > approval
  }

  async function describe(db: Db = pool): Promise<Backlog> {
    const rows = await db.query<{ channel: Channel; policy_version: number | null; started_by: string | null; contacts: number; since: Date; oldest_due: Date }>(
      `SELECT ${CHANNEL} AS channel, (backlog_basis ->> 'policyVersion')::int AS policy_version, backlog_basis ->> 'startedBy' AS started_by,
              count(*)::int AS contacts, min(backlog_since) AS since, min(retention_due_at) AS oldest_due
         FROM mirror_partners p WHERE ${WAITING}
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`
    )
    const samples = await db.query<{ channel: Channel; odoo_id: number; name: string | null; retention_due_at: Date }>(
      `SELECT channel, odoo_id, name, retention_due_at FROM (
         SELECT ${CHANNEL} AS channel, odoo_id, name, retention_due_at,
                row_number() OVER (PARTITION BY ${CHANNEL} ORDER BY retention_due_at, odoo_id) AS n
           FROM mirror_partners p WHERE ${WAITING}) s
        WHERE n <= 5 ORDER BY channel, n`
    )
    const channels = [...Map.groupBy(rows.rows, (row) => row.channel)].map(([channel, group]) => ({
      channel,
      contacts: group.reduce((sum, row) => sum + row.contacts, 0),
      since: new Date(Math.min(...group.map((row) => row.since.getTime()))),
      oldestDueAt: new Date(Math.min(...group.map((row) => row.oldest_due.getTime()))),
      rules: group.map((row) => ({ policyVersion: row.policy_version ?? 0, startedBy: row.started_by ?? 'unknown', contacts: row.contacts })),
      sample: samples.rows
        .filter((row) => row.channel === channel)
        .map((row) => ({ partnerId: row.odoo_id, name: row.name === null ? null : maskName(deps.cipher.open(row.name, `partner:${row.odoo_id}:name`)), dueAt: row.retention_due_at }))
    }))
    return { approval, channels }
  }

  async function approve(db: Db, channels: readonly Channel[] | undefined, by: string): Promise<Record<string, number>> {
    const approved = await db.query<{ channel: Channel; n: number }>(
      `WITH approved AS (
         UPDATE mirror_partners p SET backlog_approved_at = $2, backlog_approved_by = $3
          WHERE ${WAITING} AND ($1::text[] IS NULL OR ${CHANNEL} = ANY($1::text[]))
          RETURNING ${CHANNEL} AS channel)
       SELECT channel, count(*)::int AS n FROM approved GROUP BY channel ORDER BY channel`,
      [channels && channels.length > 0 ? channels : null, clock.now(), by]
    )
    return Object.fromEntries(approved.rows.map((row) => [row.channel, row.n]))
  }

  async function waitingByChannel(db: Db = pool): Promise<Map<Channel, number>> {
    const rows = await db.query<{ channel: Channel; n: number }>(
      `SELECT ${CHANNEL} AS channel, count(*)::int AS n FROM mirror_partners p WHERE ${WAITING} GROUP BY 1`
    )
    return new Map(rows.rows.map((row) => [row.channel, row.n]))
  }

  return { admit, describe, approve, waitingByChannel }
}
