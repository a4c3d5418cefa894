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

/** Every queue has its own dead-letter queue that exhausted jobs move to. */
export function deadLetterQueueOf(queue: string): string {
  return `${queue}-dead-letter`
}
