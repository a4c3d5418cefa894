import type { PgBoss } from 'pg-boss'
import type { Pool } from '../db/database.ts'
import type { JobDefinition } from '../jobs/job.ts'
import { transactionalDb } from '../jobs/job-runner.ts'
import type { Logger } from '../log/logger.ts'
import type { Queryable } from '../db/queryable.ts'
import type { DeliveryOutcome } from './outbox-delivery.ts'
import { queuedWithoutJob } from './outbox.ts'

export const MAIL_SEND_QUEUE = 'mail-send'
export const MAIL_SWEEP_QUEUE = 'mail-sweep'

export interface MailSendPayload {
  v: 1
  outboxId: string
}

const MAIL_SEND_KEY_PREFIX = 'outbox:'

/** One job per message at a time: the `exclusive` queue refuses a second while one waits, retries or runs. */
export function mailSendSingletonKey(outboxId: string): string {
  return `${MAIL_SEND_KEY_PREFIX}${outboxId}`
}

/**
 * Sends one outbox message per job. While SMTP is down, the job fails and pg-boss retries it with
 * exponential backoff (30 s doubling, capped at an hour: about six hours in all), then moves it to
 * `mail-send-dead-letter`; the message itself stays `queued`, and the sweeper gives it a new job.
 * A permanent refusal completes the job: the message is `failed`, and retrying would not help.
 */
export function mailSendJob(deps: { deliver: (outboxId: string) => Promise<DeliveryOutcome>; log: Logger; retryDelaySeconds?: number }): JobDefinition<MailSendPayload> {
  return {
    queue: MAIL_SEND_QUEUE,
    queueOptions: { policy: 'exclusive', retryLimit: 12, retryDelay: deps.retryDelaySeconds ?? 30, retryBackoff: true, retryDelayMax: 3600, expireInSeconds: 300 },
    workOptions: { batchSize: 1, pollingIntervalSeconds: 2 },
    async handle(jobs) {
      for (const job of jobs) {
        const outcome = await deps.deliver(job.data.outboxId)
        if (outcome !== 'sent') deps.log.debug({ outboxId: job.data.outboxId, outcome }, 'mail job needed no send')
      }
    }
  }
}

/**
 * Gives every queued message without a live job one: mail queued while no worker ran, by code
 * that only wrote the table, or whose job was dead-lettered during a long SMTP outage. Nothing
 * queued is left behind across restarts.
 */
export function mailSweepJob(deps: { sweep: () => Promise<number>; cron: string; log: Logger }): JobDefinition<{ v: 1 }> {
  return {
    queue: MAIL_SWEEP_QUEUE,
    queueOptions: { policy: 'singleton', retryLimit: 2 },
    schedule: { cron: deps.cron, data: { v: 1 } },
    async handle() {
      const queued = await deps.sweep()
      if (queued > 0) deps.log.info({ queued }, 'sweeper queued mail that had no job')
    }
  }
}

export async function sweepQueuedMail(deps: { pool: Pool; boss: PgBoss }): Promise<number> {
  const waiting = await queuedWithoutJob(deps.pool, MAIL_SEND_QUEUE, MAIL_SEND_KEY_PREFIX)
  if (waiting.length === 0) return 0
  // A job sent meanwhile by another path wins: the exclusive queue drops the duplicate insert.
  await deps.boss.insert(MAIL_SEND_QUEUE, waiting.map((id) => ({ data: { v: 1, outboxId: id } satisfies MailSendPayload, singletonKey: mailSendSingletonKey(id) })))
  return waiting.length
}

/**
 * Queues the sending of a message in the caller's transaction, beside `queueMessage`: the job
 * exists exactly when the message does, so the requester hears back without waiting for a sweep.
 */
export async function enqueueMailDelivery(boss: PgBoss, db: Queryable, outboxId: string): Promise<void> {
  await boss.send(MAIL_SEND_QUEUE, { v: 1, outboxId } satisfies MailSendPayload, { singletonKey: mailSendSingletonKey(outboxId), db: transactionalDb(db) })
}
