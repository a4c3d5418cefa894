import type { PoolClient } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import { countSealedByKey, sealedElsewhere } from '../crypto/data-rotation.ts'
import type { SealedStore } from '../crypto/data-rotation.ts'
import { PARTNER_PII_FIELDS } from './odoo-records.ts'
import type { PartnerPiiField } from './odoo-records.ts'

const INDEXED: Partial<Record<PartnerPiiField, 'email' | 'phone'>> = { email: 'email', phone: 'phone', mobile: 'phone' }

/**
 * Mirrored contacts: their sealed PII and the blind indexes derived from it. The record
 * fingerprint is left as it is: it only tells a re-read from a change, and a contact whose
 * fingerprint was made under an older key is simply written again by its next sync.
 */
export const mirrorContactStore: SealedStore = {
  name: 'mirror contacts',
  countStale: (db, cipher) => countSealedByKey(db, cipher, 'mirror_partners', PARTNER_PII_FIELDS),
  async resealBatch(db: PoolClient, cipher: PiiCipher, limit: number) {
    const stale = PARTNER_PII_FIELDS.map((field) => sealedElsewhere(field, '$1')).join(' OR ')
    const batch = await db.query<Record<PartnerPiiField, string | null> & { odoo_id: number }>(
      `SELECT odoo_id, ${PARTNER_PII_FIELDS.join(', ')} FROM mirror_partners WHERE ${stale} ORDER BY odoo_id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      [cipher.currentKeyId]
    )
    for (const row of batch.rows) {
      const sealed: Record<string, string | null> = {}
      for (const field of PARTNER_PII_FIELDS) {
        const value = row[field]
        const place = `partner:${row.odoo_id}:${field}`
        const plain = value === null ? null : cipher.open(value, place)
        sealed[field] = plain === null ? null : cipher.seal(plain, place)
        const index = INDEXED[field]
        if (index) sealed[`${field}_index`] = plain === null ? null : cipher.blindIndex(index, plain)
      }
      const columns = Object.keys(sealed)
      await db.query(`UPDATE mirror_partners SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE odoo_id = $1`, [row.odoo_id, ...Object.values(sealed)])
    }
    return batch.rows.length
  }
}
