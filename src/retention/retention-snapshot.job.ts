import type { JobDefinition } from '../jobs/job.ts'
import type { Logger } from '../log/logger.ts'
import type { RetentionReport } from './retention-report.ts'
import { utcDay } from './retention-history.ts'

export const RETENTION_SNAPSHOT_QUEUE = 'retention-snapshot'

/**
 * Keeps the day's retention figures for GET /v1/retention/history (`RETENTION_SNAPSHOT_CRON`,
 * 23:55 UTC by default, so a day's row says how the day ended). Running it again the same day
 * replaces the day's row: retries and a second worker are harmless.
 */
export function retentionSnapshotJob(deps: { snapshot: () => Promise<RetentionReport>; cron: string; log: Logger }): JobDefinition<{ v: 1 }> {
  return {
    queue: RETENTION_SNAPSHOT_QUEUE,
    queueOptions: { policy: 'singleton', retryLimit: 3, retryDelay: 60 },
    schedule: { cron: deps.cron, data: { v: 1 } },
    async handle() {
      const report = await deps.snapshot()
      deps.log.info({ day: utcDay(report.asOf), contactsWithPii: report.channels.reduce((sum, channel) => sum + channel.contactsWithPii, 0) }, 'retention snapshot kept')
    }
  }
}
