import type { PoolClient } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import type { SealedStore } from '../crypto/data-rotation.ts'
import { PARTNER_PII_FIELDS } from './odoo-records.ts'
import type { PartnerPiiField } from './odoo-records.ts'
import { countContactValuesByKey, lockContactsSealedElsewhere, writeResealedContact } from './partner-store.ts'

const INDEXED: Partial<Record<PartnerPiiField, 'email' | 'phone'>> = { email: 'email', phone: 'phone', mobile: 'phone' }

/**
 * Mirrored contacts: their sealed PII and the blind indexes derived from it. The record
 * fingerprint is left as it is: it only tells a re-read from a change, and a contact whose
 * fingerprint was made under an older key is simply written again by its next sync.
 */
export const mirrorContactStore: SealedStore = {
  name: 'mirror contacts',
  countStale: countContactValuesByKey,
  async resealBatch(db: PoolClient, cipher: PiiCipher, limit: number) {
    const batch = await lockContactsSealedElsewhere(db, cipher.currentKeyId, limit)
    for (const row of batch) {
      const sealed: Record<string, string | null> = {}
      for (const field of PARTNER_PII_FIELDS) {
        const value = row[field]
        const place = `partner:${row.odoo_id}:${field}`
        const plain = value === null ? null : cipher.open(value, place)
        sealed[field] = plain === null ? null : cipher.seal(plain, place)
        const index = INDEXED[field]
        if (index) sealed[`${field}_index`] = plain === null ? null : cipher.blindIndex(index, plain)
      }
      await writeResealedContact(db, row.odoo_id, sealed)
    }
    return batch.length
  }
}
