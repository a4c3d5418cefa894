import type { PoolClient } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import { reseal } from '../crypto/data-rotation.ts'
import type { SealedStore } from '../crypto/data-rotation.ts'
import { senderAddress } from './forwardemail-payload.ts'
import { countInboundValuesByKey, lockInboundSealedElsewhere, writeResealedAttachments, writeResealedMessage } from './inbound-store.ts'
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
  countStale: countInboundValuesByKey,
  async resealBatch(db: PoolClient, cipher: PiiCipher, limit: number) {
    const batch = await lockInboundSealedElsewhere(db, cipher.currentKeyId, limit)
    for (const row of batch) {
      const place = `inbound:${row.id}:message`
      if (row.message === null) {
        // Purged with its request: only stray attachments can be left.
        await writeResealedAttachments(db, row.id, reseal(cipher, row.attachments, `inbound:${row.id}:attachments`))
        continue
      }
      const message = cipher.open(row.message, place)
      const payload = JSON.parse(message) as ForwardEmailPayload
      const sender = senderAddress(payload)
      await writeResealedMessage(db, row.id, {
        message: cipher.seal(message, place),
        attachments: reseal(cipher, row.attachments, `inbound:${row.id}:attachments`),
        senderIndex: sender ? cipher.blindIndex('email', sender) : null,
        messageKey: messageKeys(cipher, payload.messageId)[0]
      })
    }
    return batch.length
  }
}
