import { ADMIN_PARTNER_ID, ADMIN_UID, COMPANY_ID, COMPANY_PARTNER_ID, CURRENCY_ID } from './defaults.ts'
import { COUNTRIES, STATES } from './models/geography.ts'
import type { Schema, StoredValue, Version } from './schema.ts'
import { userGroupsField } from './models/security.ts'
import { ADMIN_GROUPS, groupId, INTERNAL_USER_GROUPS, securitySeed } from './security-data.ts'
import type { GroupXmlId } from './security-data.ts'

type Values = { id?: number } & Record<string, StoredValue>

export interface SeedRecord {
  model: string
  values: Values
}

/**
 * What a fresh database with Sales, Inventory and Contacts holds before any shop data: the company,
 * the admin, OdooBot and the template users (archived), currencies, countries, the default sales
 * team, the ir.model.fields rows chatter tracking points at, and the groups and access rights. Ids follow the recorded servers:
 * Odoo 16 and 18 have one more template partner than 19, so customers start at 7 there and at 6 on 19.
 */
export function referenceData(version: Version, schema: Schema): SeedRecord[] {
  const [main, other] = version === 16 ? ['EUR', 'USD'] : ['USD', 'EUR']
  const currency = (code: string | undefined): Values =>
    code === 'EUR'
      ? { name: 'EUR', symbol: '€', position: 'after', rounding: 0.01, decimal_places: 2, active: true }
      : { name: 'USD', symbol: '$', position: 'before', rounding: 0.01, decimal_places: 2, active: true }
  const templates = version === 19 ? ['Portal User Template'] : ['Default User Template', 'Portal User Template']
  const security = securitySeed(version, schema)
  const groups = (xmlIds: readonly GroupXmlId[]): Values => ({ [userGroupsField(version)]: xmlIds.map(groupId) })
  const records: SeedRecord[] = [
    ...security.categories.map((values) => ({ model: 'ir.module.category', values })),
    ...security.groups.map((values) => ({ model: 'res.groups', values })),
    ...security.models.map((values) => ({ model: 'ir.model', values })),
    ...security.access.map((values) => ({ model: 'ir.model.access', values })),
    { model: 'res.currency', values: { id: CURRENCY_ID, ...currency(main) } },
    { model: 'res.currency', values: { id: CURRENCY_ID + 1, ...currency(other) } },
    ...COUNTRIES.map((c) => ({ model: 'res.country', values: { id: c.id, name: c.name, code: c.code, phone_code: c.phoneCode, address_format: c.addressFormat } })),
    ...STATES.map((s) => ({ model: 'res.country.state', values: { id: s.id, name: s.name, code: s.code, country_id: s.countryId } })),
    partner(COMPANY_PARTNER_ID, 'My Company', { is_company: true, email: 'info@yourcompany.com', street: '250 Executive Park Blvd', zip: '94134', city: 'San Francisco', state_id: 13, country_id: 233 }),
    partner(2, 'OdooBot', { active: false, email: 'odoobot@example.com' }),
    partner(ADMIN_PARTNER_ID, 'Administrator', { email: 'admin@yourcompany.example.com' }),
    partner(4, 'Public user', { active: false }),
    ...templates.map((name, i) => partner(5 + i, name, { active: false })),
    { model: 'res.company', values: { id: COMPANY_ID, partner_id: COMPANY_PARTNER_ID, currency_id: CURRENCY_ID, country_id: 233, sequence: 0 } },
    user(1, '__system__', 2, { active: false }),
    user(ADMIN_UID, 'admin', ADMIN_PARTNER_ID, groups(ADMIN_GROUPS)),
    user(3, 'public', 4, { active: false, share: true }),
    ...templates.map((name, i) =>
      user(4 + i, name === 'Portal User Template' ? 'portaltemplate' : 'default', 5 + i, { active: false, share: name === 'Portal User Template', ...groups(name === 'Portal User Template' ? ['base.group_portal'] : INTERNAL_USER_GROUPS) })),
    { model: 'crm.team', values: { id: 1, name: 'Sales', active: true, sequence: 10, company_id: COMPANY_ID, user_id: ADMIN_UID } },
  ]
  const partnerModel = schema.get('res.partner')
  for (const tracked of partnerModel?.tracked ?? []) {
    const field = partnerModel?.fields.get(tracked.name)
    records.push({ model: 'ir.model.fields', values: { id: tracked.fieldId, name: tracked.name, model: 'res.partner', field_description: field?.string ?? tracked.name, ttype: field?.type ?? 'char' } })
  }
  return records
}

/** An internal user with the given groups (the recorded servers' clerk has none beyond "Internal User"). */
export function userData(version: Version, partnerId: number, uid: number, person: { name: string; login: string; email: string }, groups: readonly GroupXmlId[]): SeedRecord[] {
  return [
    partner(partnerId, person.name, { email: person.email }),
    user(uid, person.login, partnerId, { [userGroupsField(version)]: groups.map(groupId) }),
  ]
}

function partner(id: number, name: string, values: Values): SeedRecord {
  return { model: 'res.partner', values: { id, name, type: 'contact', is_company: false, active: true, lang: 'en_US', company_id: COMPANY_ID, ...values } }
}

function user(id: number, login: string, partnerId: number, values: Values): SeedRecord {
  return { model: 'res.users', values: { id, login, partner_id: partnerId, company_id: COMPANY_ID, company_ids: [COMPANY_ID], share: false, active: true, lang: 'en_US', tz: false, ...values } }
}
