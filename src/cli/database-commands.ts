import type { Command } from 'commander'
import { createAuditTrail, formatAuditHead, HEAD_HASH_PREFIX_LENGTH, parseAuditHead } from '../audit/audit-trail.ts'
import type { AuditHead, ChainVerdict, HeadVerdict } from '../audit/audit-trail.ts'
import { systemClock } from '../clock.ts'
import { commandLogger, readConfig, UsageError, withDatabase } from './context.ts'

export function registerDatabaseCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (the service also does on start-up)')
    .action(async () => {
      const config = readConfig()
      await withDatabase(config, commandLogger(config), () => Promise.resolve())
      console.log('Database schema is up to date.')
    })

  program
    .command('audit')
    .description('audit trail tools')
    .command('verify')
    .description('check the hash chain of the audit trail and print its head; exits 1 if it is broken (or, with --head, truncated or rewritten)')
    .option('--head <count:hash>', 'also prove that a head seen earlier (in the log or /metrics) is still in the chain')
    .option('--json', 'print JSON')
    .action(async (options: { head?: string; json?: boolean }) => {
      const seen = options.head === undefined ? undefined : parseAuditHead(options.head)
      if (options.head !== undefined && !seen) {
        throw new UsageError(`--head must be COUNT:HASH, the hash in full or its first ${HEAD_HASH_PREFIX_LENGTH} hex digits or more (as the "audit chain head" log line or /metrics show it).`)
      }
      const config = readConfig()
      const { verdict, head } = await withDatabase(config, commandLogger(config), async (pool) => {
        const audit = createAuditTrail({ pool, clock: systemClock })
        return { verdict: seen ? await audit.verifyHead(seen) : await audit.verify(), head: await audit.head() }
      })
      if (options.json) console.log(JSON.stringify({ ...verdict, head: formatAuditHead(head) }))
      else console.log(describeVerdict(verdict, seen, head))
      if (!verdict.ok) process.exitCode = 1
    })
}

function describeVerdict(verdict: ChainVerdict | HeadVerdict, seen: AuditHead | undefined, head: AuditHead): string {
  if (!verdict.ok && 'problem' in verdict && verdict.problem === 'truncated') {
    return `Audit trail TRUNCATED: the head seen had ${seen?.entries} entries, the chain now has ${verdict.entries}: the newest ${verdict.missing} were deleted.`
  }
  if (!verdict.ok && 'problem' in verdict && verdict.problem === 'rewritten') {
    return `Audit trail REWRITTEN: entry ${seen?.entries} has the hash ${verdict.hash}, the head seen had ${seen?.hash}: entries up to it were changed, removed or replaced.`
  }
  if (!verdict.ok) return `Audit trail BROKEN at entry ${verdict.brokenAt}: ${verdict.reason} (${verdict.entries} entries before it verified).`
  const intact = `Audit trail intact: ${verdict.entries} entries verified; head ${formatAuditHead(head)}.`
  return seen ? `Head ${formatAuditHead(seen)} is in the chain (entry ${seen.entries} has that hash). ${intact}` : intact
}
