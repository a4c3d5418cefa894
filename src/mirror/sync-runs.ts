import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock.ts'
import type { Pool } from '../db/database.ts'
import type { FailureDescription } from '../log/failure-description.ts'
import type { Queryable } from '../db/queryable.ts'
import { statementWithTimeout } from '../db/queryable.ts'
import type { SyncCounts } from './order-sync.ts'

export type SyncTrigger = 'schedule' | 'api' | 'cli'
export type SyncRunState = 'queued' | 'running' | 'succeeded' | 'failed'

export interface SyncRun extends SyncCounts {
  id: string
  trigger: SyncTrigger
  state: SyncRunState
  requestedBy: string
  queuedAt: Date
  startedAt: Date | null
  finishedAt: Date | null
  /** What went wrong: error kinds, exception classes, codes and field names, never values. */
  errors: FailureDescription[]
}

export interface SyncRuns {
  /** A new queued run, or the one already queued or running (at most one exists at a time). */
  request(trigger: SyncTrigger, requestedBy: string, db?: Queryable): Promise<{ run: SyncRun; created: boolean }>
  start(id: string): Promise<SyncRun | undefined>
  progress(id: string, counts: SyncCounts): Promise<void>
  finish(id: string, state: 'succeeded' | 'failed', counts: SyncCounts, errors?: SyncRun['errors']): Promise<void>
  /** Runs left `running` by a process that died; called only while holding the sync lock. */
  failInterrupted(exceptId?: string): Promise<number>
  get(id: string): Promise<SyncRun | undefined>
  list(options: { limit: number; before?: Date }): Promise<SyncRun[]>
}

export interface SyncFigures {
  byState: Record<string, number>
  lastSuccessAt: Date | null
  lastDurationSeconds: number | null
}

/** Runs per state, and when the last successful one finished and how long it ran, in one statement (for /metrics). */
export async function readSyncFigures(db: Queryable, queryTimeoutMs?: number): Promise<SyncFigures> {
  const [row] = (
    await db.query<{ by_state: Record<string, number> | null; last_success_at: Date | null; last_duration: number | null }>(
      statementWithTimeout(
        `SELECT (SELECT json_object_agg(state, n) FROM (SELECT state, count(*)::int AS n FROM sync_runs GROUP BY state) s) AS by_state,
                last.finished_at AS last_success_at,
                EXTRACT(EPOCH FROM last.finished_at - last.started_at)::float8 AS last_duration
           FROM (SELECT 1) one
           LEFT JOIN LATERAL (SELECT finished_at, started_at FROM sync_runs WHERE state = 'succeeded' ORDER BY finished_at DESC LIMIT 1) last ON true`,
        [],
        queryTimeoutMs
      )
    )
  ).rows
  return { byState: row?.by_state ?? {}, lastSuccessAt: row?.last_success_at ?? null, lastDurationSeconds: row?.last_duration ?? null }
}

export function createSyncRuns(deps: { pool: Pool; clock: Clock }): SyncRuns {
  const { pool, clock } = deps

  async function request(trigger: SyncTrigger, requestedBy: string, db: Queryable = pool): Promise<{ run: SyncRun; created: boolean }> {
    // The partial unique index admits one queued-or-running run; a second request finds that one.
    const inserted = await db.query<RunRow>(
      `INSERT INTO sync_runs (id, trigger, state, requested_by, queued_at) VALUES ($1, $2, 'queued', $3, $4)
       ON CONFLICT DO NOTHING RETURNING *`,
      [randomUUID(), trigger, requestedBy, clock.now()]
    )
    if (inserted.rows[0]) return { run: toRun(inserted.rows[0]), created: true }
    const active = await activeRun(db)
    if (!active) return request(trigger, requestedBy, db) // the active run finished in between
    return { run: active, created: false }
  }

  async function start(id: string) {
    const result = await pool.query<RunRow>(
      `UPDATE sync_runs SET state = 'running', started_at = COALESCE(started_at, $2) WHERE id = $1 AND state IN ('queued', 'running') RETURNING *`,
      [id, clock.now()]
    )
    return result.rows[0] ? toRun(result.rows[0]) : undefined
  }

  async function progress(id: string, counts: SyncCounts) {
    await pool.query('UPDATE sync_runs SET fetched = $2, inserted = $3, updated = $4, failed = $5 WHERE id = $1', [id, counts.fetched, counts.inserted, counts.updated, counts.failed])
  }

  async function finish(id: string, state: 'succeeded' | 'failed', counts: SyncCounts, errors: SyncRun['errors'] = []) {
    await pool.query(
      `UPDATE sync_runs SET state = $2, finished_at = $3, fetched = $4, inserted = $5, updated = $6, failed = $7, errors = $8 WHERE id = $1`,
      [id, state, clock.now(), counts.fetched, counts.inserted, counts.updated, counts.failed, JSON.stringify(errors)]
    )
  }

  async function failInterrupted(exceptId?: string) {
    const result = await pool.query(
      `UPDATE sync_runs SET state = 'failed', finished_at = $2,
              errors = errors || '[{"kind": "interrupted", "message": "the process running this sync stopped before it finished"}]'::jsonb
        WHERE state = 'running' AND id IS DISTINCT FROM $1::uuid`,
      [exceptId ?? null, clock.now()]
    )
    return result.rowCount ?? 0
  }

  async function get(id: string) {
    const result = await pool.query<RunRow>('SELECT * FROM sync_runs WHERE id = $1', [id])
    return result.rows[0] ? toRun(result.rows[0]) : undefined
  }

  async function list(options: { limit: number; before?: Date }) {
    const result = await pool.query<RunRow>(
      'SELECT * FROM sync_runs WHERE ($1::timestamptz IS NULL OR queued_at < $1) ORDER BY queued_at DESC LIMIT $2',
      [options.before ?? null, options.limit]
    )
    return result.rows.map(toRun)
  }

  return { request, start, progress, finish, failInterrupted, get, list }
}

async function activeRun(db: Queryable): Promise<SyncRun | undefined> {
  const result = await db.query<RunRow>("SELECT * FROM sync_runs WHERE state IN ('queued', 'running') LIMIT 1")
  return result.rows[0] ? toRun(result.rows[0]) : undefined
}

interface RunRow {
  id: string
  trigger: SyncTrigger
  state: SyncRunState
  requested_by: string
  queued_at: Date
  started_at: Date | null
  finished_at: Date | null
  fetched: number
  inserted: number
  updated: number
  failed: number
  errors: SyncRun['errors']
}

function toRun(row: RunRow): SyncRun {
  return {
    id: row.id,
    trigger: row.trigger,
    state: row.state,
    requestedBy: row.requested_by,
    queuedAt: row.queued_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    fetched: row.fetched,
    inserted: row.inserted,
    updated: row.updated,
    failed: row.failed,
    errors: row.errors
  }
}
