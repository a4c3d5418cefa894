import type { Logger } from '../log/logger.ts'
import type { JobDefinition } from '../jobs/job.ts'
import type { AuditTrail } from './audit-trail.ts'

export const VERIFY_AUDIT_CHAIN_QUEUE = 'audit-verify-chain'
/** The audit action the nightly check records its verdict under. */
export const CHAIN_VERIFIED_ACTION = 'audit.chain_verified'
/** When the nightly check runs (UTC). */
export const VERIFY_AUDIT_CHAIN_CRON = '17 3 * * *'

/**
 * Amazon's Data Protection Policy asks for access logs that are watched for anomalies: the chain
 * is re-checked nightly and the verdict itself becomes an audit entry (and an error log on a break).
 */
export function verifyAuditChainJob(deps: { audit: AuditTrail; log: Logger; cron?: string }): JobDefinition {
  return {
    queue: VERIFY_AUDIT_CHAIN_QUEUE,
    queueOptions: { policy: 'singleton', retryLimit: 1 },
    schedule: { cron: deps.cron ?? VERIFY_AUDIT_CHAIN_CRON },
    async handle() {
      const verdict = await deps.audit.verify()
      if (!verdict.ok) deps.log.error({ brokenAt: verdict.brokenAt, reason: verdict.reason }, 'audit trail hash chain is broken')
      await deps.audit.record({
        actor: 'system',
        action: CHAIN_VERIFIED_ACTION,
        outcome: verdict.ok ? 'success' : 'failure',
        details: verdict.ok ? { entries: verdict.entries } : { entries: verdict.entries, brokenAt: verdict.brokenAt }
      })
    }
  }
}
