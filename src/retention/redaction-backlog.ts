import { z } from 'zod'
import type { Clock } from '../clock.ts'
import type { Pool } from '../db/database.ts'
import type { Queryable } from '../db/queryable.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import { channelSchema } from '../mirror/channels.ts'
import type { Channel } from '../mirror/channels.ts'
import { maskName } from '../mirror/masking.ts'
import { openContactPii } from '../mirror/sealed-partner.ts'
import { approveBacklog, backlogByChannel, backlogByRule, backlogDecisions, backlogSamples, countBacklog, enterBacklog, leaveBacklog } from '../mirror/partner-store.ts'

type Db = Queryable

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
   * Of contacts just planned, those already past due join the backlog when approval is needed, and
   * no redaction job takes them until an admin approves. Contacts no longer due leave the backlog.
   */
  admit(db: Db, plans: readonly PlannedContact[]): Promise<void>
  describe(db?: Db): Promise<Backlog>
  /** Approves the waiting contacts of these channels (all when none given); returns how many per channel. */
  approve(db: Db, channels: readonly Channel[] | undefined, by: string): Promise<Record<string, number>>
  /** Waiting contacts per channel, for the report, the metrics and the sweeper's log. */
  waitingByChannel(db?: Db): Promise<Map<Channel, number>>
}

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

  async function admit(db: Db, plans: readonly PlannedContact[]): Promise<void> {
    if (plans.length === 0 || approval === 'never' || deps.dryRun) return
    const now = clock.now()
    const pastDue = plans.filter((plan) => plan.dueAt !== null && plan.dueAt <= now)
    const notDue = plans.filter((plan) => !pastDue.includes(plan)).map((plan) => plan.partnerId)
    if (notDue.length > 0) await leaveBacklog(db, notDue)
    if (pastDue.length === 0) return
    await db.query('SELECT pg_advisory_xact_lock($1)', [BACKLOG_LOCK])
    const known = await backlogDecisions(db, pastDue.map((plan) => plan.partnerId))
    const decided = new Set(known.map((row) => row.partnerId))
    const fresh = pastDue.filter((plan) => !decided.has(plan.partnerId))
    if (fresh.length > 0 && (await needsApproval(db, fresh.length))) await enterBacklog(db, fresh, now)
  }

  async function needsApproval(db: Db, incoming: number): Promise<boolean> {
    if (approval === 'always') return true
    if (approval === 'never') return false
    return (await countBacklog(db)) + incoming > approval
  }

  async function describe(db: Db = pool): Promise<Backlog> {
    const rows = await backlogByRule(db)
    const samples = await backlogSamples(db)
    const channels = [...Map.groupBy(rows, (row) => row.channel)].map(([channel, group]) => ({
      channel,
      contacts: group.reduce((sum, row) => sum + row.contacts, 0),
      since: new Date(Math.min(...group.map((row) => row.since.getTime()))),
      oldestDueAt: new Date(Math.min(...group.map((row) => row.oldest_due.getTime()))),
      rules: group.map((row) => ({ policyVersion: row.policy_version ?? 0, startedBy: row.started_by ?? 'unknown', contacts: row.contacts })),
      sample: samples
        .filter((row) => row.channel === channel)
        .map((row) => {
          const name = openContactPii(deps.cipher, row.odoo_id, row.pii).name
          return { partnerId: row.odoo_id, name: name === undefined ? null : maskName(name), dueAt: row.retention_due_at }
        })
    }))
    return { approval, channels }
  }

  function approve(db: Db, channels: readonly Channel[] | undefined, by: string): Promise<Record<string, number>> {
    return approveBacklog(db, channels && channels.length > 0 ? channels : null, clock.now(), by)
  }

  function waitingByChannel(db: Db = pool): Promise<Map<Channel, number>> {
    return backlogByChannel(db)
  }

  return { admit, describe, approve, waitingByChannel }
}
