import type { Job, Queue, WorkOptions } from 'pg-boss'

/**
 * One module per queue exports one of these: the queue's name and options, how it is worked, an
 * optional schedule, and the handler. Payloads hold ids only, never personal data.
 */
export interface JobDefinition<Payload extends object = object> {
  queue: string
  queueOptions?: Omit<Queue, 'name' | 'deadLetter'>
  workOptions?: Pick<WorkOptions, 'batchSize' | 'pollingIntervalSeconds' | 'localConcurrency'>
  schedule?: { cron: string; data?: Payload; tz?: string }
  handle(jobs: Job<Payload>[]): Promise<void>
}

/**
 * For queues whose jobs run long (a redaction batch, a sync): while the handler runs, pg-boss
 * refreshes the job's heartbeat every half of this. A worker killed mid-job (SIGKILL, out of
 * memory, a lost host) stops refreshing it, and the next monitor pass of any live worker fails
 * the job into `retry`, within HEARTBEAT_SECONDS + the runner's monitor interval (under a
 * minute) instead of after the queue's expiry (15 minutes to an hour). 20 s rides out a stall of
 * one refresh (a slow query, a database failover) without failing a live job.
 */
export const HEARTBEAT_SECONDS = 20

/** Every queue has its own dead-letter queue that exhausted jobs move to. */
export function deadLetterQueueOf(queue: string): string {
  return `${queue}-dead-letter`
}
