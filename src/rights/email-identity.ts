import { domainToASCII, domainToUnicode } from 'node:url'
import { normalizeForIndex } from '../crypto/pii-cipher.ts'

/**
 * When two e-mail addresses are the same person's, for rights requests: compared whole, never as
 * a pattern. Trimmed and case-folded (local part too: shops and marketplaces treat `Anna@` and
 * `anna@` as one mailbox, as Odoo's own `email_normalized` does for ASCII), the domain in its IDNA
 * ASCII form, so `anna@bücher.de`, `anna@BÜCHER.de` and `anna@xn--bcher-kva.de` are one address.
 * Nothing else is folded: `anna+shop@` is not `anna@`, `a.nna@` is not `anna@`.
 */
export function emailIdentity(address: string): string | null {
  const trimmed = address.trim()
  const at = trimmed.lastIndexOf('@')
  if (at <= 0 || at === trimmed.length - 1) return null
  const local = trimmed.slice(0, at).toLowerCase()
  const domain = trimmed.slice(at + 1).toLowerCase()
  // domainToASCII answers '' for what is not a domain name (an address literal, a stray space): kept as written.
  return `${local}@${domainToASCII(domain) || domain}`
}

/**
 * The spellings under which the mirror's blind index or Odoo's e-mail field may hold the address:
 * as given, with its domain in ASCII (punycode) and in Unicode, each normalized as the blind index
 * normalizes. Looking all of them up finds a contact whichever form Odoo was given.
 */
export function emailSpellings(address: string): string[] {
  const given = normalizeForIndex('email', address)
  const at = given.lastIndexOf('@')
  if (at <= 0) return given ? [given] : []
  const local = given.slice(0, at)
  const domain = given.slice(at + 1)
  const forms = [given, `${local}@${domainToASCII(domain) || domain}`, `${local}@${domainToUnicode(domain) || domain}`]
  return [...new Set(forms)]
}

/** What separates addresses in an e-mail field: white space, display-name punctuation, list separators. */
export const ADDRESS_SEPARATORS = [' ', '\t', '\r', '\n', '<', '>', ',', ';', '"', '(', ')'] as const
const SEPARATOR_RUN = /[\t\n\r "(),;<>]+/

/**
 * The addresses an e-mail field holds. Odoo accepts a display name (`Anna Schmidt <anna@x.de>`) and
 * several addresses (`anna@x.de, bob@y.de`) in one field, and mails all of them. Every token with
 * an `@` counts, even inside a display name: a field that could name someone else is not read as
 * one person's.
 */
export function addressesInField(field: string): string[] {
  return field.split(SEPARATOR_RUN).filter((token) => emailIdentity(token) !== null)
}

/** The distinct addresses of a field, as identities. */
export function identitiesInField(field: string): Set<string> {
  return new Set(addressesInField(field).map((address) => emailIdentity(address) as string))
}
