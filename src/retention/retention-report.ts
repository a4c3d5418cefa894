import { z } from 'zod'
import type { Clock } from '../clock.ts'
import type { Pool } from '../db/database.ts'
import { channelSchema } from '../mirror/channels.ts'
import { deadLetterQueueOf } from '../jobs/job.ts'
import { countLiveJobs } from '../jobs/queue-tables.ts'
import { contactFiguresByChannel, contactsDueBy } from '../mirror/partner-store.ts'
import { isHeld } from './holds.ts'
import { REDACT_QUEUE } from './retention-jobs.ts'
import { currentRedactionBlock, redactionBlockSchema } from './redaction-block.ts'

export const channelFiguresSchema = z.object({
  channel: channelSchema,
  ordersWithPii: z.number().int(),
  contactsWithPii: z.number().int(),
  dueNext7Days: z.number().int(),
  overdue: z.number().int().describe('Due, not redacted and not on hold: must be 0.'),
  redacted: z.number().int(),
  onHold: z.number().int(),
  failed: z.number().int().describe('Refused by Odoo, missing, or protected (an Odoo user or the company): need an admin.'),
  awaitingApproval: z.number().int().describe('Overdue contacts in the backlog, waiting for an admin to approve their redaction (counted in overdue too).')
})

export const retentionReportSchema = z
  .object({
    asOf: z.date(),
    channels: z.array(channelFiguresSchema),
    deadLettered: z.number().int().describe('Redaction jobs that exhausted their retries.'),
    blockedBy: redactionBlockSchema
      .nullable()
      .describe('Set while redaction refuses to start because the Odoo user lacks rights it needs: due contacts stay due (and overdue) until they are granted.')
  })
  .meta({ id: 'RetentionReport' })
export type RetentionReport = z.infer<typeof retentionReportSchema>

const WEEK_MS = 7 * 86_400_000

/** The compliance picture per channel; a contact on orders of several channels counts in each. */
export async function buildRetentionReport(deps: { pool: Pool; clock: Clock }): Promise<RetentionReport> {
  const now = deps.clock.now()
  const figures = await contactFiguresByChannel(deps.pool, { now, weekEnd: new Date(now.getTime() + WEEK_MS) }, isHeld)
  const deadLettered = await countLiveJobs(deps.pool, deadLetterQueueOf(REDACT_QUEUE))
  const byChannel = new Map(figures.map((row) => [row.channel, row]))
  return {
    asOf: now,
    channels: channelSchema.options.map((channel) => {
      const row = byChannel.get(channel)
      return { channel, ordersWithPii: row?.ordersWithPii ?? 0, contactsWithPii: row?.contactsWithPii ?? 0, dueNext7Days: row?.dueNext7Days ?? 0, overdue: row?.overdue ?? 0, redacted: row?.redacted ?? 0, onHold: row?.onHold ?? 0, failed: row?.failed ?? 0, awaitingApproval: row?.awaitingApproval ?? 0 }
    }),
    deadLettered,
    blockedBy: await currentRedactionBlock(deps.pool)
  }
}

export const planEntrySchema = z.object({
  partnerId: z.number().int(),
  dueAt: z.date(),
  channels: z.array(channelSchema),
  startedBy: z.array(z.string()).describe('The clock events of its orders: order_date, shipped, completed or cancelled.'),
  fields: z.array(z.string()),
  held: z.boolean(),
  blockedBy: z
    .string()
    .nullable()
    .describe('A recorded failure or refusal that stops it, `awaiting_approval` while it waits in the backlog, or `odoo_rights_missing` while redaction is blocked (see the report).')
})
export type PlanEntry = z.infer<typeof planEntrySchema>

/** What would be redacted by `asOf` and why: ids, policies and dates only, never personal data. */
export async function planRedactions(deps: { pool: Pool; clock: Clock }, asOf: Date): Promise<PlanEntry[]> {
  const due = await contactsDueBy(deps.pool, asOf, deps.clock.now(), isHeld)
  const block = await currentRedactionBlock(deps.pool)
  return due.map((row) => ({
    partnerId: row.odoo_id,
    dueAt: row.retention_due_at,
    channels: row.channels,
    startedBy: row.started_by,
    fields: row.redaction_fields,
    held: row.held,
    blockedBy: row.failure?.kind ?? (row.backlog ? 'awaiting_approval' : block ? block.reason : null)
  }))
}
