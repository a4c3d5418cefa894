import type { PoolClient } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import { countSealedByKey, reseal, sealedElsewhere } from '../crypto/data-rotation.ts'
import type { SealedStore } from '../crypto/data-rotation.ts'

const IDENTIFIERS = ['email', 'phone', 'name', 'order_refs'] as const
const SEALED_COLUMNS = [...IDENTIFIERS, 'approval_input'] as const
const EVIDENCE = "(verification ->> 'evidence')"

/**
 * Requests: the requester's identifiers, the verification evidence and the input of an action
 * awaiting approval, the e-mail's blind index, and the same index copied onto the subject flags
 * the request recorded.
 */
export const requestStore: SealedStore = {
  name: 'rights requests',
  countStale: (db, cipher) => countSealedByKey(db, cipher, 'rights_requests', [...SEALED_COLUMNS, EVIDENCE]),
  async resealBatch(db: PoolClient, cipher: PiiCipher, limit: number) {
    const stale = [...SEALED_COLUMNS, EVIDENCE].map((e) => sealedElsewhere(e, '$1')).join(' OR ')
    const batch = await db.query<Record<(typeof SEALED_COLUMNS)[number], string | null> & { id: string; evidence: string | null }>(
      `SELECT id, ${SEALED_COLUMNS.join(', ')}, ${EVIDENCE} AS evidence FROM rights_requests WHERE ${stale} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
      [cipher.currentKeyId]
    )
    for (const row of batch.rows) {
      const place = (field: string) => `request:${row.id}:${field}`
      const email = row.email === null ? null : cipher.open(row.email, place('email'))
      await db.query(
        `UPDATE rights_requests SET email = $2, phone = $3, name = $4, order_refs = $5, email_index = coalesce($6, email_index),
                verification = CASE WHEN $7::text IS NULL THEN verification ELSE jsonb_set(verification, '{evidence}', to_jsonb($7::text)) END,
                approval_input = $8
          WHERE id = $1`,
        [row.id, email === null ? null : cipher.seal(email, place('email')), reseal(cipher, row.phone, place('phone')), reseal(cipher, row.name, place('name')), reseal(cipher, row.order_refs, place('order_refs')), email === null ? null : cipher.blindIndex('email', email), reseal(cipher, row.evidence, place('evidence')), reseal(cipher, row.approval_input, place('approval_input'))]
      )
    }
    if (batch.rows.length > 0) {
      await db.query('UPDATE subject_flags f SET email_index = r.email_index FROM rights_requests r WHERE f.request_id = r.id AND r.id = ANY($1::text[]) AND f.email_index <> r.email_index', [batch.rows.map((row) => row.id)])
    }
    return batch.rows.length
  }
}

/** Export bundles that have not been downloaded or destroyed yet. */
export const exportStore: SealedStore = {
  name: 'exports',
  countStale: (db, cipher) => countSealedByKey(db, cipher, 'rights_exports', ['bundle']),
  async resealBatch(db: PoolClient, cipher: PiiCipher, limit: number) {
    const batch = await db.query<{ id: string; bundle: string }>(`SELECT id, bundle FROM rights_exports WHERE ${sealedElsewhere('bundle', '$1')} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`, [cipher.currentKeyId])
    for (const row of batch.rows) await db.query('UPDATE rights_exports SET bundle = $2 WHERE id = $1', [row.id, reseal(cipher, row.bundle, `export:${row.id}`)])
    return batch.rows.length
  }
}
