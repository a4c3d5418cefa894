import type { AuditTrail } from '../audit/audit-trail.ts'
import type { Clock } from '../clock.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import type { Pool, PoolClient } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import type { Logger } from '../log/logger.ts'
import type { Queryable } from '../db/queryable.ts'
import { earlierMessagesOfRequest, lockMessageForDelivery, markMessageSent, messageExists, recordDeliveryAttempt } from './outbox.ts'
import type { StoredMessage } from './outbox.ts'
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
    const row = await lockMessageForDelivery(db, outboxId)
    if (!row) return { outcome: (await messageExists(db, outboxId)) ? 'in-progress' : 'missing' } as const
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

    await markMessageSent(db, row.id, { at: deps.clock.now(), attempts, messageId, inReplyTo })
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
async function threadOf(db: Queryable, row: StoredMessage, domain: string): Promise<string[]> {
  if (!row.request_id) return []
  // Earlier messages still waiting count too: they keep the ids they are given here.
  const earlier = await earlierMessagesOfRequest(db, row.request_id, row.seq)
  const ids = earlier.map((r) => r.message_id ?? messageIdFor(r.id, domain))
  return ids.length <= MAX_REFERENCES ? ids : [ids[0] as string, ...ids.slice(-(MAX_REFERENCES - 1))]
}

function openMessage(cipher: PiiCipher, row: StoredMessage, messageId: string, inReplyTo: string | null, references: string[]): OutgoingMail {
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

function recordFailure(db: PoolClient, row: StoredMessage, attempt: { messageId: string; inReplyTo: string | null; attempts: number; failure: SmtpSendError }): Promise<void> {
  return recordDeliveryAttempt(db, row.id, { attempts: attempt.attempts, error: attempt.failure.message, state: attempt.failure.transient ? 'queued' : 'failed', messageId: attempt.messageId, inReplyTo: attempt.inReplyTo })
}
