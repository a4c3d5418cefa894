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
  sealed: Record<PartnerPiiField, string | null>
  emailIndex: string | null
  phoneIndex: string | null
  mobileIndex: string | null
  /** A keyed hash of everything read from Odoo: tells a real change from a re-read. */
  fingerprint: string
  holdsPii: boolean
}

/**
 * Seals a contact before it reaches the database. The sync does it while it reads ahead, outside
 * any transaction, so the CPU work overlaps the previous page's writes.
 */
export function sealPartner(row: PartnerRow, cipher: PiiCipher, companyPartnerIds: ReadonlySet<number>): SealedPartner {
  const index = (kind: 'email' | 'phone', value: string | undefined) => (value === undefined ? null : cipher.blindIndex(kind, value))
  // A redacted contact's placeholder name is nobody's: nothing is sealed for it.
  const sealed = Object.fromEntries(PARTNER_PII_FIELDS.map((field) => {
    const value = row.pii[field]
    return [field, value === undefined || (field === 'name' && value === REDACTED_NAME) ? null : cipher.seal(value, `partner:${row.odooId}:${field}`)]
  })) as Record<PartnerPiiField, string | null>
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
    sealed,
    emailIndex: index('email', row.pii.email),
    phoneIndex: index('phone', row.pii.phone),
    mobileIndex: index('phone', row.pii.mobile),
    fingerprint: cipher.fingerprint(JSON.stringify(row)),
    holdsPii: holdsPersonalData(row)
  }
}
