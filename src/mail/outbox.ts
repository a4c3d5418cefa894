import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import type { Queryable } from '../db/queryable.ts'
import type { PoolClient } from '../db/database.ts'
import { countSealedByKey, reseal, sealedElsewhere } from '../crypto/data-rotation.ts'
import type { SealedStore } from '../crypto/data-rotation.ts'

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
