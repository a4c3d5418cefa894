import type { Logger } from '../log/logger.ts'
import type { JobDefinition } from '../jobs/job.ts'
import { formatAuditHead } from './audit-trail.ts'
import type { AuditHead, AuditTrail } from './audit-trail.ts'

export const PUBLISH_AUDIT_HEAD_QUEUE = 'audit-publish-head'

/**
 * The hash chain proves an edited entry, not the loss of the newest ones: whoever can switch off
 * the table's trigger can delete its tail, and what remains is a valid, shorter chain. So the
 * chain's head is written where the database cannot take it back: the log (shipped off the host),
 * hourly and while redaction jobs run (after the first batch, at most once a minute, after the last), and /metrics at every scrape. `privacy-bridge audit
 * verify --head COUNT:HASH` then proves that a head seen earlier is still in the chain.
 */
export async function publishAuditHead(deps: { audit: AuditTrail; log: Logger }): Promise<AuditHead> {
  const head = await deps.audit.head()
  deps.log.info({ auditHead: formatAuditHead(head) }, 'audit chain head')
  return head
}

export function publishAuditHeadJob(deps: { audit: AuditTrail; log: Logger; cron?: string }): JobDefinition {
  return {
    queue: PUBLISH_AUDIT_HEAD_QUEUE,
    queueOptions: { policy: 'singleton', retryLimit: 2 },
    schedule: { cron: deps.cron ?? '0 * * * *' },
    async handle() {
      await publishAuditHead(deps)
    }
  }
}
