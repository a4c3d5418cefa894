import { ADMIN_PARTNER_ID, ADMIN_UID, COMPANY_ID, COMPANY_PARTNER_ID, CURRENCY_ID } from './defaults.ts'
import { COUNTRIES, STATES } from './models/geography.ts'
import type { Schema, StoredValue, Version } from './schema.ts'

type Values = { id?: number } & Record<string, StoredValue>

export interface SeedRecord {
  model: string
  values: Values
}

/**
 * What a fresh database with Sales, Inventory and Contacts holds before any shop data: the company,
 * the admin, OdooBot and the template users (archived), currencies, countries, the default sales
 * team, and the ir.model.fields rows chatter tracking points at. Ids follow the recorded servers:
 * Odoo 16 and 18 have one more template partner than 19, so customers start at 7 there and at 6 on 19.
 */
export function referenceData(version: Version, schema: Schema): SeedRecord[] {
  const [main, other] = version === 16 ? ['EUR', 'USD'] : ['USD', 'EUR']
  const currency = (code: string | undefined): Values =>
    code === 'EUR'
      ? { name: 'EUR', symbol: '€', position: 'after', rounding: 0.01, decimal_places: 2, active: true }
      : { name: 'USD', symbol: '$', position: 'before', rounding: 0.01, decimal_places: 2, active: true }
  const templates = version === 19 ? ['Portal User Template'] : ['Default User Template', 'Portal User Template']
  const records: SeedRecord[] = [
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
    user(ADMIN_UID, 'admin', ADMIN_PARTNER_ID, {}),
    user(3, 'public', 4, { active: false, share: true }),
    ...templates.map((name, i) => user(4 + i, name === 'Portal User Template' ? 'portaltemplate' : 'default', 5 + i, { active: false, share: name === 'Portal User Template' })),
    { model: 'crm.team', values: { id: 1, name: 'Sales', active: true, sequence: 10, company_id: COMPANY_ID, user_id: ADMIN_UID } },
  ]
  const partnerModel = schema.get('res.partner')
  for (const tracked of partnerModel?.tracked ?? []) {
    const field = partnerModel?.fields.get(tracked.name)
    records.push({ model: 'ir.model.fields', values: { id: tracked.fieldId, name: tracked.name, model: 'res.partner', field_description: field?.string ?? tracked.name, ttype: field?.type ?? 'char' } })
  }
  return records
}

/** The internal user without Sales or Inventory rights, created after the shop data as on the recorded servers. */
export function limitedUserData(partnerId: number, uid: number): SeedRecord[] {
  return [
    partner(partnerId, 'Chris Clerk', { email: 'clerk@example.com' }),
    user(uid, 'clerk', partnerId, {}),
  ]
}

function partner(id: number, name: string, values: Values): SeedRecord {
  return { model: 'res.partner', values: { id, name, type: 'contact', is_company: false, active: true, lang: 'en_US', company_id: COMPANY_ID, ...values } }
}

function user(id: number, login: string, partnerId: number, values: Values): SeedRecord {
  return { model: 'res.users', values: { id, login, partner_id: partnerId, company_id: COMPANY_ID, company_ids: [COMPANY_ID], share: false, active: true, lang: 'en_US', tz: false, ...values } }
}
