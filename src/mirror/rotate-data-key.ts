import type { Pool, PoolClient } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import type { SealedStore } from '../crypto/data-rotation.ts'
import type { Logger } from '../log/logger.ts'
import { LEGACY_PII_COLUMNS, countContactValuesByKey, lockContactsSealedElsewhere, lockContactsWithLegacyPii, writeResealedContact } from './partner-store.ts'
import { contactBlindIndexes, openContactPii, sealContactPii } from './sealed-partner.ts'
import type { ContactPii } from './sealed-partner.ts'

/**
 * Mirrored contacts: their sealed PII and the blind indexes derived from it. The record
 * fingerprint is left as it is: it only tells a re-read from a change, and a contact whose
 * fingerprint was made under an older key is simply written again by its next sync. Values still
 * in the per-field columns from before `pii` count as stale too, and are folded into `pii`: the
 * key they were sealed with must not be dropped before they are.
 */
export const mirrorContactStore: SealedStore = {
  name: 'mirror contacts',
  countStale: countContactValuesByKey,
  async resealBatch(db: PoolClient, cipher: PiiCipher, limit: number) {
    const folded = await foldLegacyBatch(db, cipher, limit)
    if (folded > 0) return folded
    const batch = await lockContactsSealedElsewhere(db, cipher.currentKeyId, limit)
    for (const row of batch) await writeContactPii(db, cipher, row.odoo_id, openContactPii(cipher, row.odoo_id, row.pii))
    return batch.length
  }
}

const FOLD_BATCH = 500

/**
 * Moves personal data still in the per-field sealed columns (from before `pii`) into `pii`, batch by
 * batch, under the current key; returns how many contacts it moved. The service runs it when it
 * starts: only it holds the keys.
 */
export async function foldLegacyContactPii(deps: { pool: Pool; cipher: PiiCipher; log: Logger }): Promise<number> {
  let folded = 0
  for (;;) {
    const moved = await inTransaction(deps.pool, (db) => foldLegacyBatch(db, deps.cipher, FOLD_BATCH))
    if (moved === 0) break
    folded += moved
  }
  if (folded > 0) deps.log.info({ contacts: folded }, 'per-field sealed contact values folded into one sealed value each')
  return folded
}

/** Folds up to `limit` contacts' per-field values into `pii`. One with a `pii` value already keeps it (a sync wrote it since). */
async function foldLegacyBatch(db: PoolClient, cipher: PiiCipher, limit: number): Promise<number> {
  const batch = await lockContactsWithLegacyPii(db, limit)
  for (const row of batch) {
    const legacy: ContactPii = {}
    for (const field of LEGACY_PII_COLUMNS) {
      const value = row[field]
      if (value !== null) legacy[field] = cipher.open(value, `partner:${row.odoo_id}:${field}`)
    }
    await writeContactPii(db, cipher, row.odoo_id, row.pii === null ? legacy : openContactPii(cipher, row.odoo_id, row.pii))
  }
  return batch.length
}

/** Seals a contact's personal data anew under the current key, with its blind indexes; clears the per-field columns. */
async function writeContactPii(db: PoolClient, cipher: PiiCipher, odooId: number, pii: ContactPii): Promise<void> {
  const { emailIndex, phoneIndex, mobileIndex } = contactBlindIndexes(cipher, pii)
  const legacy = Object.fromEntries(LEGACY_PII_COLUMNS.map((column) => [column, null]))
  await writeResealedContact(db, odooId, { pii: sealContactPii(cipher, odooId, pii), email_index: emailIndex, phone_index: phoneIndex, mobile_index: mobileIndex, ...legacy })
}
