import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import type { Queryable } from '../mirror/mirror-store.ts'

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
