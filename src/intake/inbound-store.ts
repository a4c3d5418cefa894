import type { PoolClient } from '../db/database.ts'
import type { Queryable } from '../db/queryable.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import { countSealedByKey, sealedElsewhere } from '../crypto/data-rotation.ts'
import { requestIdentifiersPurged } from '../rights/request-store.ts'

// Every SQL statement on inbound mail (`inbound_messages`), in one place: the intake's, purging
// with a request's records, and key rotation.

/** The request of a message stored under one of these keys: undefined when none is stored. */
export async function storedUnderKeys(db: Queryable, keys: readonly string[]): Promise<{ requestId: string | null } | undefined> {
  const row = (await db.query<{ request_id: string | null }>('SELECT request_id FROM inbound_messages WHERE message_key = ANY($1::text[])', [keys])).rows[0]
  return row && { requestId: row.request_id }
}

/** Stores a message, `ignored` until it is settled; false when one with its key is stored already. */
export async function insertInboundMessage(db: Queryable, message: { id: string; key: string; receivedAt: Date; senderIndex: string | null; sealed: string; attachments: string | null }): Promise<boolean> {
  const claimed = await db.query(
    `INSERT INTO inbound_messages (id, message_key, received_at, sender_index, outcome, message, attachments)
     VALUES ($1, $2, $3, $4, 'ignored', $5, $6) ON CONFLICT (message_key) DO NOTHING RETURNING id`,
    [message.id, message.key, message.receivedAt, message.senderIndex, message.sealed, message.attachments]
  )
  return claimed.rowCount !== 0
}

/** The request of the message stored under `key` (null when it joined none). */
export async function requestOfMessage(db: Queryable, key: string): Promise<string | null> {
  const row = (await db.query<{ request_id: string | null }>('SELECT request_id FROM inbound_messages WHERE message_key = $1', [key])).rows[0]
  return row?.request_id ?? null
}

export async function recordClassification(db: Queryable, id: string, classification: { type: string; confidence: number; language: string }): Promise<void> {
  await db.query('UPDATE inbound_messages SET classification = $2 WHERE id = $1', [id, JSON.stringify(classification)])
}

/** What the intake did with the message, and the request it joined or opened. */
export async function settleInboundMessage(db: Queryable, id: string, settled: { outcome: string; requestId: string | null; reason: string | null }): Promise<void> {
  await db.query('UPDATE inbound_messages SET outcome = $2, request_id = $3, reason = $4 WHERE id = $1', [id, settled.outcome, settled.requestId, settled.reason])
}

/** The code in the message stored under `key` verified its requester. */
export async function markMessageVerified(db: Queryable, key: string): Promise<void> {
  await db.query("UPDATE inbound_messages SET outcome = 'verified' WHERE message_key = $1", [key])
}

/** Destroys the messages of these requests; one row per message purged now. */
export async function purgeInboundOfRequests(db: Queryable, requestIds: readonly string[], now: Date): Promise<{ request_id: string | null }[]> {
  const result = await db.query<{ request_id: string | null }>(
    'UPDATE inbound_messages SET message = NULL, attachments = NULL, sender_index = NULL, purged_at = $2 WHERE request_id = ANY($1::text[]) AND purged_at IS NULL RETURNING request_id',
    [requestIds, now]
  )
  return result.rows
}

/**
 * Destroys up to `limit` messages tied to no request that arrived by `cutoff`, or tied to a request
 * whose identifiers are purged, oldest first; one row per message purged now.
 */
export async function purgeStrayInbound(db: Queryable, cutoff: Date, now: Date, limit: number): Promise<{ request_id: string | null }[]> {
  const result = await db.query<{ request_id: string | null }>(
    `UPDATE inbound_messages SET message = NULL, attachments = NULL, sender_index = NULL, purged_at = $2
      WHERE id IN (SELECT m.id FROM inbound_messages m
                    WHERE m.purged_at IS NULL
                      AND ((m.request_id IS NULL AND m.received_at <= $1)
                           OR ${requestIdentifiersPurged('m.request_id')})
                    ORDER BY m.received_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      RETURNING request_id`,
    [cutoff, now, limit]
  )
  return result.rows
}

/** Sealed values of inbound mail still under another key than the current one, per key id. */
export function countInboundValuesByKey(db: Queryable, cipher: PiiCipher): Promise<Record<string, number>> {
  return countSealedByKey(db, cipher, 'inbound_messages', ['message', 'attachments'])
}

/** Up to `limit` messages with a value sealed under another key, locked for the caller's transaction. */
export async function lockInboundSealedElsewhere(db: PoolClient, currentKeyId: string, limit: number): Promise<{ id: string; message: string | null; attachments: string | null }[]> {
  const batch = await db.query<{ id: string; message: string | null; attachments: string | null }>(
    `SELECT id, message, attachments FROM inbound_messages WHERE ${sealedElsewhere('message', '$1')} OR ${sealedElsewhere('attachments', '$1')} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
    [currentKeyId]
  )
  return batch.rows
}

export async function writeResealedAttachments(db: Queryable, id: string, attachments: string | null): Promise<void> {
  await db.query('UPDATE inbound_messages SET attachments = $2 WHERE id = $1', [id, attachments])
}

/** A message sealed anew, with what is derived from it under the key: the sender's blind index and the Message-ID's keyed hash. */
export async function writeResealedMessage(db: Queryable, id: string, resealed: { message: string; attachments: string | null; senderIndex: string | null; messageKey: string | undefined }): Promise<void> {
  await db.query('UPDATE inbound_messages SET message = $2, attachments = $3, sender_index = $4, message_key = $5 WHERE id = $1', [id, resealed.message, resealed.attachments, resealed.senderIndex, resealed.messageKey])
}
