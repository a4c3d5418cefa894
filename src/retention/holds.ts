import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { Clock } from '../clock.ts'
import type { Pool, PoolClient } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import { maskEmail } from '../mirror/masking.ts'

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
  heldAmong(db: Pick<PoolClient, 'query'>, partnerIds: readonly number[]): Promise<Set<number>>
  /** The contacts a hold covers (to re-plan them when it is released). */
  partnersCovered(db: Pick<PoolClient, 'query'>, hold: Hold & { subjectRef: string }): Promise<number[]>
  get(db: Pick<PoolClient, 'query'>, id: string): Promise<(Hold & { subjectRef: string }) | undefined>
}

/**
 * Legal, tax or dispute holds: a held contact is never redacted. An e-mail hold is stored as the
 * address's blind index (and a masked hint), so a hold does not itself keep the address.
 */
export function createHolds(deps: { pool: Pool; clock: Clock; cipher: PiiCipher }): Holds {
  const { pool, clock, cipher } = deps

  async function create(db: PoolClient, input: CreateHold, by: string) {
    const [ref, hint] =
      input.subjectType === 'order' ? [String(input.orderId), null] : input.subjectType === 'partner' ? [String(input.partnerId), null] : [cipher.blindIndex('email', input.email) ?? '', maskEmail(input.email)]
    const result = await db.query<HoldRow>(
      `INSERT INTO holds (id, subject_type, subject_ref, subject_hint, reason, ends_at, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [randomUUID(), input.subjectType, ref, hint, input.reason, input.endsAt ?? null, clock.now(), by]
    )
    return toHold(result.rows[0] as HoldRow)
  }

  async function release(db: PoolClient, id: string, by: string) {
    const result = await db.query<HoldRow>('UPDATE holds SET released_at = COALESCE(released_at, $2), released_by = COALESCE(released_by, $3) WHERE id = $1 RETURNING *', [id, clock.now(), by])
    return result.rows[0] ? toHold(result.rows[0]) : undefined
  }

  async function list(options: { active: boolean }) {
    const result = await pool.query<HoldRow>(
      `SELECT * FROM holds WHERE NOT $1 OR (released_at IS NULL AND (ends_at IS NULL OR ends_at > $2)) ORDER BY created_at DESC`,
      [options.active, clock.now()]
    )
    return result.rows.map(toHold)
  }

  async function heldAmong(db: Pick<PoolClient, 'query'>, partnerIds: readonly number[]) {
    if (partnerIds.length === 0) return new Set<number>()
    const result = await db.query<{ odoo_id: number }>(`SELECT p.odoo_id FROM mirror_partners p WHERE p.odoo_id = ANY($1::int[]) AND ${isHeld('p', '$2')}`, [partnerIds, clock.now()])
    return new Set(result.rows.map((r) => r.odoo_id))
  }

  async function partnersCovered(db: Pick<PoolClient, 'query'>, hold: Hold & { subjectRef: string }) {
    const result = await db.query<{ id: number }>(
      hold.subjectType === 'partner'
        ? 'SELECT odoo_id AS id FROM mirror_partners WHERE odoo_id::text = $1'
        : hold.subjectType === 'email'
          ? 'SELECT odoo_id AS id FROM mirror_partners WHERE email_index = $1'
          : `SELECT unnest(ARRAY[partner_id, partner_invoice_id, partner_shipping_id]) AS id FROM mirror_orders WHERE odoo_id::text = $1`,
      [hold.subjectRef]
    )
    return [...new Set(result.rows.map((r) => r.id).filter((id) => id !== null))]
  }

  async function get(db: Pick<PoolClient, 'query'>, id: string) {
    const result = await db.query<HoldRow>('SELECT * FROM holds WHERE id = $1', [id])
    return result.rows[0] ? { ...toHold(result.rows[0]), subjectRef: result.rows[0].subject_ref } : undefined
  }

  return { create, release, list, heldAmong, partnersCovered, get }
}

/**
 * SQL condition: the contact `alias` is under an active hold at the time in parameter `now` — its
 * own, its e-mail's, or one on any order it appears on.
 */
export function isHeld(alias: string, now: string): string {
  const active = `h.released_at IS NULL AND (h.ends_at IS NULL OR h.ends_at > ${now})`
  return `(EXISTS (SELECT 1 FROM holds h WHERE ${active} AND h.subject_type = 'partner' AND h.subject_ref = ${alias}.odoo_id::text)
    OR EXISTS (SELECT 1 FROM holds h WHERE ${active} AND h.subject_type = 'email' AND h.subject_ref = ${alias}.email_index)
    OR EXISTS (SELECT 1 FROM holds h JOIN mirror_orders ho ON h.subject_type = 'order' AND h.subject_ref = ho.odoo_id::text
                WHERE ${active} AND ${alias}.odoo_id IN (ho.partner_id, ho.partner_invoice_id, ho.partner_shipping_id)))`
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
