import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { Clock } from '../clock.ts'
import type { Pool, PoolClient } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import type { Queryable } from '../db/queryable.ts'
import { maskEmail } from '../mirror/masking.ts'
import { orderNamesContact } from '../mirror/mirror-store.ts'
import { contactsMeeting, contactWithEmailIndexIn } from '../mirror/partner-store.ts'
import { openContactPii } from '../mirror/sealed-partner.ts'
import type { ContactCondition } from '../mirror/partner-store.ts'
import { countSealedByKey, sealedElsewhere } from '../crypto/data-rotation.ts'
import type { SealedStore } from '../crypto/data-rotation.ts'

export const createHoldSchema = z
  .discriminatedUnion('subjectType', [
    z.object({ subjectType: z.literal('order'), orderId: z.number().int().positive() }),
    z.object({ subjectType: z.literal('partner'), partnerId: z.number().int().positive() }),
    z.object({ subjectType: z.literal('email'), email: z.email() })
  ])
  .and(
    z.object({
      reason: z.string().trim().min(3).max(500).describe('Why the data must be kept, e.g. "tax audit 2026 (AO §147)".'),
      endsAt: z.coerce.date().optional().describe('When the hold lapses by itself; without it, until released.')
    })
  )
  .meta({ id: 'CreateHold', example: { subjectType: 'partner', partnerId: 42, reason: 'Open chargeback dispute', endsAt: '2027-03-31T00:00:00Z' } })
export type CreateHold = z.infer<typeof createHoldSchema>

export const holdSchema = z
  .object({
    id: z.uuid(),
    subjectType: z.enum(['order', 'partner', 'email']),
    subject: z.string().describe('The order or contact id; for an e-mail, the address masked.'),
    reason: z.string(),
    endsAt: z.date().nullable(),
    createdAt: z.date(),
    createdBy: z.string(),
    releasedAt: z.date().nullable(),
    releasedBy: z.string().nullable()
  })
  .meta({ id: 'Hold' })
export type Hold = z.infer<typeof holdSchema>

export interface Holds {
  create(db: PoolClient, input: CreateHold, by: string): Promise<Hold>
  release(db: PoolClient, id: string, by: string): Promise<Hold | undefined>
  list(options: { active: boolean }): Promise<Hold[]>
  /** The contacts among `partnerIds` under an active hold: their own, one of their orders', or their e-mail's. */
  heldAmong(db: Queryable, partnerIds: readonly number[]): Promise<Set<number>>
}

/**
 * Legal, tax or dispute holds: a held contact is never redacted. An e-mail hold matches by the
 * address's blind indexes under every configured key, so it holds while a key rotation re-indexes
 * the mirror; it keeps the address sealed (until released) so that a rotation can index it anew.
 */
