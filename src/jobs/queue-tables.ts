import type { Db } from 'pg-boss'
import type { Queryable } from '../db/queryable.ts'
import { statementWithTimeout } from '../db/queryable.ts'

/**
 * pg-boss's own tables, read and written here only, always in the schema the job runner gives
 * pg-boss. Everything else goes through pg-boss's API; these are the questions it has no API for.
 */
export const BOSS_SCHEMA = 'pgboss'

const JOB = `${BOSS_SCHEMA}.job`
const QUEUE = `${BOSS_SCHEMA}.queue`

/** Jobs of `queue` waiting, retrying or running. */
export async function countLiveJobs(db: Queryable, queue: string): Promise<number> {
  const result = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${JOB} WHERE name = $1 AND state IN ('created', 'retry', 'active')`, [queue])
  return result.rows[0]?.n ?? 0
}

/**
 * SQL condition: `queue` (an SQL expression) holds a job under `singletonKey` (an SQL expression)
 * that is waiting, retrying or running; with `readyBy`, a waiting or retrying one counts only if
 * it may start by then.
 */
export function liveJobExists(queue: string, singletonKey: string, readyBy?: string): string {
  const state = readyBy === undefined ? "j.state IN ('created', 'retry', 'active')" : `(j.state = 'active' OR (j.state IN ('created', 'retry') AND j.start_after <= ${readyBy}))`
  return `EXISTS (SELECT 1 FROM ${JOB} j WHERE j.name = ${queue} AND j.singleton_key = ${singletonKey} AND ${state})`
}

export interface QueueFigures {
  queue: string
  failed: number
  deadLettered: number
}

/** Per queue (dead-letter queues aside): jobs that failed for good, and live jobs in its dead-letter queue. */
export async function queueFigures(db: Queryable, queryTimeoutMs?: number): Promise<QueueFigures[]> {
  const { rows } = await db.query<QueueFigures>(
    statementWithTimeout(
      `SELECT q.name AS queue,
                  (SELECT count(*) FROM ${JOB} j WHERE j.name = q.name AND j.state = 'failed')::int AS failed,
                  (SELECT count(*) FROM ${JOB} j WHERE j.name = q.dead_letter AND j.state IN ('created', 'retry', 'active'))::int AS "deadLettered"
             FROM ${QUEUE} q
            WHERE q.name NOT IN (SELECT dead_letter FROM ${QUEUE} WHERE dead_letter IS NOT NULL)
            ORDER BY q.name`,
      [],
      queryTimeoutMs
    )
  )
  return rows
}

/**
 * pg-boss copies a queue's heartbeat onto each job when the job is sent, and never reads the
 * queue's again. Jobs queued before the heartbeat was set (a contact's redaction is queued months
 * ahead, at its due date) would run without one: they get it here. Our queues are not
 * partitioned, so their jobs are in the schema's `job` table.
 */
export async function applyHeartbeatToQueuedJobs(db: Db, queue: string, heartbeatSeconds: number | null): Promise<void> {
  await db.executeSql(
    `UPDATE ${JOB} SET heartbeat_seconds = $2
      WHERE name = $1 AND state IN ('created', 'retry') AND heartbeat_seconds IS DISTINCT FROM $2::int`,
    [queue, heartbeatSeconds]
  )
}
