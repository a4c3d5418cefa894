import type { JobRunner } from '../jobs/job-runner.ts'
import { transactionalDb } from '../jobs/job-runner.ts'
import { waitingJobs } from '../jobs/queue-tables.ts'
import type { ScheduleRedaction } from './retention-planner.ts'
import { REDACT_QUEUE, redactionSingletonKey } from './retention-jobs.ts'

/**
 * Puts each contact's redaction job at its due time, in the caller's transaction, or removes it
 * when the contact is no longer due (a new open order). A waiting job whose time moved is deleted
 * and inserted anew: two statements for a whole page, where pg-boss's per-job `upsert` would cost
 * one round trip per contact.
 */
export function redactionScheduler(jobs: Pick<JobRunner, 'boss'>): ScheduleRedaction {
  return async (db, plans, options) => {
    if (plans.length === 0) return
    const connection = { db: transactionalDb(db) }
    const insert = (toInsert: typeof plans) => {
      const due = toInsert.filter((plan) => plan.dueAt !== null)
      if (due.length === 0) return
      return jobs.boss.insert(REDACT_QUEUE, due.map((plan) => ({ data: { v: 1, partnerId: plan.partnerId }, singletonKey: redactionSingletonKey(plan.partnerId), startAfter: plan.dueAt as Date })), connection)
    }
    if (options?.unscheduled) {
      await insert(plans)
      return
    }
    const waiting = await waitingJobs(db, REDACT_QUEUE, plans.map((plan) => redactionSingletonKey(plan.partnerId)))
    const waitingByKey = new Map(waiting.map((job) => [job.singletonKey, job]))
    const stale = plans.map((plan) => waitingByKey.get(redactionSingletonKey(plan.partnerId))).filter((job, i) => job !== undefined && job.startAfter.getTime() !== plans[i]?.dueAt?.getTime())
    if (stale.length > 0) await jobs.boss.deleteJob(REDACT_QUEUE, stale.map((job) => (job as { id: string }).id), connection)
    const unchanged = new Set(waiting.filter((job) => !stale.includes(job)).map((job) => job.singletonKey))
    const toInsert = plans.filter((plan) => !unchanged.has(redactionSingletonKey(plan.partnerId)))
    await insert(toInsert)
  }
}
