import type { Pool } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import { PARTNER_PII_FIELDS } from './odoo-records.ts'
import type { PartnerPiiField } from './odoo-records.ts'

const BATCH = 500
const INDEXED: Partial<Record<PartnerPiiField, 'email' | 'phone'>> = { email: 'email', phone: 'phone', mobile: 'phone' }

/**
 * Re-seals every mirrored contact value sealed under an older key with the current one, and
 * recomputes the blind indexes under it; afterwards the older keys can be dropped from
 * PII_PREVIOUS_KEYS. Runs in batches, each in its own transaction, and can be re-run safely.
 */
export async function resealPartners(deps: { pool: Pool; cipher: PiiCipher }): Promise<{ partners: number }> {
  const { pool, cipher } = deps
  const current = `v1.${cipher.currentKeyId}.%`
  const stale = PARTNER_PII_FIELDS.map((field) => `(${field} IS NOT NULL AND ${field} NOT LIKE $2)`).join(' OR ')
  let after = 0
  let partners = 0
  for (;;) {
    const resealed = await inTransaction(pool, async (db) => {
      const batch = await db.query<Record<PartnerPiiField, string | null> & { odoo_id: number }>(
        `SELECT odoo_id, ${PARTNER_PII_FIELDS.join(', ')} FROM mirror_partners WHERE odoo_id > $1 AND (${stale})
          ORDER BY odoo_id LIMIT ${BATCH} FOR UPDATE`,
        [after, current]
      )
      for (const row of batch.rows) {
        const sealed: Record<string, string | null> = {}
        for (const field of PARTNER_PII_FIELDS) {
          const value = row[field]
          const plain = value === null ? null : cipher.open(value, `partner:${row.odoo_id}:${field}`)
          sealed[field] = plain === null ? null : cipher.seal(plain, `partner:${row.odoo_id}:${field}`)
          const index = INDEXED[field]
          if (index) sealed[`${field}_index`] = plain === null ? null : cipher.blindIndex(index, plain)
        }
        const columns = Object.keys(sealed)
        await db.query(`UPDATE mirror_partners SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE odoo_id = $1`, [row.odoo_id, ...Object.values(sealed)])
      }
      return batch.rows
    })
    if (resealed.length === 0) return { partners }
    partners += resealed.length
    after = resealed[resealed.length - 1]?.odoo_id ?? after
  }
}
