import type { PoolClient } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import { countSealedByKey, reseal, sealedElsewhere } from '../crypto/data-rotation.ts'
import type { SealedStore } from '../crypto/data-rotation.ts'
import { senderAddress } from './forwardemail-payload.ts'
import type { ForwardEmailPayload } from './forwardemail-payload.ts'

/** The keyed hash a message is known by: enough to recognise a repeated delivery, not the Message-ID itself. */
export function messageKeys(cipher: PiiCipher, messageId: string): string[] {
  return cipher.fingerprints(`message-id:${messageId.trim().toLowerCase()}`)
}

/**
 * Inbound mail: the sealed message and attachments, and what is derived from the message under
 * the key (the sender's blind index and the Message-ID's keyed hash, so that a delivery repeated
 * after the rotation is still recognised).
 */
export const inboundStore: SealedStore = {
  name: 'inbound mail',
  countStale: (db, cipher) => countSealedByKey(db, cipher, 'inbound_messages', ['message', 'attachments']),
  async resealBatch(db: PoolClient, cipher: PiiCipher, limit: number) {
    const batch = await db.query<{ id: string; message: string | null; attachments: string | null }>(
      `SELECT id, message, attachments FROM inbound_messages WHERE ${sealedElsewhere('message', '$1')} OR ${sealedElsewhere('attachments', '$1')} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      [cipher.currentKeyId]
    )
    for (const row of batch.rows) {
      const place = `inbound:${row.id}:message`
      if (row.message === null) {
        // Purged with its request: only stray attachments can be left.
        await db.query('UPDATE inbound_messages SET attachments = $2 WHERE id = $1', [row.id, reseal(cipher, row.attachments, `inbound:${row.id}:attachments`)])
        continue
      }
      const message = cipher.open(row.message, place)
      const payload = JSON.parse(message) as ForwardEmailPayload
      const sender = senderAddress(payload)
      await db.query('UPDATE inbound_messages SET message = $2, attachments = $3, sender_index = $4, message_key = $5 WHERE id = $1', [
        row.id,
        cipher.seal(message, place),
        reseal(cipher, row.attachments, `inbound:${row.id}:attachments`),
        sender ? cipher.blindIndex('email', sender) : null,
        messageKeys(cipher, payload.messageId)[0]
      ])
    }
    return batch.rows.length
  }
}
