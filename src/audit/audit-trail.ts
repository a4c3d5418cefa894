import type { Clock } from '../clock.ts'
import type { Pool, PoolClient } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import { statementWithTimeout } from '../db/queryable.ts'
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

/** Where the chain ends: how many entries it has and the newest one's hash (the genesis hash when empty). */
export interface AuditHead {
  entries: number
  /** The full hash, or a prefix of at least HEAD_HASH_PREFIX_LENGTH hex digits (as /metrics shows it). */
  hash: string
}

/** Whether a head seen earlier (in the log, in /metrics) is still in the chain, and if not, what differs. */
export type HeadVerdict =
  | { ok: true; entries: number }
  | { ok: false; problem: 'broken'; entries: number; brokenAt: number; reason: string }
  | { ok: false; problem: 'truncated'; entries: number; missing: number }
  | { ok: false; problem: 'rewritten'; entries: number; hash: string }

/** 48 bits: the most a metric's value (a float64) holds exactly. */
export const HEAD_HASH_PREFIX_LENGTH = 12

// One lock id for the chain: appends are serialised so each entry links to the one before it.
const AUDIT_CHAIN_LOCK = 7_105_312_001

export interface AuditTrail {
  record(entry: AuditRecord, client?: PoolClient): Promise<AuditEntry>
  /** Appends several entries, chained in order, with one lock and one insert. */
  recordMany(entries: readonly AuditRecord[], client?: PoolClient): Promise<AuditEntry[]>
  list(query: AuditQuery): Promise<AuditEntry[]>
  /** The newest entry of `action`, or null when there is none. */
  newest(action: string): Promise<AuditEntry | null>
  verify(batchSize?: number): Promise<ChainVerdict>
  /** The chain's current head, to be written where the database cannot reach it. */
  head(): Promise<AuditHead>
  /**
   * Verifies the whole chain and that entry number `seen.entries` still has the hash `seen.hash`.
   * The chain alone cannot show that its newest entries were deleted (what remains is a valid,
   * shorter chain); a head noted earlier can.
   */
  verifyHead(seen: AuditHead, batchSize?: number): Promise<HeadVerdict>
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

  async function newest(action: string): Promise<AuditEntry | null> {
    const result = await pool.query<AuditRow>('SELECT * FROM audit_log WHERE action = $1 ORDER BY at DESC, id DESC LIMIT 1', [action])
    const [row] = result.rows
    return row ? toEntry(row) : null
  }

  async function verify(batchSize = 1000): Promise<ChainVerdict> {
    return walk(batchSize)
  }

  async function verifyHead(seen: AuditHead, batchSize = 1000): Promise<HeadVerdict> {
    let hashThere = seen.entries === 0 ? GENESIS_HASH : undefined
    const verdict = await walk(batchSize, (position, entry) => {
      if (position === seen.entries) hashThere = entry.hash
    })
    if (!verdict.ok) return { ...verdict, problem: 'broken' }
    if (hashThere === undefined) return { ok: false, problem: 'truncated', entries: verdict.entries, missing: seen.entries - verdict.entries }
    if (!hashThere.startsWith(seen.hash.toLowerCase())) return { ok: false, problem: 'rewritten', entries: verdict.entries, hash: hashThere }
    return { ok: true, entries: verdict.entries }
  }

  /**
   * Walks the whole chain in id order, in batches, recomputing every hash; `visit` sees each entry
   * with its position (from 1). The next batch is read while this one is hashed.
   */
  async function walk(batchSize: number, visit?: (position: number, entry: AuditEntry) => void): Promise<ChainVerdict> {
    const readAfter = async (afterId: string) => (await pool.query<AuditRow>('SELECT * FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2', [afterId, batchSize])).rows
    let prevHash = GENESIS_HASH
    let entries = 0
    let reading: Promise<AuditRow[]> | undefined = readAfter('0')
    while (reading) {
      const rows: AuditRow[] = await reading
      const last = rows.at(-1)
      reading = last && rows.length === batchSize ? readAfter(last.id) : undefined
      for (const row of rows) {
        const entry = toEntry(row)
        const broken =
          entry.prevHash !== prevHash ? 'does not link to the entry before it (a row was removed or reordered)' : computeAuditHash(prevHash, entry) !== entry.hash ? 'its content does not match its hash (the row was edited)' : undefined
        if (broken) {
          reading?.catch(() => undefined)
          return { ok: false, entries, brokenAt: entry.id, reason: broken }
        }
        prevHash = entry.hash
        entries += 1
        visit?.(entries, entry)
      }
    }
    return { ok: true, entries }
  }

  return { record, recordMany, list, newest, verify, head: () => readAuditHead(pool), verifyHead }
}

/** Count and newest hash in one statement, so both come from the same snapshot. */
export async function readAuditHead(db: Pick<Pool, 'query'>, queryTimeoutMs?: number): Promise<AuditHead> {
  const { rows } = await db.query<{ entries: string; hash: string | null }>(
    statementWithTimeout('SELECT count(*) AS entries, (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1) AS hash FROM audit_log', [], queryTimeoutMs)
  )
  return { entries: Number(rows[0]?.entries ?? 0), hash: rows[0]?.hash ?? GENESIS_HASH }
}

/** `COUNT:HASH` as the log shows it, or with the hash's first digits as /metrics shows them; undefined if malformed. */
export function parseAuditHead(text: string): AuditHead | undefined {
  const match = new RegExp(`^(\\d{1,15}):([0-9a-f]{${HEAD_HASH_PREFIX_LENGTH},64})$`, 'i').exec(text.trim())
  return match ? { entries: Number(match[1]), hash: (match[2] as string).toLowerCase() } : undefined
}

export function formatAuditHead(head: AuditHead): string {
  return `${head.entries}:${head.hash}`
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
