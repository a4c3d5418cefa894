import { HEARTBEAT_SECONDS } from '../jobs/job.ts'
import type { JobDefinition } from '../jobs/job.ts'
import type { JobRunner } from '../jobs/job-runner.ts'
import type { Logger } from '../log/logger.ts'
import type { RedactionBacklog } from './redaction-backlog.ts'
import { RedactionBlockedError } from './redaction-block.ts'
import type { DrainOutcome } from './redaction-drain.ts'

export const REDACT_QUEUE = 'retention-redact'
export const SWEEP_QUEUE = 'retention-sweep'

/** A redaction job names no contact: it claims due contacts from the mirror, batch after batch. */
export interface RedactJobPayload {
  v: 2
  slot: number
}

/** At most this many redaction jobs run at once across all workers: enough for 8 workers at REDACTION_CONCURRENCY 2. */
export const MAX_REDACTION_JOBS = 16

/**
 * One redaction job per slot (`drain:<slot>`): the queue's stately policy keeps at most one waiting
 * and one running per slot, so repeated sweeps do not pile jobs up.
 */
export function redactionSlotKey(slot: number): string {
  return `drain:${slot}`
}

/**
 * Redaction jobs drain the due contacts (see drainDueContacts): a worker runs up to `concurrency`
 * of them at once, each starting its next batch as soon as one is done. A transient Odoo fault
 * fails the job, which pg-boss retries with backoff (the retry takes its own claims back) and, once
 * retries are exhausted, moves to `retention-redact-dead-letter`. A job whose worker died is
 * retried once its heartbeat is missed (HEARTBEAT_SECONDS), and its claims are taken over by any
 * job once their lease has run out.
 */
export function redactJob(deps: { drain: (claim: string) => Promise<DrainOutcome>; queueSuccessor: (slot: number) => Promise<unknown>; concurrency: number; log: Logger }): JobDefinition<RedactJobPayload> {
  return {
    queue: REDACT_QUEUE,
    // A first retry 10-20 s after a failure: a job whose worker died (missed heartbeat, noticed
    // within about 30 s) runs again within a minute; ten doubling retries still ride out hours of
    // Odoo outage before the dead-letter queue.
    queueOptions: { policy: 'stately', retryLimit: 10, retryDelay: 10, retryBackoff: true, expireInSeconds: 900, heartbeatSeconds: HEARTBEAT_SECONDS },
    workOptions: { batchSize: 1, localConcurrency: deps.concurrency, pollingIntervalSeconds: 2 },
    async handle(jobs) {
      for (const job of jobs) {
        let outcome: DrainOutcome
        try {
          outcome = await deps.drain(job.id)
        } catch (error) {
          if (!(error instanceof RedactionBlockedError)) throw error
          // Retrying cannot help until an admin grants the rights: the job ends, the contacts stay
          // due, and the sweeper queues jobs again, so redaction resumes by itself once granted.
          deps.log.warn({ missingRights: error.missingRights }, 'redaction blocked: the Odoo user lacks rights redaction needs (GET /v1/retention/report, privacy-bridge odoo check)')
          continue
        }
        const { outOfTime, ...counts } = outcome
        if (outcome.batches > 0) deps.log.info(counts, 'redaction job done')
        // Below the job's expiry: the next job of the slot goes on where this one stopped.
        if (outOfTime) await deps.queueSuccessor((job.data as Partial<RedactJobPayload>).slot ?? 0)
      }
    }
  }
}

/** Queues a redaction job in `slot` (a slot that has one waiting keeps it). */
export async function queueRedactionJob(jobs: Pick<JobRunner, 'send'>, slot: number): Promise<void> {
  await jobs.send(REDACT_QUEUE, { v: 2, slot } satisfies RedactJobPayload, { singletonKey: redactionSlotKey(slot) })
}

/** Queues redaction jobs in slots 0..count-1, MAX_REDACTION_JOBS at most. */
export async function queueRedactionJobs(jobs: Pick<JobRunner, 'send'>, count: number): Promise<void> {
  for (let slot = 0; slot < Math.min(count, MAX_REDACTION_JOBS); slot++) await queueRedactionJob(jobs, slot)
}

/**
 * Finds the contacts due for redaction (after their due time passed, after downtime, a policy
 * change, a clock jump, a hold that lapsed, an approved backlog) and queues enough redaction jobs
 * to work them; returns how many are due. Contacts with a recorded failure, and the backlog, wait
 * for an admin.
 */
export async function sweepDuePartners(deps: { countDue: () => Promise<number>; jobs: Pick<JobRunner, 'send'>; batchSize: number }): Promise<number> {
  const due = await deps.countDue()
  if (due > 0) await queueRedactionJobs(deps.jobs, Math.ceil(due / deps.batchSize))
  return due
}

/** Every `RETENTION_SWEEP_CRON`: the sweep, and a warning while the backlog waits for an admin. */
export function sweepJob(deps: { sweep: () => Promise<number>; backlog: Pick<RedactionBacklog, 'waitingByChannel'>; cron: string; log: Logger }): JobDefinition<{ v: 1 }> {
  return {
    queue: SWEEP_QUEUE,
    queueOptions: { policy: 'singleton', retryLimit: 2 },
    schedule: { cron: deps.cron, data: { v: 1 } },
    async handle() {
      const due = await deps.sweep()
      if (due > 0) deps.log.info({ due }, 'sweeper queued redaction jobs for due contacts')
      const waiting = await deps.backlog.waitingByChannel()
      if (waiting.size > 0) deps.log.warn({ overdueAwaitingApproval: Object.fromEntries(waiting) }, 'redaction backlog is overdue and waits for an admin: GET /v1/retention/backlog')
    }
  }
}
