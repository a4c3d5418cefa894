import type { PoolClient } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import { reseal } from '../crypto/data-rotation.ts'
import type { SealedStore } from '../crypto/data-rotation.ts'
import { copyEmailIndexToFlags, countRequestValuesByKey, lockRequestsSealedElsewhere, writeResealedRequest } from './request-store.ts'
import { countExportsByKey, lockExportsSealedElsewhere, writeResealedExport } from './export-store.ts'

/**
 * Requests: the requester's identifiers, the verification evidence and the input of an action
 * awaiting approval, the e-mail's blind index, and the same index copied onto the subject flags
 * the request recorded.
 */
export const requestStore: SealedStore = {
  name: 'rights requests',
  countStale: countRequestValuesByKey,
  async resealBatch(db: PoolClient, cipher: PiiCipher, limit: number) {
    const batch = await lockRequestsSealedElsewhere(db, cipher.currentKeyId, limit)
    for (const row of batch) {
      const place = (field: string) => `request:${row.id}:${field}`
      const email = row.email === null ? null : cipher.open(row.email, place('email'))
      await writeResealedRequest(db, {
        id: row.id,
        email: email === null ? null : cipher.seal(email, place('email')),
        phone: reseal(cipher, row.phone, place('phone')),
        name: reseal(cipher, row.name, place('name')),
        order_refs: reseal(cipher, row.order_refs, place('order_refs')),
        emailIndex: email === null ? null : cipher.blindIndex('email', email),
        evidence: reseal(cipher, row.evidence, place('evidence')),
        approval_input: reseal(cipher, row.approval_input, place('approval_input'))
      })
    }
    if (batch.length > 0) await copyEmailIndexToFlags(db, batch.map((row) => row.id))
    return batch.length
  }
}

/** Export bundles that have not been downloaded or destroyed yet. */
export const exportStore: SealedStore = {
  name: 'exports',
  countStale: countExportsByKey,
  async resealBatch(db: PoolClient, cipher: PiiCipher, limit: number) {
    const batch = await lockExportsSealedElsewhere(db, cipher.currentKeyId, limit)
    for (const row of batch) await writeResealedExport(db, row.id, reseal(cipher, row.bundle, `export:${row.id}`))
    return batch.length
  }
}
