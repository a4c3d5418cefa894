import { HEARTBEAT_SECONDS } from '../jobs/job.ts'
import type { JobDefinition } from '../jobs/job.ts'
import type { Logger } from '../log/logger.ts'
import type { MirrorConfig } from '../config/env.ts'
import type { OrderSync } from './order-sync.ts'
import type { SyncedModel } from './mirror-store.ts'
import { SyncBusyError } from './sync-coordinator.ts'
import type { RunSync } from './sync-coordinator.ts'

export const SYNC_QUEUE = 'mirror-sync'
export const SYNC_RECORD_QUEUE = 'mirror-sync-record'
export const RECONCILE_QUEUE = 'mirror-reconcile'

export interface SyncJobPayload {
  v: 1
  runId?: string
}

export interface SyncRecordPayload {
  v: 1
  model: SyncedModel
  id: number
}

/** The scheduled and requested syncs. The queue runs one at a time; the sync lock covers the CLI too. */
export function syncJob(deps: { runSync: RunSync; config: MirrorConfig; log: Logger }): JobDefinition<SyncJobPayload> {
  return {
    queue: SYNC_QUEUE,
    // A sync runs for minutes: a dead worker's run is picked up again once its heartbeat stops.
    queueOptions: { policy: 'singleton', retryLimit: 20, retryDelay: 30, retryBackoff: true, expireInSeconds: 3600, heartbeatSeconds: HEARTBEAT_SECONDS },
    schedule: { cron: deps.config.syncCron, data: { v: 1 } },
    async handle(jobs) {
      for (const job of jobs) {
        try {
          await deps.runSync({ runId: job.data.runId, trigger: job.data.runId ? 'api' : 'schedule', requestedBy: 'system' })
        } catch (error) {
          // A requested run waits for the running one (the job retries); a scheduled one is simply not needed.
          if (!(error instanceof SyncBusyError) || job.data.runId) throw error
          deps.log.info('scheduled sync skipped: another sync is running')
        }
      }
    }
  }
}

/**
 * One record pushed by Odoo's webhook. Re-read from Odoo, never taken from the posted values; a
 * record announced several times while queued is synced once (stately queue keyed by record).
 */
export function syncRecordJob(deps: { sync: OrderSync; log: Logger }): JobDefinition<SyncRecordPayload> {
  return {
    queue: SYNC_RECORD_QUEUE,
    queueOptions: { policy: 'stately', retryLimit: 10, retryDelay: 10, retryBackoff: true },
    workOptions: { batchSize: 10 },
    async handle(jobs) {
      for (const job of jobs) {
        const outcome = await deps.sync.syncRecord(job.data.model, job.data.id)
        deps.log.debug({ model: job.data.model, id: job.data.id, outcome }, 'record synced from webhook')
      }
    }
  }
}

export function reconcileJob(deps: { reconcile: () => Promise<object>; config: MirrorConfig; log: Logger }): JobDefinition<{ v: 1 }> {
  return {
    queue: RECONCILE_QUEUE,
    queueOptions: { policy: 'singleton', retryLimit: 5, retryDelay: 300, retryBackoff: true, expireInSeconds: 3600, heartbeatSeconds: HEARTBEAT_SECONDS },
    schedule: { cron: deps.config.reconcileCron, data: { v: 1 } },
    async handle() {
      const result = await deps.reconcile()
      deps.log.info(result, 'reconciled mirrored orders and contacts with Odoo')
    }
  }
}
