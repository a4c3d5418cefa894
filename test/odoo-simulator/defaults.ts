import type { StoredValue, Version } from './schema.ts'
import type { Tables } from './tables.ts'
import { userGroupsField } from './models/security.ts'
import { groupId } from './security-data.ts'
import { formatDatetime } from './timestamps.ts'

export const COMPANY_ID = 1
export const COMPANY_PARTNER_ID = 1
export const ADMIN_UID = 2
export const ADMIN_PARTNER_ID = 3
export const CURRENCY_ID = 1

type Values = Record<string, StoredValue>

export interface DefaultsEnv {
  tables: Tables
  version: Version
  uid: number
  now: Date
}

/** Odoo's default values for a new record of a model, given what the caller provides. */
export function defaultValues(model: string, values: Values, env: DefaultsEnv): Values {
  switch (model) {
    case 'res.partner':
      return { active: true, type: 'contact', is_company: false, lang: 'en_US' }
    case 'sale.order':
      return saleOrderDefaults(values, env)
    case 'stock.picking':
      return {
        // The next reference scans every transfer: only when the caller names none.
        name: values.name ?? nextReference(env.tables, 'stock.picking', 'WH/OUT/'),
        state: 'draft',
        priority: '0',
        move_type: 'direct',
        picking_type_code: 'outgoing',
        scheduled_date: formatDatetime(env.now),
        company_id: COMPANY_ID,
        user_id: env.uid,
      }
    case 'crm.team':
      return { active: true, sequence: 10, company_id: COMPANY_ID }
    case 'res.users':
      // A new user is an internal user (res.users._default_groups).
      return { active: true, share: false, company_id: COMPANY_ID, company_ids: [COMPANY_ID], lang: 'en_US', [userGroupsField(env.version)]: [groupId('base.group_user')] }
    case 'res.currency':
      return { active: true }
    case 'res.groups':
      return { share: false, implied_ids: [] }
    case 'ir.model.access':
      return { active: true, perm_read: false, perm_write: false, perm_create: false, perm_unlink: false }
    case 'ir.actions.server':
      return { sequence: 5, usage: 'ir_actions_server', state: 'object_write' }
    case 'base.automation':
      return { active: true }
    case 'mail.message':
      return { message_type: 'comment', body: '', date: formatDatetime(env.now) }
    default:
      return {}
  }
}

function saleOrderDefaults(values: Values, env: DefaultsEnv): Values {
  const partnerId = values.partner_id
  const defaults: Values = {
    name: values.name ?? nextReference(env.tables, 'sale.order', 'S'),
    state: 'draft',
    date_order: formatDatetime(env.now),
    company_id: COMPANY_ID,
    currency_id: CURRENCY_ID,
    user_id: env.uid,
    picking_policy: 'direct',
    tag_ids: [],
  }
  if (env.version !== 16) defaults.locked = false
  if (typeof partnerId === 'number') {
    defaults.partner_invoice_id = addressOfType(env.tables, partnerId, 'invoice')
    defaults.partner_shipping_id = addressOfType(env.tables, partnerId, 'delivery')
  }
  return defaults
}

/** res.partner.address_get(): the first child contact of that type, else the partner itself. */
function addressOfType(tables: Tables, partnerId: number, type: string): number {
  const child = tables
    .referencing('res.partner', 'parent_id', partnerId)
    .sort((a, b) => a - b)
    .find((id) => tables.get('res.partner', id)?.type === type)
  return child ?? partnerId
}

/** The next reference of an ir.sequence-like "S00042" numbering, continuing after the highest one. */
function nextReference(tables: Tables, model: string, prefix: string): string {
  let highest = 0
  for (const row of tables.rows(model)) {
    if (typeof row.name === 'string' && row.name.startsWith(prefix)) {
      const n = Number(row.name.slice(prefix.length))
      if (n > highest) highest = n
    }
  }
  return `${prefix}${String(highest + 1).padStart(5, '0')}`
}
