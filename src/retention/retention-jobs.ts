import { HEARTBEAT_SECONDS } from '../jobs/job.ts'
import type { JobDefinition } from '../jobs/job.ts'
import type { Logger } from '../log/logger.ts'
import type { Clock } from '../clock.ts'
import type { Pool } from '../db/database.ts'
import { contactsToSweep } from '../mirror/partner-store.ts'
import type { RedactionReport } from './redaction.ts'
import type { Holds } from './holds.ts'
import type { ScheduleRedaction } from './retention-planner.ts'
import type { RedactionBacklog } from './redaction-backlog.ts'
import { RedactionBlockedError } from './redaction-block.ts'

export const REDACT_QUEUE = 'retention-redact'
export const SWEEP_QUEUE = 'retention-sweep'

export interface RedactJobPayload {
  v: 1
  partnerId: number
}

const REDACTION_KEY_PREFIX = 'partner:'

/** The job a due contact gets: its id only, never its data. One per contact (stately, keyed by contact). */
export function redactionSingletonKey(partnerId: number): string {
  return `${REDACTION_KEY_PREFIX}${partnerId}`
}

/**
 * Redaction in batches: the handler gets up to `batchSize` due contacts at once, so Odoo sees one
 * write per batch. A transient Odoo fault fails the batch, which pg-boss retries with backoff and,
 * once retries are exhausted, moves to `retention-redact-dead-letter`. A batch whose worker died
 * is retried once its heartbeat is missed (HEARTBEAT_SECONDS), not after its 15-minute expiry.
 * After each batch the audit chain's head is published (see publishAuditHead).
 */
export function redactJob(deps: { redact: (ids: number[]) => Promise<RedactionReport>; publishAuditHead: () => Promise<unknown>; batchSize: number; log: Logger }): JobDefinition<RedactJobPayload> {
  return {
    queue: REDACT_QUEUE,
    // A first retry 10-20 s after a failure: a batch whose worker died (missed heartbeat, noticed
    // within about 30 s) runs again within a minute; ten doubling retries still ride out hours of
    // Odoo outage before the dead-letter queue.
    queueOptions: { policy: 'stately', retryLimit: 10, retryDelay: 10, retryBackoff: true, expireInSeconds: 900, heartbeatSeconds: HEARTBEAT_SECONDS },
    workOptions: { batchSize: deps.batchSize, pollingIntervalSeconds: 2 },
    async handle(jobs) {
      let report: RedactionReport
      try {
        report = await deps.redact([...new Set(jobs.map((job) => job.data.partnerId))])
      } catch (error) {
        if (!(error instanceof RedactionBlockedError)) throw error
        // Retrying cannot help until an admin grants the rights: the jobs end, the contacts stay
        // due, and the sweeper queues them again, so redaction resumes by itself once granted.
        deps.log.warn({ missingRights: error.missingRights, contacts: jobs.length }, 'redaction blocked: the Odoo user lacks rights redaction needs (GET /v1/retention/report, privacy-bridge odoo check)')
        return
      }
      deps.log.info({ redacted: report.redacted.length, wouldRedact: report.wouldRedact.length, skipped: report.skipped.length, refused: report.refused.length, failed: report.failed.length }, 'redaction batch done')
      // The batch is done and audited: a head that cannot be read now is not worth redoing it
      // for; the next batch or the hourly job publishes it.
      await deps.publishAuditHead().catch((error: unknown) => {
        deps.log.warn({ err: { message: (error as Error).message } }, 'audit chain head not published')
      })
    }
  }
}

/**
 * Catches anything due and not redacted that has no job waiting: after downtime, a policy change,
 * a clock jump, a hold that lapsed. Contacts with a recorded failure, and the backlog, wait for an admin.
 */
export function sweepJob(deps: { sweep: () => Promise<number>; backlog: Pick<RedactionBacklog, 'waitingByChannel'>; cron: string; log: Logger }): JobDefinition<{ v: 1 }> {
  return {
    queue: SWEEP_QUEUE,
    queueOptions: { policy: 'singleton', retryLimit: 2 },
    schedule: { cron: deps.cron, data: { v: 1 } },
    async handle() {
      const queued = await deps.sweep()
      if (queued > 0) deps.log.info({ queued }, 'sweeper queued due contacts')
      const waiting = await deps.backlog.waitingByChannel()
      if (waiting.size > 0) deps.log.warn({ overdueAwaitingApproval: Object.fromEntries(waiting) }, 'redaction backlog is overdue and waits for an admin: GET /v1/retention/backlog')
    }
  }
}

export async function sweepDuePartners(deps: { pool: Pool; holds: Holds; clock: Clock; schedule: ScheduleRedaction; dryRun: boolean }): Promise<number> {
  const now = deps.clock.now()
  const due = await contactsToSweep(deps.pool, { now, dryRun: deps.dryRun, queue: REDACT_QUEUE, keyPrefix: REDACTION_KEY_PREFIX })
  const held = await deps.holds.heldAmong(deps.pool, due)
  const toQueue = due.filter((id) => !held.has(id))
  await deps.schedule(deps.pool, toQueue.map((partnerId) => ({ partnerId, dueAt: now })))
  return toQueue.length
}
