import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { Clock } from '../clock.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import type { Queryable } from '../db/queryable.ts'
import type { PoolClient } from '../db/database.ts'
import { countSealedByKey, reseal, sealedElsewhere } from '../crypto/data-rotation.ts'
import { liveJobExists } from '../jobs/queue-tables.ts'
import type { SealedStore } from '../crypto/data-rotation.ts'

// Every SQL statement on the outbox, in one place: queueing, delivery, the listing, the sweep,
// which request a reply answers, purging with a request's records, and key rotation.

export interface OutgoingMessage {
  requestId: string | null
  kind: string
  language: string
  recipient: string
  subject: string
  text: string
  html: string
}

/**
 * Queues a message to a requester. It is stored before anything is sent, sealed (the recipient and
 * the bodies are personal data, and a body may hold a one-time code), in the caller's transaction,
 * so a message exists exactly when the change that causes it commits.
 */
export async function queueMessage(db: Queryable, deps: { cipher: PiiCipher; clock: Clock }, message: OutgoingMessage): Promise<string> {
  const id = randomUUID()
  const seal = (value: string, field: string) => deps.cipher.seal(value, `outbox:${id}:${field}`)
  await db.query(
    `INSERT INTO outbox (id, request_id, kind, language, recipient, subject, body_text, body_html, state, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9)`,
    [id, message.requestId, message.kind, message.language, seal(message.recipient, 'recipient'), seal(message.subject, 'subject'), seal(message.text, 'text'), seal(message.html, 'html'), deps.clock.now()]
  )
  return id
}

const SEALED_COLUMNS = [['recipient', 'recipient'], ['subject', 'subject'], ['body_text', 'text'], ['body_html', 'html']] as const

