import type { Command } from 'commander'
import cliProgress from 'cli-progress'
import { SyncBusyError } from '../mirror/sync-coordinator.ts'
import type { SyncCounts } from '../mirror/order-sync.ts'
import type { SyncedModel } from '../mirror/mirror-store.ts'
import { commandLogger, readConfig, UsageError, withServiceParts } from './context.ts'

const STAGES: Record<SyncedModel, string> = { 'sale.order': 'orders', 'stock.picking': 'deliveries', 'res.partner': 'contacts' }

export function registerSyncCommand(program: Command): void {
  program
    .command('sync')
    .description('run one sync of orders, deliveries and contacts from Odoo now (waits for nothing: fails if another sync runs)')
    .option('--json', 'print a JSON summary instead of progress')
    .action(async (options: { json?: boolean }) => {
      const config = readConfig()
      const log = commandLogger(config)
      const bar = !options.json && process.stdout.isTTY ? new cliProgress.SingleBar({ format: '{stage} {bar} {value} records | {inserted} new, {updated} changed', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined
      try {
        const run = await withServiceParts(config, log, async (parts) => {
          bar?.start(0, 0, { stage: STAGES['sale.order'], inserted: 0, updated: 0 })
          return parts.runSync({
            trigger: 'cli',
            requestedBy: 'cli',
            onProgress: (counts: SyncCounts, stage: SyncedModel) => {
              bar?.setTotal(counts.fetched)
              bar?.update(counts.fetched, { stage: STAGES[stage], inserted: counts.inserted, updated: counts.updated })
            }
          })
        })
        bar?.stop()
        if (!run) throw new UsageError('The sync run disappeared while it ran.')
        if (options.json) console.log(JSON.stringify(run))
        else {
          console.log(`Sync ${run.state}: ${run.fetched} records read, ${run.inserted} new, ${run.updated} changed, ${run.failed} failed (run ${run.id}).`)
          for (const error of run.errors) console.log(`  ${error.kind}: ${error.message}`)
        }
        if (run.state !== 'succeeded') process.exitCode = 1
      } catch (error) {
        bar?.stop()
        if (error instanceof SyncBusyError) throw new UsageError('Another sync is running; follow it with GET /v1/sync/runs.')
        throw error
      }
    })
}
