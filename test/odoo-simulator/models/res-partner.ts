import { recordedFields } from '../catalogue.ts'
import { modelDef, refineCatalogue } from '../schema.ts'
import type { ModelDef, RecordSource, Row, TrackedField, Version } from '../schema.ts'
import { emailNormalize } from '../mail-address.ts'
import { COUNTRIES, STATES, displayAddress, inlineAddress } from './geography.ts'
import { messageIdsRefinement } from './mail-thread.ts'

const TYPE_LABELS: Record<string, string> = {
  contact: 'Contact',
  invoice: 'Invoice Address',
  delivery: 'Delivery Address',
  private: 'Private Address',
  other: 'Other Address',
}

/**
 * What the chatter tracks on contacts, with the ir.model.fields ids of the recorded servers:
 * Odoo 16 tracks the phone only, 17+ also the name and the inline address.
 */
const TRACKED: Record<Version, TrackedField[]> = {
  16: [{ name: 'phone', fieldId: 929 }],
  17: [
    { name: 'name', fieldId: 869 },
    { name: 'contact_address_inline', fieldId: 2511 },
    { name: 'phone', fieldId: 905 },
  ],
  18: [
    { name: 'name', fieldId: 902 },
    { name: 'contact_address_inline', fieldId: 2658 },
    { name: 'phone', fieldId: 937 },
  ],
  19: [
    { name: 'name', fieldId: 1008 },
    { name: 'contact_address_inline', fieldId: 3054 },
    { name: 'phone', fieldId: 1046 },
  ],
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '')

/** Display name: a child contact shows as "Parent, Child", a nameless one by its address type. */
function partnerDisplayName(row: Row, source: RecordSource): string {
  let name = text(row.name)
  const parent = typeof row.parent_id === 'number' ? source.get('res.partner', row.parent_id) : undefined
  if (parent && !row.is_company) {
    if (!name && typeof row.type === 'string' && row.type !== 'contact') name = TYPE_LABELS[row.type] ?? ''
    name = `${text(parent.name)}, ${name}`
  }
  return name
}

function commercialPartner(row: Row, source: RecordSource): Row {
  let current = row
  while (!current.is_company && typeof current.parent_id === 'number') {
    const parent = source.get('res.partner', current.parent_id)
    if (!parent) break
    current = parent
  }
  return current
}

function contactAddress(row: Row): string {
  const country = COUNTRIES.find((c) => c.id === row.country_id)
  const state = STATES.find((s) => s.id === row.state_id)
  const format = country?.addressFormat ?? '%(street)s\n%(street2)s\n%(city)s %(state_code)s %(zip)s\n%(country_name)s'
  return displayAddress(format, {
    street: text(row.street),
    street2: text(row.street2),
    zip: text(row.zip),
    city: text(row.city),
    stateCode: state?.code ?? '',
    stateName: state?.name ?? '',
    countryName: country?.name ?? '',
  })
}

function activeReferencing(source: RecordSource, model: string, field: string, id: number): number[] {
  return source.referencing(model, field, id).filter((ref) => source.get(model, ref)?.active !== false)
}

export function resPartner(version: Version): ModelDef {
  const fields = refineCatalogue(recordedFields(version, 'res.partner'), {
    complete_name: { compute: partnerDisplayName },
    type: { selection: version === 16 ? ['contact', 'invoice', 'delivery', 'private', 'other'] : ['contact', 'invoice', 'delivery', 'other'] },
    parent_id: { ondelete: 'cascade' },
    child_ids: { inverse: 'parent_id', compute: (row, source) => activeReferencing(source, 'res.partner', 'parent_id', row.id) },
    user_ids: { inverse: 'partner_id', compute: (row, source) => activeReferencing(source, 'res.users', 'partner_id', row.id) },
    sale_order_ids: { inverse: 'partner_id', compute: (row, source) => source.referencing('sale.order', 'partner_id', row.id) },
    sale_order_count: { compute: (row, source) => source.referencing('sale.order', 'partner_id', row.id).length },
    commercial_partner_id: { compute: (row, source) => commercialPartner(row, source).id },
    contact_address: { compute: contactAddress },
    contact_address_inline: { compute: (row) => inlineAddress(contactAddress(row)) || false },
    // mail.thread.blacklist: tools.email_normalize(email, strict=False), the field's first address
    email_normalized: { compute: (row) => emailNormalize(typeof row.email === 'string' ? row.email : false, { strict: false }) },
    message_ids: messageIdsRefinement('res.partner'),
    parent_name: { compute: (row, source) => (typeof row.parent_id === 'number' ? source.get('res.partner', row.parent_id)?.name ?? false : false) },
  })
  return modelDef({
    name: 'res.partner',
    description: 'Contact',
    order: version === 16 ? 'display_name ASC, id DESC' : 'complete_name ASC, id DESC',
    fields,
    displayName: partnerDisplayName,
    tracked: TRACKED[version],
    parentField: 'parent_id',
    isMailThread: true,
  })
}
