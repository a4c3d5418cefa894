import { z } from 'zod'
import type { Clock } from '../clock.ts'
import type { Pool } from '../db/database.ts'
import { domainError } from '../errors/catalogue.ts'
import { channelSchema } from '../mirror/channels.ts'
import type { Channel } from '../mirror/channels.ts'
import { buildRetentionReport, channelFiguresSchema } from './retention-report.ts'
import type { RetentionReport } from './retention-report.ts'

const DAY_MS = 86_400_000
/** Days `GET /v1/retention/history` shows when `from` is not given: the 30 days up to `to`. */
const DEFAULT_DAYS = 30
/** The longest range one call may ask for: two years of days, 14 rows each. */
export const MAX_HISTORY_DAYS = 731

export const retentionHistorySchema = z
  .object({
    from: z.iso.date(),
    to: z.iso.date(),
    days: z
      .array(z.object({ day: z.iso.date().describe('The UTC day the snapshot was taken on.'), takenAt: z.date(), channels: z.array(channelFiguresSchema) }))
      .describe('Oldest first; a day without a snapshot (the service was not running) is missing.')
  })
  .meta({ id: 'RetentionHistory' })
export type RetentionHistory = z.infer<typeof retentionHistorySchema>

export const historyRangeSchema = z.object({
  from: z.iso.date().optional().describe(`First day (UTC), default: ${DEFAULT_DAYS - 1} days before \`to\`.`),
  to: z.iso.date().optional().describe('Last day (UTC), default: today.')
})

/** The UTC day of an instant, as `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10)
}

/** The asked range with its defaults; a range backwards or longer than MAX_HISTORY_DAYS is the caller's mistake. */
export function historyRange(asked: z.infer<typeof historyRangeSchema>, now: Date): { from: string; to: string } {
  const to = asked.to ?? utcDay(now)
  const from = asked.from ?? utcDay(new Date(Date.parse(to) - (DEFAULT_DAYS - 1) * DAY_MS))
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1
  if (days < 1) throw domainError('validation', '`from` must be on or before `to`.')
  if (days > MAX_HISTORY_DAYS) throw domainError('validation', `At most ${MAX_HISTORY_DAYS} days at once (asked: ${days}).`)
  return { from, to }
}

/**
 * Keeps the retention report's channel figures as the day's snapshot, so the history shows what
 * the report showed then. Idempotent per day: a later snapshot of the same day replaces the
 * earlier one, and an older one (a retry that finished late) never replaces a newer one.
 */
export async function takeRetentionSnapshot(deps: { pool: Pool; clock: Clock }): Promise<RetentionReport> {
  const report = await buildRetentionReport(deps)
  await deps.pool.query(
    `INSERT INTO retention_snapshots (day, channel, taken_at, orders_with_pii, contacts_with_pii, due_next_7_days, overdue, redacted, on_hold, failed, awaiting_approval)
     SELECT $1::date, c.channel, $2, c."ordersWithPii", c."contactsWithPii", c."dueNext7Days", c.overdue, c.redacted, c."onHold", c.failed, c."awaitingApproval"
       FROM jsonb_to_recordset($3::jsonb) AS c(channel text, "ordersWithPii" int, "contactsWithPii" int, "dueNext7Days" int, overdue int, redacted int, "onHold" int, failed int, "awaitingApproval" int)
     ON CONFLICT (day, channel) DO UPDATE
        SET taken_at = EXCLUDED.taken_at, orders_with_pii = EXCLUDED.orders_with_pii, contacts_with_pii = EXCLUDED.contacts_with_pii,
            due_next_7_days = EXCLUDED.due_next_7_days, overdue = EXCLUDED.overdue, redacted = EXCLUDED.redacted, on_hold = EXCLUDED.on_hold,
            failed = EXCLUDED.failed, awaiting_approval = EXCLUDED.awaiting_approval
      WHERE retention_snapshots.taken_at <= EXCLUDED.taken_at`,
    [utcDay(report.asOf), report.asOf, JSON.stringify(report.channels)]
  )
  return report
}

interface SnapshotRow {
  day: string
  taken_at: Date
  channel: Channel
  ordersWithPii: number
  contactsWithPii: number
  dueNext7Days: number
  overdue: number
  redacted: number
  onHold: number
  failed: number
  awaitingApproval: number
}

/** The snapshots of the days from `from` to `to` (UTC, both included), channels in the report's order. */
export async function retentionHistory(pool: Pool, range: { from: string; to: string }): Promise<RetentionHistory> {
  const rows = await pool.query<SnapshotRow>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, taken_at, channel, orders_with_pii AS "ordersWithPii", contacts_with_pii AS "contactsWithPii",
            due_next_7_days AS "dueNext7Days", overdue, redacted, on_hold AS "onHold", failed, awaiting_approval AS "awaitingApproval"
       FROM retention_snapshots
      WHERE day BETWEEN $1::date AND $2::date AND channel = ANY($3::text[])
      ORDER BY day, array_position($3::text[], channel)`,
    [range.from, range.to, channelSchema.options]
  )
  const days: RetentionHistory['days'] = []
  for (const { day, taken_at, ...figures } of rows.rows) {
    const last = days.at(-1)
    if (last?.day === day) last.channels.push(figures)
    else days.push({ day, takenAt: taken_at, channels: [figures] })
  }
  return { ...range, days }
}
