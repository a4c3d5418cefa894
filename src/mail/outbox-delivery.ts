import { z } from 'zod'
import type { AuditTrail } from '../audit/audit-trail.ts'
import type { Clock } from '../clock.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import type { Pool, PoolClient } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import type { Logger } from '../log/logger.ts'
import type { Queryable } from '../db/queryable.ts'
import { SmtpSendError } from './smtp-sender.ts'
import type { OutgoingMail, SmtpSender } from './smtp-sender.ts'

export interface OutboxDeliveryDeps {
  pool: Pool
  cipher: PiiCipher
  clock: Clock
  sender: SmtpSender
  audit: AuditTrail
  log: Logger
}

/**
 * `sent` and `failed` are this call's doing; `already-done` means the message had been sent or
 * given up on before, `in-progress` that another worker holds it now, `missing` that no such row
 * exists. A transient failure is recorded and then thrown, for the job to retry.
 */
export type DeliveryOutcome = 'sent' | 'failed' | 'already-done' | 'in-progress' | 'missing'

interface OutboxRow {
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

// A long-lived request (many code resends) must not grow its headers without bound: the first
// message roots the thread, the latest ones keep clients threading.
const MAX_REFERENCES = 10

/** Our Message-ID for an outbox row: stable across retries, unique, and recognisable in replies. */
export function messageIdFor(outboxId: string, domain: string): string {
  return `<${outboxId}@${domain}>`
}

/**
 * Sends one queued message at most once. The row stays locked from the check to the commit that
 * marks it sent, so two workers never both send it. The one gap left: the server accepts the
 * message and the process dies (or the database fails) before that commit; the row is then still
 * `queued` and is sent again, with the same Message-ID so clients can fold the duplicate. SMTP
 * has no way to ask whether a message was already accepted, so this duplicate is accepted over
 * losing mail.
 */
export async function deliverOutboxMessage(deps: OutboxDeliveryDeps, outboxId: string): Promise<DeliveryOutcome> {
  const result = await inTransaction(deps.pool, async (db) => {
    const locked = await db.query<OutboxRow>(
      `SELECT id, seq, request_id, kind, recipient, subject, body_text, body_html, state, attempts, message_id
         FROM outbox WHERE id = $1 FOR UPDATE SKIP LOCKED`,
      [outboxId]
    )
    const row = locked.rows[0]
    if (!row) {
      const exists = await db.query('SELECT 1 FROM outbox WHERE id = $1', [outboxId])
      return { outcome: exists.rowCount ? 'in-progress' : 'missing' } as const
    }
    if (row.state !== 'queued') return { outcome: 'already-done' } as const

    const messageId = row.message_id ?? messageIdFor(row.id, deps.sender.domain)
    const references = await threadOf(db, row, deps.sender.domain)
    const inReplyTo = references.at(-1) ?? null
    const attempts = row.attempts + 1
    let mail: OutgoingMail
    try {
      mail = openMessage(deps.cipher, row, messageId, inReplyTo, references)
    } catch (error) {
      // A key missing from PII_PREVIOUS_KEYS can be added: keep the message and let it retry.
      const failure = new SmtpSendError(`cannot open the sealed message: ${(error as Error).message}`, true)
      await recordFailure(db, row, { messageId, inReplyTo, attempts, failure })
      return { outcome: 'retry', failure, attempts, kind: row.kind } as const
    }

    try {
      await deps.sender.send(mail)
    } catch (error) {
      const failure = error instanceof SmtpSendError ? error : new SmtpSendError((error as Error).message, true)
      await recordFailure(db, row, { messageId, inReplyTo, attempts, failure })
      if (failure.transient) return { outcome: 'retry', failure, attempts, kind: row.kind } as const
      await deps.audit.record({ actor: 'system', action: 'mail.failed', outcome: 'failure', subject: { type: 'outbox', id: row.id }, details: { requestId: row.request_id, kind: row.kind, attempts } }, db)
      return { outcome: 'failed', failure, attempts, kind: row.kind } as const
    }

    await db.query(
      `UPDATE outbox SET state = 'sent', sent_at = $2, attempts = $3, last_error = NULL, message_id = $4, in_reply_to = $5 WHERE id = $1`,
      [row.id, deps.clock.now(), attempts, messageId, inReplyTo]
    )
    // The audit trail is the shop's evidence that the requester was told, and when.
    await deps.audit.record({ actor: 'system', action: 'mail.sent', subject: { type: 'outbox', id: row.id }, details: { requestId: row.request_id, kind: row.kind, attempts } }, db)
    return { outcome: 'sent', attempts, kind: row.kind } as const
  })

  switch (result.outcome) {
    case 'sent':
      deps.log.info({ outboxId, kind: result.kind, attempts: result.attempts }, 'mail sent')
      return 'sent'
    case 'failed':
      deps.log.warn({ outboxId, kind: result.kind, attempts: result.attempts, error: result.failure.message }, 'mail refused for good')
      return 'failed'
    case 'retry':
      deps.log.warn({ outboxId, kind: result.kind, attempts: result.attempts, error: result.failure.message }, 'mail not sent, will retry')
      throw result.failure
    default:
      return result.outcome
  }
}

/** The Message-IDs of the request's earlier messages, oldest first: the acknowledgement roots the thread. */
async function threadOf(db: Queryable, row: OutboxRow, domain: string): Promise<string[]> {
  if (!row.request_id) return []
  // Earlier messages still waiting count too: they keep the ids they are given here.
  const earlier = await db.query<{ id: string; message_id: string | null }>(
    `SELECT id, message_id FROM outbox WHERE request_id = $1 AND seq < $2 AND state <> 'failed' ORDER BY seq`,
    [row.request_id, row.seq]
  )
  const ids = earlier.rows.map((r) => r.message_id ?? messageIdFor(r.id, domain))
  return ids.length <= MAX_REFERENCES ? ids : [ids[0] as string, ...ids.slice(-(MAX_REFERENCES - 1))]
}

function openMessage(cipher: PiiCipher, row: OutboxRow, messageId: string, inReplyTo: string | null, references: string[]): OutgoingMail {
  const open = (value: string, field: string) => cipher.open(value, `outbox:${row.id}:${field}`)
  return {
    to: open(row.recipient, 'recipient'),
    subject: open(row.subject, 'subject'),
    text: open(row.body_text, 'text'),
    html: open(row.body_html, 'html'),
    messageId,
    ...(inReplyTo ? { inReplyTo, references } : {})
  }
}

async function recordFailure(db: PoolClient, row: OutboxRow, attempt: { messageId: string; inReplyTo: string | null; attempts: number; failure: SmtpSendError }): Promise<void> {
  await db.query(
    `UPDATE outbox SET attempts = $2, last_error = $3, state = $4, message_id = $5, in_reply_to = $6 WHERE id = $1`,
    [row.id, attempt.attempts, attempt.failure.message, attempt.failure.transient ? 'queued' : 'failed', attempt.messageId, attempt.inReplyTo]
  )
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
