import type { Clock } from '../clock.ts'
import type { Pool, PoolClient } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import { computeAuditHash, GENESIS_HASH } from './hash-chain.ts'
import type { AuditFacts } from './hash-chain.ts'

export type AuditOutcome = AuditFacts['outcome']

/** Who acted: an API key (`key:<id>`) or the service itself (`system`). */
export type Actor = `key:${string}` | 'system'

export interface AuditRecord {
  actor: Actor
  action: string
  subject?: { type: string; id: string | number }
  outcome?: AuditOutcome
  requestId?: string
  /** Ids, counts and field names only: never personal data. */
  details?: Record<string, unknown>
}

export interface AuditEntry extends AuditFacts {
  id: number
  prevHash: string
  hash: string
}

export interface AuditQuery {
  action?: string
  subjectType?: string
  subjectId?: string
  afterId?: number
  limit: number
}

export type ChainVerdict = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; reason: string }

// One lock id for the chain: appends are serialised so each entry links to the one before it.
const AUDIT_CHAIN_LOCK = 7_105_312_001

export interface AuditTrail {
  record(entry: AuditRecord, client?: PoolClient): Promise<AuditEntry>
  /** Appends several entries, chained in order, with one lock and one insert. */
  recordMany(entries: readonly AuditRecord[], client?: PoolClient): Promise<AuditEntry[]>
  list(query: AuditQuery): Promise<AuditEntry[]>
  verify(batchSize?: number): Promise<ChainVerdict>
}

export function createAuditTrail(deps: { pool: Pool; clock: Clock }): AuditTrail {
  const { pool, clock } = deps

  /** Appends inside the caller's transaction when given one, so the entry commits with the change it records. */
  async function record(entry: AuditRecord, client?: PoolClient): Promise<AuditEntry> {
    const [appended] = await recordMany([entry], client)
    return appended as AuditEntry
  }

  async function recordMany(entries: readonly AuditRecord[], client?: PoolClient): Promise<AuditEntry[]> {
    if (entries.length === 0) return []
    if (client) return append(client, entries)
    return inTransaction(pool, (tx) => append(tx, entries))
  }

  async function append(client: PoolClient, entries: readonly AuditRecord[]): Promise<AuditEntry[]> {
    await client.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK])
    const last = await client.query<{ hash: string }>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1')
    let prevHash = last.rows[0]?.hash ?? GENESIS_HASH
    const chained = entries.map((entry) => {
      const facts: AuditFacts = {
        at: clock.now(),
        actor: entry.actor,
        action: entry.action,
        subjectType: entry.subject?.type ?? null,
        subjectId: entry.subject ? String(entry.subject.id) : null,
        outcome: entry.outcome ?? 'success',
        requestId: entry.requestId ?? null,
        details: entry.details ?? {}
      }
      const link = { ...facts, prevHash, hash: computeAuditHash(prevHash, facts) }
      prevHash = link.hash
      return link
    })
    const column = <K extends keyof (typeof chained)[number]>(key: K) => chained.map((link) => link[key])
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO audit_log (at, actor, action, subject_type, subject_id, outcome, request_id, details, prev_hash, hash)
       SELECT at, actor, action, subject_type, subject_id, outcome, request_id, details, prev_hash, hash FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::text[], $10::text[])
           WITH ORDINALITY AS e(at, actor, action, subject_type, subject_id, outcome, request_id, details, prev_hash, hash, n)
       ORDER BY n RETURNING id`,
      [column('at'), column('actor'), column('action'), column('subjectType'), column('subjectId'), column('outcome'), column('requestId'), chained.map((link) => JSON.stringify(link.details)), column('prevHash'), column('hash')]
    )
    return chained.map((link, i) => ({ ...link, id: Number(inserted.rows[i]?.id) }))
  }

  async function list(query: AuditQuery): Promise<AuditEntry[]> {
    const result = await pool.query<AuditRow>(
      `SELECT * FROM audit_log
        WHERE ($1::text IS NULL OR action = $1) AND ($2::text IS NULL OR subject_type = $2)
          AND ($3::text IS NULL OR subject_id = $3) AND id > $4
        ORDER BY id LIMIT $5`,
      [query.action ?? null, query.subjectType ?? null, query.subjectId ?? null, query.afterId ?? 0, query.limit]
    )
    return result.rows.map(toEntry)
  }

  /** Walks the whole chain in id order, in batches, recomputing every hash. */
  async function verify(batchSize = 1000): Promise<ChainVerdict> {
    let prevHash = GENESIS_HASH
    let afterId = 0
    let entries = 0
    for (;;) {
      const batch = await pool.query<AuditRow>('SELECT * FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2', [afterId, batchSize])
      for (const row of batch.rows) {
        const entry = toEntry(row)
        if (entry.prevHash !== prevHash) return { ok: false, entries, brokenAt: entry.id, reason: 'does not link to the entry before it (a row was removed or reordered)' }
        if (computeAuditHash(prevHash, entry) !== entry.hash) return { ok: false, entries, brokenAt: entry.id, reason: 'its content does not match its hash (the row was edited)' }
        prevHash = entry.hash
        afterId = entry.id
        entries += 1
      }
      if (batch.rows.length < batchSize) return { ok: true, entries }
    }
  }

  return { record, recordMany, list, verify }
}

interface AuditRow {
  id: string
  at: Date
  actor: string
  action: string
  subject_type: string | null
  subject_id: string | null
  outcome: AuditOutcome
  request_id: string | null
  details: Record<string, unknown>
  prev_hash: string
  hash: string
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: Number(row.id),
    at: row.at,
    actor: row.actor,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    outcome: row.outcome,
    requestId: row.request_id,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash
  }
}
