import { z } from 'zod'
import type { Pool } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import type { OdooGateway } from '../odoo/gateway.ts'
import type { OrderSync } from '../mirror/order-sync.ts'
import { maskEmail, maskName, maskPhone } from '../mirror/masking.ts'

export const subjectContactSchema = z
  .object({
    partnerId: z.number().int(),
    type: z.string().nullable(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    country: z.string().nullable(),
    orders: z.number().int(),
    openOrders: z.number().int().describe('Orders not yet shipped, completed or cancelled.'),
    redacted: z.boolean(),
    foundBy: z.array(z.enum(['email', 'phone', 'odoo_search']))
  })
  .meta({ id: 'SubjectContact', description: 'A contact held for the subject, masked.' })
export type SubjectContact = z.infer<typeof subjectContactSchema>

export interface SubjectIdentifiers {
  email: string
  phone: string | null
}

/**
 * Finds the subject's contacts: in the mirror through the blind indexes (under every known key),
 * and live in Odoo, so that a customer created since the last sync is found too. Contacts found
 * only in Odoo are mirrored on the way, since erasure and exports work from the mirror.
 */
export async function discoverSubject(deps: { pool: Pool; cipher: PiiCipher; odoo: OdooGateway; sync: OrderSync }, who: SubjectIdentifiers): Promise<SubjectContact[]> {
  const { pool, cipher } = deps
  const emailIndexes = cipher.blindIndexes('email', who.email)
  const phoneIndexes = who.phone ? cipher.blindIndexes('phone', who.phone) : []
  const mirrored = await pool.query<{ odoo_id: number; by_email: boolean; by_phone: boolean }>(
    `SELECT odoo_id, email_index = ANY($1::text[]) AS by_email, (phone_index = ANY($2::text[]) OR mobile_index = ANY($2::text[])) AS by_phone
       FROM mirror_partners WHERE email_index = ANY($1::text[]) OR phone_index = ANY($2::text[]) OR mobile_index = ANY($2::text[])`,
    [emailIndexes, phoneIndexes]
  )
  const live = await deps.odoo.searchRead('res.partner', [['email', '=ilike', who.email.trim()]], { fields: ['id'], context: { active_test: false } })
  const foundBy = new Map<number, Set<SubjectContact['foundBy'][number]>>()
  const note = (id: number, how: SubjectContact['foundBy'][number]) => foundBy.set(id, (foundBy.get(id) ?? new Set()).add(how))
  for (const row of mirrored.rows) {
    if (row.by_email) note(row.odoo_id, 'email')
    if (row.by_phone) note(row.odoo_id, 'phone')
  }
  for (const record of live) note(record.id, 'odoo_search')
  const unknown = live.map((r) => r.id).filter((id) => !mirrored.rows.some((row) => row.odoo_id === id))
  await deps.sync.mirrorContacts(unknown)
  return describeContacts(deps, [...foundBy.keys()], foundBy)
}

export async function describeContacts(deps: { pool: Pool; cipher: PiiCipher }, ids: readonly number[], foundBy = new Map<number, Set<SubjectContact['foundBy'][number]>>()): Promise<SubjectContact[]> {
  const rows = await deps.pool.query<{ odoo_id: number; type: string | null; name: string | null; email: string | null; phone: string | null; mobile: string | null; country: string | null; redacted_at: Date | null; orders: number; open_orders: number }>(
    `SELECT p.odoo_id, p.type, p.name, p.email, p.phone, p.mobile, p.country, p.redacted_at,
            (SELECT count(*) FROM mirror_orders o WHERE p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id))::int AS orders,
            (SELECT count(*) FROM mirror_orders o WHERE p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id)
                AND o.state NOT IN ('cancel') AND o.completed_at IS NULL AND o.deleted_at IS NULL)::int AS open_orders
       FROM mirror_partners p WHERE p.odoo_id = ANY($1::int[]) ORDER BY p.odoo_id`,
    [ids]
  )
  return rows.rows.map((row) => {
    const open = (field: string, value: string | null) => (value === null ? null : deps.cipher.open(value, `partner:${row.odoo_id}:${field}`))
    const name = open('name', row.name)
    const email = open('email', row.email)
    const phone = open('phone', row.phone) ?? open('mobile', row.mobile)
    return {
      partnerId: row.odoo_id,
      type: row.type,
      name: name === null ? null : maskName(name),
      email: email === null ? null : maskEmail(email),
      phone: phone === null ? null : maskPhone(phone),
      country: row.country,
      orders: row.orders,
      openOrders: row.open_orders,
      redacted: row.redacted_at !== null,
      foundBy: [...(foundBy.get(row.odoo_id) ?? [])].sort()
    }
  })
}

/** The subject's e-mail addresses that Odoo holds (opened from the mirror), for sending a code. */
export async function heldEmails(deps: { pool: Pool; cipher: PiiCipher }, partnerIds: readonly number[]): Promise<string[]> {
  const rows = await deps.pool.query<{ odoo_id: number; email: string | null }>('SELECT odoo_id, email FROM mirror_partners WHERE odoo_id = ANY($1::int[]) AND email IS NOT NULL ORDER BY odoo_id', [partnerIds])
  return rows.rows.map((row) => deps.cipher.open(row.email as string, `partner:${row.odoo_id}:email`))
}
