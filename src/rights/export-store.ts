import type { PoolClient } from '../db/database.ts'
import type { Queryable } from '../db/queryable.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import { countSealedByKey, sealedElsewhere } from '../crypto/data-rotation.ts'

// Every SQL statement on export bundles (`rights_exports`), in one place.

export async function insertExport(db: Queryable, bundle: { id: string; requestId: string; sealed: string; createdAt: Date; expiresAt: Date }): Promise<void> {
  await db.query('INSERT INTO rights_exports (id, request_id, bundle, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [bundle.id, bundle.requestId, bundle.sealed, bundle.createdAt, bundle.expiresAt])
}

/** The request's latest export, locked for the caller's transaction. */
export async function lockLatestExport(db: Queryable, requestId: string): Promise<{ id: string; bundle: string | null; expires_at: Date; downloaded_at: Date | null } | undefined> {
  return (await db.query<{ id: string; bundle: string | null; expires_at: Date; downloaded_at: Date | null }>('SELECT id, bundle, expires_at, downloaded_at FROM rights_exports WHERE request_id = $1 ORDER BY created_at DESC LIMIT 1 FOR UPDATE', [requestId])).rows[0]
}

export async function destroyExport(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query('UPDATE rights_exports SET bundle = NULL, destroyed_at = $2 WHERE id = $1', [id, now])
}

/** Handed over once: the bundle is destroyed as it is downloaded. */
export async function markExportDownloaded(db: Queryable, id: string, now: Date, by: string): Promise<void> {
  await db.query('UPDATE rights_exports SET bundle = NULL, downloaded_at = $2, downloaded_by = $3, destroyed_at = $2 WHERE id = $1', [id, now, by])
}

/** Destroys every bundle whose time ran out by `now` without a download; returns those destroyed. */
export async function destroyExpired(db: Queryable, now: Date): Promise<{ id: string; request_id: string; expires_at: Date }[]> {
  const destroyed = await db.query<{ id: string; request_id: string; expires_at: Date }>(
    'UPDATE rights_exports SET bundle = NULL, destroyed_at = $1 WHERE bundle IS NOT NULL AND expires_at <= $1 RETURNING id, request_id, expires_at',
    [now]
  )
  return destroyed.rows
}

/** Bundles still sealed under another key than the current one, per key id. */
export function countExportsByKey(db: Queryable, cipher: PiiCipher): Promise<Record<string, number>> {
  return countSealedByKey(db, cipher, 'rights_exports', ['bundle'])
}

/** Up to `limit` bundles sealed under another key, locked for the caller's transaction. */
export async function lockExportsSealedElsewhere(db: PoolClient, currentKeyId: string, limit: number): Promise<{ id: string; bundle: string }[]> {
  return (await db.query<{ id: string; bundle: string }>(`SELECT id, bundle FROM rights_exports WHERE ${sealedElsewhere('bundle', '$1')} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`, [currentKeyId])).rows
}

export async function writeResealedExport(db: Queryable, id: string, bundle: string | null): Promise<void> {
  await db.query('UPDATE rights_exports SET bundle = $2 WHERE id = $1', [id, bundle])
}
