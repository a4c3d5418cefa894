import type { Clock } from '../clock.ts'
import type { Pool } from '../db/database.ts'
import type { Logger } from '../log/logger.ts'
import { claimRedactionBatch, countDueForRedaction, releaseRedactionClaims } from '../mirror/partner-store.ts'
import type { RedactionClaim } from '../mirror/partner-store.ts'
import { isHeld } from './holds.ts'
import type { RedactionCause, RedactionReport } from './redaction.ts'
import { RedactionBlockedError } from './redaction-block.ts'

/**
 * A claim older than this is a dead worker's and is taken over: the redaction job's expiry, which
 * no live batch outlasts (a batch is a few Odoo calls; the lease restarts with every batch).
 */
export const REDACTION_CLAIM_LEASE_MS = 15 * 60_000

export interface DrainDeps {
  pool: Pool
  clock: Clock
  log: Logger
  dryRun: boolean
  batchSize: number
  redact: (partnerIds: number[], cause?: RedactionCause) => Promise<RedactionReport>
  /**
   * After the first batch, then at most once per HEAD_PUBLISH_INTERVAL_MS and after the last one
   * (publishing the audit chain's head, which counts the whole trail); its failure does not stop the drain.
   */
  afterBatch: () => Promise<unknown>
  /** Real time a drain may run before it stops and leaves the rest to its successor (below its job's expiry). */
  budgetMs?: number
}

export interface DrainOutcome {
  batches: number
  redacted: number
  wouldRedact: number
  skipped: number
  refused: number
  failed: number
  /** The drain stopped at its time budget with contacts still due. */
  outOfTime: boolean
}

const DEFAULT_BUDGET_MS = 10 * 60_000

/**
 * A drain publishes the audit head at most this often: reading the head counts every audit entry,
 * and after each of a thousand batches that cost PostgreSQL more than the batches themselves.
 */
export const HEAD_PUBLISH_INTERVAL_MS = 60_000

/**
 * How many contacts are due for redaction now (held ones, the backlog, recorded failures and, in a
 * dry run, those simulated already not counted): the sweeper queues redaction jobs for them.
 */
export function countDueContacts(deps: Pick<DrainDeps, 'pool' | 'clock' | 'dryRun'>): Promise<number> {
  return countDueForRedaction(deps.pool, { now: deps.clock.now(), dryRun: deps.dryRun, held: isHeld })
}

/**
 * Redacts due contacts batch after batch under `claim` (the job's id), with no pause between
 * batches, until none is left to claim. Each batch is claimed in one statement that skips rows
 * another job is claiming, so two jobs never redact the same contact. A transient Odoo fault
 * throws with the batch still claimed: the job's retry (same id) takes it back, or, if the worker
 * died, any job does once the lease has run out.
 */
export async function drainDueContacts(deps: DrainDeps, claim: string): Promise<DrainOutcome> {
  const outcome: DrainOutcome = { batches: 0, redacted: 0, wouldRedact: 0, skipped: 0, refused: 0, failed: 0, outOfTime: false }
  const leftDue: number[] = []
  const started = performance.now()
  const head = headPublisher(deps)
  for (;;) {
    if (performance.now() - started > (deps.budgetMs ?? DEFAULT_BUDGET_MS)) {
      outcome.outOfTime = true
      await head.publishPending()
      return outcome
    }
    const now = deps.clock.now()
    const batch = await claimRedactionBatch(deps.pool, {
      claim, now, leaseStart: new Date(now.getTime() - REDACTION_CLAIM_LEASE_MS), dryRun: deps.dryRun, limit: deps.batchSize, held: isHeld, exclude: leftDue
    })
    if (batch.length === 0) {
      await head.publishPending()
      return outcome
    }
    const ids = batch.map((row) => row.odoo_id)
    let report: RedactionReport
    try {
      report = await redactClaimed(deps, batch)
    } catch (error) {
      // A missing right ends the job for good: the contacts stay due, free for the next sweep's
      // jobs. Any other failure keeps the claims for the job's retry.
      if (error instanceof RedactionBlockedError) await releaseRedactionClaims(deps.pool, claim, ids)
      throw error
    }
    await releaseRedactionClaims(deps.pool, claim, ids)
    // Contacts the redaction skipped (a hold or a new order since the claim) stay due: not again in this run.
    leftDue.push(...report.skipped)
    outcome.batches++
    outcome.redacted += report.redacted.length
    outcome.wouldRedact += report.wouldRedact.length
    outcome.skipped += report.skipped.length
    outcome.refused += report.refused.length
    outcome.failed += report.failed.length
    await head.batchDone()
  }
}

/** Publishes the audit head after the first batch, then at most once per interval, and at the end if a batch came since. */
function headPublisher(deps: Pick<DrainDeps, 'afterBatch' | 'log'>) {
  let publishedAt = -Infinity
  let pending = false
  // The batch is done and audited: a head that cannot be read now is not worth redoing it for;
  // the next publication or the hourly job publishes it.
  const publish = async () => {
    pending = false
    publishedAt = performance.now()
    await deps.afterBatch().catch((error: unknown) => {
      deps.log.warn({ err: { message: (error as Error).message } }, 'audit chain head not published')
    })
  }
  return {
    async batchDone() {
      pending = true
      if (performance.now() - publishedAt >= HEAD_PUBLISH_INTERVAL_MS) await publish()
    },
    async publishPending() {
      if (pending) await publish()
    }
  }
}

/** Contacts an erasure request made due are redacted with the request as the cause, for the audit. */
async function redactClaimed(deps: DrainDeps, batch: readonly RedactionClaim[]): Promise<RedactionReport> {
  const report: RedactionReport = { redacted: [], wouldRedact: [], skipped: [], refused: [], failed: [] }
  for (const [requestId, rows] of Map.groupBy(batch, (row) => row.erasure_request_id)) {
    const ids = rows.map((row) => row.odoo_id)
    const part = await deps.redact(ids, requestId === null ? undefined : { requestId })
    report.redacted.push(...part.redacted)
    report.wouldRedact.push(...part.wouldRedact)
    report.skipped.push(...part.skipped)
    report.refused.push(...part.refused)
    report.failed.push(...part.failed)
  }
  return report
}