export function createHolds(deps: { pool: Pool; clock: Clock; cipher: PiiCipher }): Holds {
  const { pool, clock, cipher } = deps

  async function create(db: PoolClient, input: CreateHold, by: string) {
    const id = randomUUID()
    const email = input.subjectType === 'email' ? input.email.trim() : null
    const ref = input.subjectType === 'order' ? String(input.orderId) : input.subjectType === 'partner' ? String(input.partnerId) : (cipher.blindIndex('email', email as string) ?? '')
    const result = await db.query<HoldRow>(
      `INSERT INTO holds (id, subject_type, subject_ref, subject_hint, subject_indexes, subject_sealed, reason, ends_at, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
      [id, input.subjectType, ref, email && maskEmail(email), email && cipher.blindIndexes('email', email), email && cipher.seal(email, `hold:${id}:email`), input.reason, input.endsAt ?? null, clock.now(), by]
    )
    return toHold(result.rows[0] as HoldRow)
  }

  async function release(db: PoolClient, id: string, by: string) {
    // A released hold no longer needs the address it kept for key rotations.
    const result = await db.query<HoldRow>('UPDATE holds SET released_at = COALESCE(released_at, $2), released_by = COALESCE(released_by, $3), subject_sealed = NULL WHERE id = $1 RETURNING *', [id, clock.now(), by])
    return result.rows[0] ? toHold(result.rows[0]) : undefined
  }

  async function list(options: { active: boolean }) {
    const result = await pool.query<HoldRow>(
      `SELECT * FROM holds WHERE NOT $1 OR (released_at IS NULL AND (ends_at IS NULL OR ends_at > $2)) ORDER BY created_at DESC`,
      [options.active, clock.now()]
    )
    return result.rows.map(toHold)
  }

  function heldAmong(db: Queryable, partnerIds: readonly number[]) {
    return contactsMeeting(db, partnerIds, isHeld, clock.now())
  }

  return { create, release, list, heldAmong }
}

/**
 * SQL condition: the contact `alias` is under an active hold at the time in parameter `now` — its
 * own, its e-mail's, or one on any order it appears on.
 */
export const isHeld: ContactCondition = (alias, now) => {
  const active = `h.released_at IS NULL AND (h.ends_at IS NULL OR h.ends_at > ${now})`
  return `(EXISTS (SELECT 1 FROM holds h WHERE ${active} AND h.subject_type = 'partner' AND h.subject_ref = ${alias}.odoo_id::text)
    OR EXISTS (SELECT 1 FROM holds h WHERE ${active} AND h.subject_type = 'email' AND ${alias}.email_index = ANY(h.subject_indexes))
    OR EXISTS (SELECT 1 FROM holds h WHERE ${active} AND h.subject_type = 'order' AND ${orderNamesContact('h.subject_ref', alias)}))`
}

interface HoldRow {
  id: string
  subject_type: Hold['subjectType']
  subject_ref: string
  subject_hint: string | null
  reason: string
  ends_at: Date | null
  created_at: Date
  created_by: string
  released_at: Date | null
  released_by: string | null
}

function toHold(row: HoldRow): Hold {
  return {
    id: row.id,
    subjectType: row.subject_type,
    subject: row.subject_hint ?? row.subject_ref,
    reason: row.reason,
    endsAt: row.ends_at,
    createdAt: row.created_at,
    createdBy: row.created_by,
    releasedAt: row.released_at,
    releasedBy: row.released_by
  }
}

/**
 * E-mail holds: the sealed address, and its blind indexes under every configured key. A hold from
 * before holds kept their address gets it back from a mirrored contact it matches; one that matches
 * none is stranded (it keeps matching under the old key only) and `keys rotate-data --check` says so.
 * Runs before the mirror's store, while contacts still carry the indexes such a hold knows.
 */
export const holdStore: SealedStore = {
  name: 'e-mail holds',
  countStale: (db, cipher) => countSealedByKey(db, cipher, 'holds', ['subject_sealed']),
  async resealBatch(db: PoolClient, cipher: PiiCipher, limit: number) {
    const batch = await db.query<{ id: string; subject_sealed: string | null; odoo_id: number | null; pii: string | null }>(
      `SELECT h.id, h.subject_sealed, p.odoo_id, p.pii FROM holds h
         LEFT JOIN LATERAL (${contactWithEmailIndexIn('h.subject_indexes')} LIMIT 1) p ON h.subject_sealed IS NULL
        WHERE h.subject_type = 'email' AND (${sealedElsewhere('h.subject_sealed', '$1')} OR (h.subject_sealed IS NULL AND h.released_at IS NULL AND p.odoo_id IS NOT NULL))
        ORDER BY h.id LIMIT ${limit} FOR UPDATE OF h SKIP LOCKED`,
      [cipher.currentKeyId]
    )
    for (const row of batch.rows) {
      const email = row.subject_sealed !== null ? cipher.open(row.subject_sealed, `hold:${row.id}:email`) : (openContactPii(cipher, row.odoo_id as number, row.pii).email as string)
      await db.query('UPDATE holds SET subject_sealed = $2, subject_ref = $3, subject_indexes = $4 WHERE id = $1', [row.id, cipher.seal(email, `hold:${row.id}:email`), cipher.blindIndex('email', email), cipher.blindIndexes('email', email)])
    }
    return batch.rows.length
  },
  async stranded(db) {
    const rows = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM holds h WHERE h.subject_type = 'email' AND h.subject_sealed IS NULL AND h.released_at IS NULL
          AND NOT EXISTS (${contactWithEmailIndexIn('h.subject_indexes')})`
    )
    return { count: rows.rows[0]?.n ?? 0, why: 'active e-mail holds from before holds kept their address, matching no mirrored contact: create them again (the address is needed) before dropping the old key' }
  }
}
