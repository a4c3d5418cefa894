import type { JobDefinition } from '../jobs/job.ts'
import type { Logger } from '../log/logger.ts'
import type { PurgeReport } from './record-retention.ts'

export const DESTROY_EXPIRED_EXPORTS_QUEUE = 'rights-destroy-expired-exports'
export const PURGE_CLOSED_RECORDS_QUEUE = 'rights-purge-closed-records'

/** Exports live hours (`RIGHTS_EXPORT_TTL_HOURS`): one left undownloaded is destroyed within a quarter of an hour of its expiry. */
export function destroyExpiredExportsJob(deps: { destroy: () => Promise<number>; log: Logger; cron?: string }): JobDefinition<{ v: 1 }> {
  return {
    queue: DESTROY_EXPIRED_EXPORTS_QUEUE,
    queueOptions: { policy: 'singleton', retryLimit: 3, retryDelay: 60 },
    schedule: { cron: deps.cron ?? '*/15 * * * *', data: { v: 1 } },
    async handle() {
      const destroyed = await deps.destroy()
      if (destroyed > 0) deps.log.info({ destroyed }, 'expired exports destroyed')
    }
  }
}

/** Closed requests' identifiers, evidence and mail are kept for days (`RIGHTS_RECORD_RETENTION_DAYS`): a nightly pass is enough. */
export function purgeClosedRecordsJob(deps: { purge: () => Promise<PurgeReport>; log: Logger; cron?: string }): JobDefinition<{ v: 1 }> {
  return {
    queue: PURGE_CLOSED_RECORDS_QUEUE,
    queueOptions: { policy: 'singleton', retryLimit: 3, retryDelay: 300, retryBackoff: true, expireInSeconds: 3600 },
    schedule: { cron: deps.cron ?? '50 3 * * *', data: { v: 1 } },
    async handle() {
      const report = await deps.purge()
      if (report.requests + report.inboundMessages + report.outboxMessages > 0) deps.log.info(report, 'closed requests\' records destroyed')
    }
  }
}
