import type { Pool } from '../db/database.ts'
import type { Logger } from '../log/logger.ts'
import { describeFailure } from '../log/failure-description.ts'
import type { OrderSync, SyncProgress } from './order-sync.ts'
import type { SyncRun, SyncRuns, SyncTrigger } from './sync-runs.ts'

export class SyncBusyError extends Error {
  override name = 'SyncBusyError'
  constructor() {
    super('another sync is running')
  }
}

// Held on its own connection for the whole run: at most one sync runs across all instances, and a
// crashed holder releases it with its connection.
const SYNC_LOCK = 7_105_312_010

export interface SyncRequest {
  /** The queued run to carry out; without it a new run is recorded (or the queued one adopted). */
  runId?: string
  trigger: SyncTrigger
  requestedBy: string
  onProgress?: SyncProgress
}

export type RunSync = (request: SyncRequest) => Promise<SyncRun | undefined>

/**
 * Runs one sync under the cluster-wide lock and records it: state, counts as pages commit, and
 * errors. A failure ends the run as `failed` (the next run resumes from the committed cursors)
 * rather than throwing; only "another sync is running" is thrown, for the caller to decide.
 */
export function createSyncCoordinator(deps: { pool: Pool; runs: SyncRuns; sync: OrderSync; log: Logger }): RunSync {
  const { pool, runs, sync, log } = deps

  return async function runSync(request) {
    const lock = await pool.connect()
    try {
      const acquired = await lock.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [SYNC_LOCK])
      if (!acquired.rows[0]?.ok) throw new SyncBusyError()
      try {
        const interrupted = await runs.failInterrupted(request.runId)
        if (interrupted > 0) log.warn({ interrupted }, 'marked syncs interrupted by a stopped process as failed')
        const run = request.runId ? await runs.get(request.runId) : (await runs.request(request.trigger, request.requestedBy)).run
        if (!run || run.state === 'succeeded' || run.state === 'failed') return run
        return await carryOut(run, request.onProgress)
      } finally {
        await lock.query('SELECT pg_advisory_unlock($1)', [SYNC_LOCK])
      }
    } finally {
      lock.release()
    }
  }

  async function carryOut(run: SyncRun, onProgress: SyncProgress | undefined): Promise<SyncRun | undefined> {
    await runs.start(run.id)
    log.info({ runId: run.id, trigger: run.trigger }, 'sync started')
    let counts = { fetched: 0, inserted: 0, updated: 0, failed: 0 }
    try {
      counts = await sync.syncAll(async (progress, stage) => {
        counts = progress
        await runs.progress(run.id, progress)
        await onProgress?.(progress, stage)
      })
      await runs.finish(run.id, 'succeeded', counts)
      log.info({ runId: run.id, ...counts }, 'sync succeeded')
    } catch (error) {
      const described = describeFailure(error)
      await runs.finish(run.id, 'failed', counts, [described])
      log.warn({ runId: run.id, ...counts, error: described }, 'sync failed; the next run resumes from the last committed page')
    }
    return runs.get(run.id)
  }
}
