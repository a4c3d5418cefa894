import type { Command } from 'commander'
import { planRedactions } from '../retention/retention-report.ts'
import { systemClock } from '../clock.ts'
import { commandLogger, readConfig, UsageError, withDatabase } from './context.ts'

export function registerRetentionCommands(program: Command): void {
  program
    .command('retention')
    .description('retention tools')
    .command('plan')
    .description('show which contacts would be redacted by a date, and why (changes nothing)')
    .option('--as-of <date>', 'ISO date or date-time; default now')
    .option('--json', 'print JSON')
    .action(async (options: { asOf?: string; json?: boolean }) => {
      const asOf = options.asOf ? new Date(options.asOf) : new Date()
      if (Number.isNaN(asOf.getTime())) throw new UsageError(`--as-of ${options.asOf} is not a date (use e.g. 2026-12-31 or 2026-12-31T12:00:00Z)`)
      const config = readConfig()
      const plan = await withDatabase(config, commandLogger(config), (pool) => planRedactions({ pool, clock: systemClock }, asOf))
      if (options.json) return console.log(JSON.stringify({ asOf, mode: config.retention.mode, contacts: plan }))
      console.log(`${plan.length} contacts due by ${asOf.toISOString()} (mode: ${config.retention.mode})`)
      for (const entry of plan) {
        const status = entry.held ? 'ON HOLD' : entry.blockedBy ? `BLOCKED (${entry.blockedBy})` : 'will redact'
        console.log(`  contact ${String(entry.partnerId).padEnd(8)} due ${entry.dueAt.toISOString()}  ${entry.channels.join('+').padEnd(14)} clock: ${entry.startedBy.join('+').padEnd(12)} ${status}  fields: ${entry.fields.join(',')}`)
      }
    })
}
