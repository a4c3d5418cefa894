import type { Command } from 'commander'
import { createAuditTrail } from '../audit/audit-trail.ts'
import { systemClock } from '../clock.ts'
import { commandLogger, readConfig, withDatabase } from './context.ts'

export function registerDatabaseCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (the service also does on start-up)')
    .action(async () => {
      const config = readConfig()
      await withDatabase(config, commandLogger(config), async () => undefined)
      console.log('Database schema is up to date.')
    })

  program
    .command('audit')
    .description('audit trail tools')
    .command('verify')
    .description('check the hash chain of the audit trail; exits 1 if it is broken')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const config = readConfig()
      const verdict = await withDatabase(config, commandLogger(config), (pool) => createAuditTrail({ pool, clock: systemClock }).verify())
      if (options.json) console.log(JSON.stringify(verdict))
      else if (verdict.ok) console.log(`Audit trail intact: ${verdict.entries} entries verified.`)
      else console.log(`Audit trail BROKEN at entry ${verdict.brokenAt}: ${verdict.reason} (${verdict.entries} entries before it verified).`)
      if (!verdict.ok) process.exitCode = 1
    })
}
