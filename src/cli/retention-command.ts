import type { Command } from 'commander'
import { planRedactions } from '../retention/retention-report.ts'
import { channelSchema } from '../mirror/channels.ts'
import type { Channel } from '../mirror/channels.ts'
import type { Backlog } from '../retention/redaction-backlog.ts'
import { inTransaction } from '../db/database.ts'
import { systemClock } from '../clock.ts'
import { commandLogger, readConfig, UsageError, withDatabase, withServiceParts } from './context.ts'

export function registerRetentionCommands(program: Command): void {
  const retention = program.command('retention').description('retention tools')
  retention
    .command('backlog')
    .description('show the contacts that were already past due when planned and wait for approval; --approve queues them')
    .option('--approve [channels...]', 'approve the backlog of these channels (all when none is named); redaction in Odoo cannot be undone')
    .option('--json', 'print JSON')
    .action(async (options: { approve?: true | string[]; json?: boolean }) => {
      const channels = options.approve === undefined || options.approve === true ? undefined : options.approve.map(parseChannel)
      const config = readConfig()
      const log = commandLogger(config)
      if (options.approve === undefined) {
        const backlog = await withServiceParts(config, log, (parts) => parts.backlog.describe())
        if (options.json) console.log(JSON.stringify(backlog))
        else printBacklog(backlog)
        return
      }
      const result = await withServiceParts(config, log, async (parts) => {
        const approved = await inTransaction(parts.pool, async (db) => {
          const counts = await parts.backlog.approve(db, channels, 'system')
          await parts.audit.record({ actor: 'system', action: 'retention.backlog_approved', subject: { type: 'backlog', id: (channels ?? ['all']).join(',') }, details: { approved: counts, via: 'cli' } }, db)
          return counts
        })
        return { approved, queued: await parts.sweep() }
      })
      if (options.json) {
        console.log(JSON.stringify(result))
        return
      }
      const total = Object.values(result.approved).reduce((sum, n) => sum + n, 0)
      console.log(`approved ${total} contacts (${Object.entries(result.approved).map(([c, n]) => `${c}: ${n}`).join(', ') || 'none waiting'}); ${result.queued} due for redaction, queued`)
    })
  retention
    .command('plan')
    .description('show which contacts would be redacted by a date, and why (changes nothing)')
    .option('--as-of <date>', 'ISO date or date-time; default now')
    .option('--json', 'print JSON')
    .action(async (options: { asOf?: string; json?: boolean }) => {
      const asOf = options.asOf ? new Date(options.asOf) : new Date()
      if (Number.isNaN(asOf.getTime())) throw new UsageError(`--as-of ${options.asOf} is not a date (use e.g. 2026-12-31 or 2026-12-31T12:00:00Z)`)
      const config = readConfig()
      const plan = await withDatabase(config, commandLogger(config), (pool) => planRedactions({ pool, clock: systemClock }, asOf))
      if (options.json) {
        console.log(JSON.stringify({ asOf, mode: config.retention.mode, contacts: plan }))
        return
      }
      console.log(`${plan.length} contacts due by ${asOf.toISOString()} (mode: ${config.retention.mode})`)
      for (const entry of plan) {
        const status = entry.held ? 'ON HOLD' : entry.blockedBy ? `BLOCKED (${entry.blockedBy})` : 'will redact'
        console.log(`  contact ${String(entry.partnerId).padEnd(8)} due ${entry.dueAt.toISOString()}  ${entry.channels.join('+').padEnd(14)} clock: ${entry.startedBy.join('+').padEnd(12)} ${status}  fields: ${entry.fields.join(',')}`)
      }
    })
}

function parseChannel(value: string): Channel {
  const parsed = channelSchema.safeParse(value)
  if (!parsed.success) throw new UsageError(`${value} is not a channel (one of ${channelSchema.options.join(', ')})`)
  return parsed.data
}

function printBacklog(backlog: Backlog): void {
  const total = backlog.channels.reduce((sum, c) => sum + c.contacts, 0)
  console.log(`${total} contacts wait for approval (RETENTION_BACKLOG_APPROVAL=${backlog.approval}); they are overdue until approved and redacted`)
  for (const channel of backlog.channels) {
    const rules = channel.rules.map((r) => `policy v${r.policyVersion}, clock ${r.startedBy}: ${r.contacts}`).join('; ')
    console.log(`  ${channel.channel.padEnd(12)} ${String(channel.contacts).padStart(7)} since ${channel.since.toISOString()}  due since ${channel.oldestDueAt.toISOString()}  (${rules})`)
    for (const contact of channel.sample) console.log(`      contact ${String(contact.partnerId).padEnd(8)} ${contact.name ?? '-'}  due ${contact.dueAt.toISOString()}`)
  }
  if (total > 0) console.log('approve with: privacy-bridge retention backlog --approve [CHANNEL...]')
}
