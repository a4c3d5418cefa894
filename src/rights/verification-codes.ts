import type { Queryable } from '../db/queryable.ts'

// Every SQL statement on verification codes (`verification_codes`, one per request), in one place.

/** Stores the hash of a code just sent, replacing an earlier one with its attempts. */
export async function storeCode(db: Queryable, requestId: string, code: { hash: string; sentAt: Date; expiresAt: Date }): Promise<void> {
  await db.query(
    `INSERT INTO verification_codes (request_id, code_hash, sent_at, expires_at, attempts) VALUES ($1, $2, $3, $4, 0)
     ON CONFLICT (request_id) DO UPDATE SET code_hash = EXCLUDED.code_hash, sent_at = EXCLUDED.sent_at, expires_at = EXCLUDED.expires_at, attempts = 0`,
    [requestId, code.hash, code.sentAt, code.expiresAt]
  )
}

/**
 * Takes one attempt of the request's code, if it has one left and has not expired at `now`: its
 * hash and the attempts taken so far, this one included; undefined when none was taken.
 */
export async function takeAttempt(db: Queryable, requestId: string, maxAttempts: number, now: Date): Promise<{ code_hash: string; attempts: number } | undefined> {
  return (await db.query<{ code_hash: string; attempts: number }>(
    'UPDATE verification_codes SET attempts = attempts + 1 WHERE request_id = $1 AND attempts < $2 AND expires_at > $3 RETURNING code_hash, attempts',
    [requestId, maxAttempts, now]
  )).rows[0]
}

/** The attempts taken of the request's code; undefined when it has none. */
export async function attemptsTaken(db: Queryable, requestId: string): Promise<number | undefined> {
  return (await db.query<{ attempts: number }>('SELECT attempts FROM verification_codes WHERE request_id = $1', [requestId])).rows[0]?.attempts
}

export async function deleteCodes(db: Queryable, requestIds: readonly string[]): Promise<void> {
  await db.query('DELETE FROM verification_codes WHERE request_id = ANY($1::text[])', [requestIds])
}
