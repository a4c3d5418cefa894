import type { PiiCipher } from '../crypto/pii-cipher.ts'
import { holdsPersonalData, PARTNER_PII_FIELDS, REDACTED_NAME } from './odoo-records.ts'
import type { PartnerPiiField, PartnerRow } from './odoo-records.ts'

/** A contact as the mirror stores it: PII sealed under the current key, blind indexes and fingerprint computed. */
export interface SealedPartner {
  odooId: number
  parentId: number | null
  type: string | null
  isCompany: boolean
  isUser: boolean
  /** The seller's own company's contact: never redacted. */
  isCompanyPartner: boolean
  state: string | null
  country: string | null
  writeDate: Date | null
  /** The personal data Odoo had, as one sealed JSON object; null when it had none. */
  pii: string | null
  emailIndex: string | null
  phoneIndex: string | null
  mobileIndex: string | null
  /** A keyed hash of everything read from Odoo: tells a real change from a re-read. */
  fingerprint: string
  holdsPii: boolean
}

/** A contact's personal data, field by field: only the fields it has. */
export type ContactPii = Partial<Record<PartnerPiiField, string>>

/**
 * Seals a contact before it reaches the database. The sync does it while it reads ahead, outside
 * any transaction, so the CPU work overlaps the previous page's writes.
 */
export function sealPartner(row: PartnerRow, cipher: PiiCipher, companyPartnerIds: ReadonlySet<number>): SealedPartner {
  // A redacted contact's placeholder name is nobody's: nothing is sealed for it.
  const pii: ContactPii = row.pii.name === REDACTED_NAME ? { ...row.pii, name: undefined } : row.pii
  return {
    odooId: row.odooId,
    parentId: row.parentId,
    type: row.type,
    isCompany: row.isCompany,
    isUser: row.isUser,
    isCompanyPartner: companyPartnerIds.has(row.odooId),
    state: row.state,
    country: row.country,
    writeDate: row.writeDate,
    pii: sealContactPii(cipher, row.odooId, pii),
    ...contactBlindIndexes(cipher, row.pii),
    fingerprint: cipher.fingerprint(JSON.stringify(row)),
    holdsPii: holdsPersonalData(row)
  }
}

/**
 * All of a contact's personal data in one sealed value (one AES-GCM operation, not one per field),
 * bound to the contact: a value copied to another contact does not open. Null when there is none.
 */
export function sealContactPii(cipher: PiiCipher, odooId: number, pii: ContactPii): string | null {
  const present = PARTNER_PII_FIELDS.filter((field) => pii[field] !== undefined)
  return present.length === 0 ? null : cipher.seal(JSON.stringify(Object.fromEntries(present.map((field) => [field, pii[field]]))), contactPlace(odooId))
}

/** The fields of a contact's sealed personal data; none when it has none (redacted, deleted). */
export function openContactPii(cipher: PiiCipher, odooId: number, sealed: string | null): ContactPii {
  return sealed === null ? {} : (JSON.parse(cipher.open(sealed, contactPlace(odooId))) as ContactPii)
}

/** The blind indexes that find a contact by e-mail, phone or mobile, under the current key. */
export function contactBlindIndexes(cipher: PiiCipher, pii: ContactPii): { emailIndex: string | null; phoneIndex: string | null; mobileIndex: string | null } {
  const index = (kind: 'email' | 'phone', value: string | undefined) => (value === undefined ? null : cipher.blindIndex(kind, value))
  return { emailIndex: index('email', pii.email), phoneIndex: index('phone', pii.phone), mobileIndex: index('phone', pii.mobile) }
}

const contactPlace = (odooId: number) => `partner:${odooId}`
