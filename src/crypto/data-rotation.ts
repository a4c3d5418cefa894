import type { Pool, PoolClient } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import type { PiiCipher } from './pii-cipher.ts'

/**
 * One place where sealed values live (a table, or a group of tables that share identifiers),
 * owned by its capability. Rows are stale while a sealed value of theirs names another key than
 * the current one; re-sealing a row also rebuilds the blind indexes and keyed hashes derived from
 * its plain values, so a row is always under one key.
 */
export interface SealedStore {
  name: string
  /** Values still sealed under another key, per key id. */
  countStale(db: Pick<PoolClient, 'query'>, cipher: PiiCipher): Promise<Record<string, number>>
  /** Re-seals up to `limit` stale rows in the caller's transaction; returns how many it did. */
  resealBatch(db: PoolClient, cipher: PiiCipher, limit: number): Promise<number>
  /** Rows that no rotation can move to the current key (e.g. a hold from before addresses were kept), with why. */
  stranded?(db: Pick<PoolClient, 'query'>, cipher: PiiCipher): Promise<{ count: number; why: string }>
}

export interface RotationProgress {
  store: string
  done: number
  total: number
}

const BATCH = 500

/**
 * Re-seals every store under the current key, batch by batch, each batch in its own transaction:
 * a crash loses at most one batch's work, and running it again goes on where it stopped. While it
 * runs, lookups match under every configured key, so nothing stops matching half-way.
 */
export async function rotateSealedData(deps: { pool: Pool; cipher: PiiCipher }, stores: readonly SealedStore[], onProgress?: (progress: RotationProgress) => void): Promise<Record<string, number>> {
  const done: Record<string, number> = {}
  for (const store of stores) {
    const total = sum(await store.countStale(deps.pool, deps.cipher))
    done[store.name] = 0
    onProgress?.({ store: store.name, done: 0, total })
    for (;;) {
      const resealed = await inTransaction(deps.pool, (db) => store.resealBatch(db, deps.cipher, BATCH))
      if (resealed === 0) break
      done[store.name] = (done[store.name] ?? 0) + resealed
      onProgress?.({ store: store.name, done: done[store.name] ?? 0, total: Math.max(total, done[store.name] ?? 0) })
    }
  }
  return done
}

export interface StaleReport {
  currentKeyId: string
  stores: { name: string; staleByKey: Record<string, number>; stranded?: { count: number; why: string } }[]
  /** Nothing left under an old key and nothing stranded: older keys can be dropped. */
  clean: boolean
}

/** What is still under an old key, per store and key id (`keys rotate-data --check`). */
export async function findStaleData(deps: { pool: Pool; cipher: PiiCipher }, stores: readonly SealedStore[]): Promise<StaleReport> {
  const report: StaleReport['stores'] = []
  for (const store of stores) {
    const stranded = await store.stranded?.(deps.pool, deps.cipher)
    report.push({ name: store.name, staleByKey: await store.countStale(deps.pool, deps.cipher), ...(stranded && stranded.count > 0 ? { stranded } : {}) })
  }
  return { currentKeyId: deps.cipher.currentKeyId, stores: report, clean: report.every((s) => sum(s.staleByKey) === 0 && !s.stranded) }
}

/** SQL: the sealed value in `expression` is not under the current key (its second dot-part is the key id). */
export function sealedElsewhere(expression: string, currentKeyIdParam: string): string {
  return `(${expression} IS NOT NULL AND split_part(${expression}, '.', 2) <> ${currentKeyIdParam})`
}

/** SQL: counts of values per key id, over several sealed expressions of one table. */
export async function countSealedByKey(db: Pick<PoolClient, 'query'>, cipher: PiiCipher, table: string, expressions: readonly string[]): Promise<Record<string, number>> {
  const unions = expressions.map((e) => `SELECT split_part(${e}, '.', 2) AS key_id FROM ${table} WHERE ${sealedElsewhere(e, '$1')}`).join(' UNION ALL ')
  const rows = await db.query<{ key_id: string; n: number }>(`SELECT key_id, count(*)::int AS n FROM (${unions}) s GROUP BY key_id ORDER BY key_id`, [cipher.currentKeyId])
  return Object.fromEntries(rows.rows.map((row) => [row.key_id, row.n]))
}

/** Opens a sealed value and seals it again under the current key, in the same place. */
export function reseal(cipher: PiiCipher, sealed: string | null, place: string): string | null {
  return sealed === null ? null : cipher.seal(cipher.open(sealed, place), place)
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0)
}
