import { z } from 'zod'
import type { Pool } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import type { OdooGateway } from '../odoo/gateway.ts'
import { likeLiteral } from '../odoo/like-literal.ts'
import type { OrderSync } from '../mirror/order-sync.ts'
import { maskEmail, maskName, maskPhone } from '../mirror/masking.ts'
import { contactsByBlindIndexes, contactSummaries, sealedPiiOf } from '../mirror/partner-store.ts'
import { openContactPii } from '../mirror/sealed-partner.ts'
import { ADDRESS_SEPARATORS, addressesInField, emailIdentity, emailSpellings, identitiesInField } from './email-identity.ts'

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
    sharedEmailField: z.boolean().describe("The contact's e-mail field holds other addresses too: it may be someone else's as well, so an agent decides."),
    foundBy: z.array(z.enum(['email', 'phone', 'odoo_search']))
  })
  .meta({ id: 'SubjectContact', description: 'A contact held for the subject, masked.' })
export type SubjectContact = z.infer<typeof subjectContactSchema>

export const subjectAmbiguitySchema = z
  .enum(['too_many_contacts', 'shared_email_field'])
  .meta({
    id: 'SubjectAmbiguity',
    description: 'Why found contacts wait for an agent: more than RIGHTS_MAX_SUBJECT_CONTACTS of them, or a contact whose e-mail field also holds other addresses.'
  })
export type SubjectAmbiguity = z.infer<typeof subjectAmbiguitySchema>

export const subjectConfirmationSchema = z
  .object({ partnerIds: z.array(z.number().int()), at: z.string(), by: z.string().describe('The API key of the agent.') })
  .meta({ id: 'SubjectConfirmation', description: 'The contacts an agent named as the subject; fulfilment works on those the identifiers still find.' })
export type SubjectConfirmation = z.infer<typeof subjectConfirmationSchema>

export const subjectDiscoverySchema = z
  .object({
    contacts: z.array(subjectContactSchema).describe("Every contact that holds exactly the requester's e-mail address or phone number."),
    subjectPartnerIds: z.array(z.number().int()).describe('The contacts the request works on: all those found, the confirmed ones, or none while `needsConfirmation` is set.'),
    confirmation: subjectConfirmationSchema.nullable(),
    needsConfirmation: z
      .object({ reasons: z.array(subjectAmbiguitySchema), maxContacts: z.number().int().describe('RIGHTS_MAX_SUBJECT_CONTACTS') })
      .nullable()
      .describe('Set when the contacts found wait for an agent: name the subject with `PUT /v1/requests/{id}/subject`; verification and fulfilment answer 409 until then.')
  })
  .meta({ id: 'SubjectDiscovery' })
export type SubjectDiscovery = z.infer<typeof subjectDiscoverySchema>

export interface SubjectIdentifiers {
  email: string
  phone: string | null
}

type FoundBy = SubjectContact['foundBy'][number]

/**
 * Finds the contacts that hold exactly the subject's identifiers: in the mirror through the blind
 * indexes (under every known key), and live in Odoo, so that a customer created or changed since
 * the last sync is found too. Contacts found in Odoo are mirrored on the way, since erasure and
 * exports work from the mirror.
 */
export async function discoverSubject(deps: { pool: Pool; cipher: PiiCipher; odoo: OdooGateway; sync: OrderSync }, who: SubjectIdentifiers): Promise<SubjectContact[]> {
  const { pool, cipher } = deps
  const spellings = emailSpellings(who.email)
  const emailIndexes = spellings.flatMap((spelling) => cipher.blindIndexes('email', spelling))
  const phoneIndexes = who.phone ? cipher.blindIndexes('phone', who.phone) : []
  const mirrored = await contactsByBlindIndexes(pool, emailIndexes, phoneIndexes)
  const live = await searchOdooByEmail(deps.odoo, who.email, spellings)
  const foundBy = new Map<number, Set<FoundBy>>()
  const note = (id: number, how: FoundBy) => foundBy.set(id, (foundBy.get(id) ?? new Set()).add(how))
  for (const row of mirrored) {
    if (row.by_email) note(row.odoo_id, 'email')
    if (row.by_phone) note(row.odoo_id, 'phone')
  }
  for (const id of live) note(id, 'odoo_search')
  // Refreshed as well as added: whether a contact's field is shared is read from the mirror.
  await deps.sync.mirrorContacts(live)
  return describeContacts(deps, [...foundBy.keys()], foundBy)
}