/** Every message of the outbox, sent or not: a queued one must still open when its turn comes. */
export const outboxStore: SealedStore = {
  name: 'outbox',
  countStale: (db, cipher) => countSealedByKey(db, cipher, 'outbox', SEALED_COLUMNS.map(([column]) => column)),
  async resealBatch(db: PoolClient, cipher: PiiCipher, limit: number) {
    const stale = SEALED_COLUMNS.map(([column]) => sealedElsewhere(column, '$1')).join(' OR ')
    const batch = await db.query<Record<(typeof SEALED_COLUMNS)[number][0], string> & { id: string }>(
      `SELECT id, ${SEALED_COLUMNS.map(([column]) => column).join(', ')} FROM outbox WHERE ${stale} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      [cipher.currentKeyId]
    )
    for (const row of batch.rows) {
      const values = SEALED_COLUMNS.map(([column, field]) => reseal(cipher, row[column], `outbox:${row.id}:${field}`))
      await db.query('UPDATE outbox SET recipient = $2, subject = $3, body_text = $4, body_html = $5 WHERE id = $1', [row.id, ...values])
    }
    return batch.rows.length
  }
}

/** A message as stored, sealed, for its delivery. */
export interface StoredMessage {
  id: string
  seq: string
  request_id: string | null
  kind: string
  recipient: string
  subject: string
  body_text: string
  body_html: string
  state: 'queued' | 'sent' | 'failed'
  attempts: number
  message_id: string | null
}

/** The message, locked until the caller's transaction ends; undefined when missing or locked by another worker. */
export async function lockMessageForDelivery(db: Queryable, id: string): Promise<StoredMessage | undefined> {
  const locked = await db.query<StoredMessage>(
    `SELECT id, seq, request_id, kind, recipient, subject, body_text, body_html, state, attempts, message_id
       FROM outbox WHERE id = $1 FOR UPDATE SKIP LOCKED`,
    [id]
  )
  return locked.rows[0]
}

export async function messageExists(db: Queryable, id: string): Promise<boolean> {
  const exists = await db.query('SELECT 1 FROM outbox WHERE id = $1', [id])
  return Boolean(exists.rowCount)
}

export async function markMessageSent(db: Queryable, id: string, sent: { at: Date; attempts: number; messageId: string; inReplyTo: string | null }): Promise<void> {
  await db.query(
    `UPDATE outbox SET state = 'sent', sent_at = $2, attempts = $3, last_error = NULL, message_id = $4, in_reply_to = $5 WHERE id = $1`,
    [id, sent.at, sent.attempts, sent.messageId, sent.inReplyTo]
  )
}

/** A failed attempt: `queued` again for a retry, or `failed` for good. */
export async function recordDeliveryAttempt(db: Queryable, id: string, attempt: { attempts: number; error: string; state: 'queued' | 'failed'; messageId: string; inReplyTo: string | null }): Promise<void> {
  await db.query(
    `UPDATE outbox SET attempts = $2, last_error = $3, state = $4, message_id = $5, in_reply_to = $6 WHERE id = $1`,
    [id, attempt.attempts, attempt.error, attempt.state, attempt.messageId, attempt.inReplyTo]
  )
}

/** The request's messages queued before `seq` and not given up on, oldest first. */
export async function earlierMessagesOfRequest(db: Queryable, requestId: string, seq: string): Promise<{ id: string; message_id: string | null }[]> {
  const earlier = await db.query<{ id: string; message_id: string | null }>(
    `SELECT id, message_id FROM outbox WHERE request_id = $1 AND seq < $2 AND state <> 'failed' ORDER BY seq`,
    [requestId, seq]
  )
  return earlier.rows
}

/**
 * Queued messages, in the order they were queued, without a job in `queue` under `keyPrefix` and
 * their id that waits, retries or runs.
 */
export async function queuedWithoutJob(db: Queryable, queue: string, keyPrefix: string): Promise<string[]> {
  const waiting = await db.query<{ id: string }>(
    `SELECT o.id FROM outbox o
      WHERE o.state = 'queued'
        AND NOT ${liveJobExists('$1', '$2::text || o.id')}
      ORDER BY o.seq`,
    [queue, keyPrefix]
  )
  return waiting.rows.map((row) => row.id)
}

/** The request one of these messages of ours was sent for, if any. */
export async function requestAnsweredBy(db: Queryable, outboxIds: readonly string[]): Promise<string | undefined> {
  if (outboxIds.length === 0) return undefined
  const answered = await db.query<{ request_id: string }>('SELECT request_id FROM outbox WHERE id = ANY($1::uuid[]) AND request_id IS NOT NULL LIMIT 1', [outboxIds])
  return answered.rows[0]?.request_id
}

/** Gives up, with `reason`, on the messages of these requests still waiting to be sent; one row per message. */
export async function failUnsentOfRequests(db: Queryable, requestIds: readonly string[], reason: string): Promise<{ request_id: string }[]> {
  const unsent = await db.query<{ request_id: string }>(
    "UPDATE outbox SET state = 'failed', last_error = $2 WHERE request_id = ANY($1::text[]) AND state = 'queued' RETURNING request_id",
    [requestIds, reason]
  )
  return unsent.rows
}

/** Destroys the recipient, subject and bodies of these requests' messages; one row per message purged now. */
export async function purgeMessagesOfRequests(db: Queryable, requestIds: readonly string[], now: Date): Promise<{ request_id: string }[]> {
  const purged = await db.query<{ request_id: string }>(
    'UPDATE outbox SET recipient = NULL, subject = NULL, body_text = NULL, body_html = NULL, purged_at = $2 WHERE request_id = ANY($1::text[]) AND purged_at IS NULL RETURNING request_id',
    [requestIds, now]
  )
  return purged.rows
}

export const outboxStateSchema = z.enum(['queued', 'sent', 'failed'])

/** Where a message stands. Never its recipient, subject or body: those are personal data. */
export const outboxEntrySchema = z
  .object({
    id: z.uuid(),
    requestId: z.string().nullable(),
    kind: z.string(),
    language: z.string(),
    state: outboxStateSchema,
    attempts: z.number().int(),
    lastError: z.string().nullable().describe('The last failure, with any address the server echoed masked.'),
    messageId: z.string().nullable(),
    createdAt: z.date(),
    sentAt: z.date().nullable()
  })
  .meta({ id: 'OutboxMessage' })

export type OutboxEntry = z.infer<typeof outboxEntrySchema>

/** Messages in the order they were queued; `after` is the `cursor` of the last one seen. */
export async function listOutbox(db: Queryable, filters: { state?: z.infer<typeof outboxStateSchema>; after?: string; limit: number }): Promise<{ items: OutboxEntry[]; nextCursor: string | null }> {
  const result = await db.query<{ id: string; seq: string; request_id: string | null; kind: string; language: string; state: OutboxEntry['state']; attempts: number; last_error: string | null; message_id: string | null; created_at: Date; sent_at: Date | null }>(
    `SELECT id, seq, request_id, kind, language, state, attempts, last_error, message_id, created_at, sent_at FROM outbox
      WHERE ($1::text IS NULL OR state = $1) AND ($2::bigint IS NULL OR seq > $2)
      ORDER BY seq LIMIT $3`,
    [filters.state ?? null, filters.after ?? null, filters.limit]
  )
  const items = result.rows.map((r) => ({ id: r.id, requestId: r.request_id, kind: r.kind, language: r.language, state: r.state, attempts: r.attempts, lastError: r.last_error, messageId: r.message_id, createdAt: r.created_at, sentAt: r.sent_at }))
  return { items, nextCursor: result.rows.length === filters.limit ? (result.rows.at(-1)?.seq ?? null) : null }
}
