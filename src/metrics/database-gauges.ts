import { Gauge } from 'prom-client'
import type { Registry } from 'prom-client'
import type { Clock } from '../clock.ts'
import type { Pool } from '../db/database.ts'
import { HEAD_HASH_PREFIX_LENGTH, readAuditHead } from '../audit/audit-trail.ts'
import { queueFigures } from '../jobs/queue-tables.ts'
import { readSyncFigures } from '../mirror/sync-runs.ts'
import { buildRetentionReport } from '../retention/retention-report.ts'
import type { RetentionReport } from '../retention/retention-report.ts'
import { OPEN_STATES } from '../rights/request-states.ts'
import { openRequestFigures } from '../rights/request-store.ts'
import { METRIC_PREFIX } from './metric-prefix.ts'

const SYNC_STATES = ['queued', 'running', 'succeeded', 'failed'] as const

interface Deps {
  pool: Pool
  clock: Clock
  queryTimeoutMs: number
}

/**
 * The gauges read from the database when Prometheus scrapes. Each source is one query (the
 * retention figures: the report's), shared by the gauges that show it: the first gauge of a
 * scrape starts it, the others of the same scrape wait for the same answer.
 */
export function registerDatabaseGauges(registry: Registry, deps: Deps): void {
  const { pool, clock, queryTimeoutMs } = deps
  const sync = onePerScrape(() => readSyncFigures(pool, queryTimeoutMs))
  const retention = onePerScrape((): Promise<RetentionReport> => buildRetentionReport({ pool, clock }))
  const jobs = onePerScrape(() => queueFigures(pool, queryTimeoutMs))
  const requests = onePerScrape(() => openRequestFigures(pool, clock.now(), queryTimeoutMs))

  gauge(registry, 'sync_last_success_timestamp_seconds', 'When the last successful sync finished (Unix time); 0 before the first.', [], async (g) => {
    const { lastSuccessAt } = await sync()
    g.set(lastSuccessAt ? lastSuccessAt.getTime() / 1000 : 0)
  })
  gauge(registry, 'sync_lag_seconds', 'Seconds since the last successful sync finished; +Inf before the first.', [], async (g) => {
    const { lastSuccessAt } = await sync()
    g.set(lastSuccessAt ? Math.max(0, (clock.now().getTime() - lastSuccessAt.getTime()) / 1000) : Infinity)
  })
  gauge(registry, 'sync_last_duration_seconds', 'How long the last successful sync ran; NaN before the first.', [], async (g) => {
    g.set((await sync()).lastDurationSeconds ?? Number.NaN)
  })
  gauge(registry, 'sync_runs', 'Sync runs recorded, by state.', ['state'], async (g) => {
    const { byState } = await sync()
    for (const state of SYNC_STATES) g.set({ state }, byState[state] ?? 0)
  })

  const perChannel = (name: string, help: string, figure: (channel: RetentionReport['channels'][number]) => number) => {
    gauge(registry, name, help, ['channel'], async (g) => {
      for (const channel of (await retention()).channels) g.set({ channel: channel.channel }, figure(channel))
    })
  }
  // The report lists every channel, so a channel without orders shows 0 rather than nothing.
  perChannel('orders_with_pii', 'Mirrored orders whose personal data is not redacted yet, by channel.', (c) => c.ordersWithPii)
  perChannel('contacts_with_pii', 'Contacts on orders of the channel whose personal data is not redacted yet (a contact counts in each of its channels).', (c) => c.contactsWithPii)
  perChannel('redactions_overdue', 'Contacts due for redaction, not redacted and not on hold, by channel: must be 0.', (c) => c.overdue)
  perChannel('redactions_awaiting_approval', 'Overdue contacts in the backlog that wait for an admin to approve their redaction, by channel (counted in redactions_overdue too).', (c) => c.awaitingApproval)

  gauge(registry, 'jobs_failed', 'Jobs of the queue that failed and were not retried.', ['queue'], async (g) => {
    const rows = await jobs()
    g.reset()
    for (const row of rows) g.set({ queue: row.queue }, row.failed)
  })
  gauge(registry, 'jobs_dead_lettered', 'Jobs of the queue that exhausted their retries and wait in its dead-letter queue.', ['queue'], async (g) => {
    const rows = await jobs()
    g.reset()
    for (const row of rows) g.set({ queue: row.queue }, row.deadLettered)
  })

  // The audit chain's head, so that Prometheus keeps a record of it outside the database: a
  // count that goes down, or a hash prefix that changes for the same count, is a truncated or
  // rewritten trail (check with `privacy-bridge audit verify --head COUNT:HASH`). The hash is a
  // number, not a label: a label would start a new series with every audit entry.
  const auditHead = onePerScrape(() => readAuditHead(pool, queryTimeoutMs))
  gauge(registry, 'audit_chain_entries', 'Entries in the audit trail\'s hash chain: must never go down.', [], async (g) => {
    g.set((await auditHead()).entries)
  })
  gauge(registry, 'audit_chain_head_hash_prefix', `The first ${HEAD_HASH_PREFIX_LENGTH} hex digits of the newest audit entry's hash, as an integer (printf '%0${HEAD_HASH_PREFIX_LENGTH}x' turns it back).`, [], async (g) => {
    g.set(Number.parseInt((await auditHead()).hash.slice(0, HEAD_HASH_PREFIX_LENGTH), 16))
  })

  gauge(registry, 'rights_requests_open', 'Data-subject requests not yet completed, denied or withdrawn, by state.', ['state'], async (g) => {
    const rows = new Map((await requests()).map((row) => [row.state, row]))
    for (const state of OPEN_STATES) g.set({ state }, rows.get(state)?.open ?? 0)
  })
  gauge(registry, 'rights_requests_overdue', 'Open data-subject requests past their legal deadline: must be 0.', [], async (g) => {
    g.set((await requests()).reduce((sum, row) => sum + row.overdue, 0))
  })
}

function gauge<Label extends string>(registry: Registry, name: string, help: string, labelNames: readonly Label[], collect: (gauge: Gauge<Label>) => Promise<void>): void {
  new Gauge<Label>({
    name: `${METRIC_PREFIX}${name}`,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      await collect(this)
    }
  })
}

/** Calls made while one is in flight share its answer; the next call after it settles reads anew. */
function onePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined
  return () => {
    pending ??= read().finally(() => {
      pending = undefined
    })
    return pending
  }
}