/**
 * Odoo's contacts whose e-mail field holds the address. Odoo is asked with the address as a
 * literal (escaped): fields equal to it, or containing it beside a separator (a display name, a
 * list). What it returns are candidates, kept only when one of the field's addresses is the
 * requester's, compared here, so the answer never depends on Odoo's pattern semantics.
 * (`email_normalized` would be exact too, but holds only the field's first address.)
 */
async function searchOdooByEmail(odoo: OdooGateway, email: string, spellings: readonly string[]): Promise<number[]> {
  const wanted = emailIdentity(email)
  if (wanted === null || spellings.length === 0) return []
  const contains = spellings.map((spelling) => ['email', 'ilike', likeLiteral(spelling)])
  const equals = spellings.map((spelling) => ['email', '=ilike', likeLiteral(spelling)])
  const listed = ADDRESS_SEPARATORS.map((separator) => ['email', 'like', separator])
  const domain = ['&', ...anyOf(contains), ...anyOf([...equals, ...listed])]
  const candidates = await odoo.searchRead('res.partner', domain, { fields: ['email'], context: { active_test: false } })
  return candidates.filter((record) => typeof record.email === 'string' && identitiesInField(record.email).has(wanted)).map((record) => record.id)
}

/** Odoo's prefix notation for "any of these leaves". */
function anyOf(leaves: readonly unknown[][]): unknown[] {
  return [...leaves.slice(1).map(() => '|'), ...leaves]
}

/** Why the contacts found cannot simply be attached to the request: none when they can. */
export function subjectAmbiguities(contacts: readonly SubjectContact[], maxContacts: number): SubjectAmbiguity[] {
  const reasons: SubjectAmbiguity[] = []
  if (contacts.length > maxContacts) reasons.push('too_many_contacts')
  if (contacts.some((contact) => contact.sharedEmailField)) reasons.push('shared_email_field')
  return reasons
}

export async function describeContacts(deps: { pool: Pool; cipher: PiiCipher }, ids: readonly number[], foundBy = new Map<number, Set<FoundBy>>()): Promise<SubjectContact[]> {
  const rows = await contactSummaries(deps.pool, ids)
  return rows.map((row) => {
    const pii = openContactPii(deps.cipher, row.odoo_id, row.pii)
    const name = pii.name ?? null
    const email = pii.email ?? null
    const phone = pii.phone ?? pii.mobile ?? null
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
      sharedEmailField: email !== null && identitiesInField(email).size > 1,
      foundBy: [...(foundBy.get(row.odoo_id) ?? [])].sort()
    }
  })
}

/**
 * Where a verification code goes: the given address when one of the subject's contacts holds it
 * (spelled as Odoo holds it); else the address of a contact found by phone, if its field names one
 * address only (a code never goes to a co-holder of a shared field); else the given address.
 */
export async function verificationRecipient(deps: { pool: Pool; cipher: PiiCipher }, partnerIds: readonly number[], given: string): Promise<{ recipient: string; heldByOdoo: boolean }> {
  const emails = (await sealedPiiOf(deps.pool, partnerIds)).map((row) => openContactPii(deps.cipher, row.odoo_id, row.pii).email)
  const fields = emails.filter((email) => email !== undefined).map(addressesInField)
  const wanted = emailIdentity(given)
  const same = fields.flat().find((address) => emailIdentity(address) === wanted)
  const sole = fields.find((addresses) => new Set(addresses.map(emailIdentity)).size === 1)?.[0]
  const held = same ?? sole
  return held === undefined ? { recipient: given, heldByOdoo: false } : { recipient: held, heldByOdoo: true }
}
