import { PgBoss } from 'pg-boss'
import type { Clock as BossClock, SendOptions } from 'pg-boss'
import type { PoolClient } from '../db/database.ts'
import type { Logger } from '../log/logger.ts'
import { describeFailure } from '../log/failure-description.ts'
import type { FailureDescription } from '../log/failure-description.ts'
import { deadLetterQueueOf } from './job.ts'
import type { JobDefinition } from './job.ts'
import { applyHeartbeatToQueuedJobs, BOSS_SCHEMA } from './queue-tables.ts'

// pg-boss's defaults are 60 s for both. A job whose heartbeat stopped (HEARTBEAT_SECONDS) is
// failed into `retry` in a monitor pass, and passes are as far apart as the longer of the two
// intervals: at 15 s a dead worker's jobs are released within 35 s of its death. The monitor
// also refreshes pg-boss's queue statistics, a cheap aggregate at this rate.
const SUPERVISE_INTERVAL_SECONDS = 15
const MONITOR_INTERVAL_SECONDS = 15

export interface JobRunner {
  boss: PgBoss
  /** Creates the queues (and their dead-letter queues) and, in a worker process, works them. */
  register(definitions: readonly JobDefinition[]): Promise<void>
  send(queue: string, data: object, options?: SendOptions): Promise<string | null>
  /** Stops taking jobs, lets running ones finish within `timeoutMs`, and closes pg-boss's pool. */
  stop(timeoutMs: number): Promise<void>
}

export interface JobRunnerOptions {
  databaseUrl: string
  log: Logger
  /** Workers and schedules run only where the process has the worker role. */
  work: boolean
  poolMax?: number
  /**
   * pg-boss's time and timers; default the wall clock. The simulation (`sim/`) passes pg-boss's
   * TestClock, so that job start times, retries and heartbeats run on simulated time.
   */
  clock?: BossClock
}

/**
 * Starts pg-boss in its own schema. `register` then creates every queue (and its dead-letter
 * queue) explicitly — pg-boss silently polls a queue that was never created — and, in a worker
 * process, subscribes the handlers and installs the schedules.
 */
export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const runner = createJobRunner(options)
  await runner.boss.start()
  return runner
}

/**
 * The job runner before `startJobRunner` starts it: pg-boss opens no connection until then, so
 * parts that only hold the runner can be built where no database is (the OpenAPI document).
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { log } = options
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: BOSS_SCHEMA,
    max: options.poolMax ?? 5,
    application_name: 'odoo-privacy-bridge-jobs',
    supervise: options.work,
    superviseIntervalSeconds: SUPERVISE_INTERVAL_SECONDS,
    monitorIntervalSeconds: MONITOR_INTERVAL_SECONDS,
    schedule: options.work,
    ...(options.clock ? { clock: options.clock } : {})
  })
  boss.on('error', (error: Error) => {
    log.error({ err: { message: error.message, name: error.name } }, 'pg-boss error')
  })

  return {
    boss,
    async register(definitions) {
      for (const definition of definitions) await ensureQueue(boss, definition)
      if (options.work) {
        for (const definition of definitions) await startWorking(boss, definition, log)
      }
      log.info({ queues: definitions.map((d) => d.queue), working: options.work }, 'job queues ready')
    },
    send: (queue, data, sendOptions) => boss.send(queue, data, sendOptions ?? {}),
    async stop(timeoutMs) {
      await boss.stop({ graceful: true, close: true, timeout: timeoutMs })
      log.info('job runner stopped')
    }
  }
}

/**
 * A queue that exists already (a deployed database) gets the definition's current options with
 * `updateQueue`; its policy and partitioning cannot change. A heartbeat the definition no longer
 * asks for is removed (`null`), so the database follows the code both ways.
 */
async function ensureQueue(boss: PgBoss, definition: JobDefinition): Promise<void> {
  const deadLetter = deadLetterQueueOf(definition.queue)
  if (!(await boss.getQueue(deadLetter))) await boss.createQueue(deadLetter)
  const options = { ...definition.queueOptions, deadLetter }
  if (await boss.getQueue(definition.queue)) {
    const { policy: _policy, partition: _partition, ...updatable } = options
    const heartbeatSeconds = definition.queueOptions?.heartbeatSeconds ?? null
    await boss.updateQueue(definition.queue, { ...updatable, heartbeatSeconds })
    await applyHeartbeatToQueuedJobs(boss.getDb(), definition.queue, heartbeatSeconds)
  } else {
    await boss.createQueue(definition.queue, options)
  }
}

async function startWorking(boss: PgBoss, definition: JobDefinition, log: Logger): Promise<void> {
  await boss.work<object>(definition.queue, { ...definition.workOptions }, async (jobs) => {
    const started = performance.now()
    try {
      await definition.handle(jobs)
      log.debug({ queue: definition.queue, jobs: jobs.length, ms: Math.round(performance.now() - started) }, 'jobs done')
    } catch (error) {
      log.warn({ queue: definition.queue, jobs: jobs.length, err: error }, 'jobs failed')
      throw new JobFailure(describeFailure(error))
    }
  })
  if (definition.schedule) {
    const { cron, data, tz } = definition.schedule
    await boss.schedule(definition.queue, cron, data ?? {}, tz ? { tz } : {})
  }
}

/**
 * What a failed job hands back to pg-boss, which stores a thrown error whole (message, stack, every
 * property, the cause) as the job's output: a description only, and no cause.
 */
export class JobFailure extends Error {
  override name = 'JobFailure'
  readonly failure: FailureDescription

  constructor(failure: FailureDescription) {
    super(failure.message)
    this.failure = failure
  }
}

/** Lets pg-boss enqueue inside the caller's transaction, so a job exists exactly when its record does. */
export function transactionalDb(client: Pick<PoolClient, 'query'>): NonNullable<SendOptions['db']> {
  return { executeSql: (text: string, values?: unknown[]) => client.query(text, values) }
}
