import type { Operation } from './orm/access.ts'
import type { Schema, StoredValue, Version } from './schema.ts'

/**
 * The groups and access rights (ir.model.access) of a database with Sales, Inventory, Contacts and
 * Invoicing installed, for the models the simulator has. Their names are what real servers print
 * in an AccessError ("Category/Name", categories in alphabetical order, then groups without one):
 * the rows for sale.order read and res.partner write reproduce transcripts 410-430 (and 920-930
 * on 19) exactly. The other rows follow the modules' ir.model.access.csv closely enough for the
 * models the service touches: internal users read contacts, users, companies and the chatter;
 * tracking values belong to Settings; sales, deliveries and writing contacts need their apps' groups.
 */
export type GroupXmlId =
  | 'base.group_user'
  | 'base.group_portal'
  | 'base.group_erp_manager'
  | 'base.group_system'
  | 'base.group_partner_manager'
  | 'sales_team.group_sale_salesman'
  | 'sales_team.group_sale_salesman_all_leads'
  | 'sales_team.group_sale_manager'
  | 'stock.group_stock_user'
  | 'stock.group_stock_manager'
  | 'account.group_account_invoice'
  | 'account.group_account_readonly'
  | 'account.group_account_user'

interface GroupSpec {
  xmlId: GroupXmlId
  /** [category, name]; a null category prints the name alone */
  label: (version: Version) => readonly [string | null, string]
  implied: readonly GroupXmlId[]
}

const same = (category: string | null, name: string) => (): readonly [string | null, string] => [category, name]

const GROUPS: readonly GroupSpec[] = [
  { xmlId: 'base.group_user', label: (v) => (v === 19 ? [null, 'Role / User'] : ['User types', 'Internal User']), implied: [] },
  { xmlId: 'base.group_portal', label: (v) => (v === 19 ? [null, 'Role / Portal'] : ['User types', 'Portal']), implied: [] },
  { xmlId: 'base.group_erp_manager', label: same('Administration', 'Access Rights'), implied: ['base.group_user'] },
  { xmlId: 'base.group_system', label: same('Administration', 'Settings'), implied: ['base.group_erp_manager'] },
  { xmlId: 'base.group_partner_manager', label: (v) => (v === 19 ? ['Contact', 'Creation'] : ['Extra Rights', 'Contact Creation']), implied: [] },
  { xmlId: 'sales_team.group_sale_salesman', label: same('Sales', 'User: Own Documents Only'), implied: ['base.group_user'] },
  { xmlId: 'sales_team.group_sale_salesman_all_leads', label: same('Sales', 'User: All Documents'), implied: ['sales_team.group_sale_salesman'] },
  { xmlId: 'sales_team.group_sale_manager', label: same('Sales', 'Administrator'), implied: ['sales_team.group_sale_salesman_all_leads'] },
  { xmlId: 'stock.group_stock_user', label: same('Inventory', 'User'), implied: ['base.group_user'] },
  { xmlId: 'stock.group_stock_manager', label: same('Inventory', 'Administrator'), implied: ['stock.group_stock_user'] },
  { xmlId: 'account.group_account_invoice', label: (v) => (v === 19 ? ['Accounting', 'Invoicing'] : ['Invoicing', v <= 17 ? 'Billing' : 'Invoicing']), implied: ['base.group_user'] },
  { xmlId: 'account.group_account_readonly', label: (v) => [v === 19 ? null : 'Technical', 'Show Accounting Features - Readonly'], implied: [] },
  { xmlId: 'account.group_account_user', label: (v) => [v === 19 ? null : 'Technical', 'Show Full Accounting Features'], implied: [] },
]

/** Rights as "rwcu" letters per group (null: every user), by model. */
const ACCESS: Record<string, readonly [GroupXmlId | null, string][]> = {
  'sale.order': [
    ['sales_team.group_sale_salesman', 'rwc'],
    ['sales_team.group_sale_manager', 'rwcu'],
    ['stock.group_stock_user', 'r'],
    ['account.group_account_invoice', 'rw'],
    ['account.group_account_readonly', 'r'],
    ['account.group_account_user', 'r'],
    ['base.group_portal', 'r'],
  ],
  'stock.picking': [
    ['stock.group_stock_user', 'rwcu'],
    ['sales_team.group_sale_salesman', 'rwc'],
  ],
  'res.partner': [
    ['base.group_user', 'r'],
    ['base.group_portal', 'r'],
    ['base.group_partner_manager', 'rwcu'],
    ['sales_team.group_sale_manager', 'rwc'],
    ['stock.group_stock_manager', 'rwc'],
  ],
  'res.partner.category': [
    ['base.group_user', 'r'],
    ['base.group_partner_manager', 'rwcu'],
  ],
  'crm.team': [
    ['base.group_user', 'r'],
    ['sales_team.group_sale_manager', 'rwcu'],
  ],
  'crm.tag': [
    ['base.group_user', 'r'],
    ['sales_team.group_sale_salesman', 'rwc'],
    ['sales_team.group_sale_manager', 'rwcu'],
  ],
  'res.users': [
    ['base.group_user', 'r'],
    ['base.group_erp_manager', 'rwcu'],
  ],
  'res.groups': [
    ['base.group_user', 'r'],
    ['base.group_erp_manager', 'rwcu'],
  ],
  'ir.module.category': [
    ['base.group_user', 'r'],
    ['base.group_system', 'rwcu'],
  ],
  'res.company': [
    ['base.group_user', 'r'],
    ['base.group_erp_manager', 'rwcu'],
  ],
  'res.currency': [
    ['base.group_user', 'r'],
    ['base.group_system', 'rwcu'],
  ],
  'res.country': [
    ['base.group_user', 'r'],
    ['base.group_system', 'rwcu'],
  ],
  'res.country.state': [
    ['base.group_user', 'r'],
    ['base.group_system', 'rwcu'],
  ],
  'mail.message': [
    ['base.group_user', 'rwc'],
    ['base.group_portal', 'r'],
    ['base.group_system', 'rwcu'],
  ],
  // Only Settings: the chatter reads tracking values as superuser, nobody else needs them.
  'mail.tracking.value': [['base.group_system', 'rwcu']],
  'ir.model': [
    ['base.group_user', 'r'],
    ['base.group_system', 'rwcu'],
  ],
  'ir.model.fields': [
    ['base.group_user', 'r'],
    ['base.group_system', 'rwcu'],
  ],
  'ir.model.access': [
    ['base.group_user', 'r'],
    ['base.group_erp_manager', 'rwcu'],
  ],
  'ir.actions.server': [
    ['base.group_user', 'r'],
    ['base.group_system', 'rwcu'],
  ],
  'base.automation': [['base.group_system', 'rwcu']],
}

/** The administrator's groups (Settings, and each app's administrator); the clerk is an internal user only. */
export const ADMIN_GROUPS: readonly GroupXmlId[] = ['base.group_system', 'base.group_partner_manager', 'sales_team.group_sale_manager', 'stock.group_stock_manager', 'account.group_account_invoice']
export const INTERNAL_USER_GROUPS: readonly GroupXmlId[] = ['base.group_user']

const LETTERS: Record<string, Operation> = { r: 'read', w: 'write', c: 'create', u: 'unlink' }

type Values = { id: number } & Record<string, StoredValue>

export interface SecuritySeed {
  categories: Values[]
  groups: Values[]
  models: Values[]
  access: Values[]
  /** res.groups ids by XML id */
  groupIds: ReadonlyMap<GroupXmlId, number>
}

/** The res.groups id of a group of the seed. */
export function groupId(xmlId: GroupXmlId): number {
  return GROUPS.findIndex((group) => group.xmlId === xmlId) + 1
}

/** The seed records of categories, groups, ir.model and ir.model.access, ids in a stable order. */
export function securitySeed(version: Version, schema: Schema): SecuritySeed {
  const categories: Values[] = []
  const categoryId = (name: string): number => {
    const found = categories.find((c) => c.name === name)
    if (found) return found.id
    const id = categories.length + 1
    categories.push({ id, name, sequence: 10 })
    return id
  }
  const groupIds = new Map<GroupXmlId, number>(GROUPS.map((group) => [group.xmlId, groupId(group.xmlId)]))
  const groups = GROUPS.map((group) => {
    const [category, name] = group.label(version)
    return {
      id: groupIds.get(group.xmlId) as number,
      name,
      category_id: category === null ? false : categoryId(category),
      implied_ids: group.implied.map((xmlId) => groupIds.get(xmlId) as number),
      share: group.xmlId === 'base.group_portal',
    }
  })
  const models = [...schema.values()].map((def, i) => ({ id: i + 1, model: def.name, name: def.description, transient: false }))
  const access: Values[] = []
  for (const [model, rows] of Object.entries(ACCESS)) {
    const modelRow = models.find((m) => m.model === model)
    if (!modelRow) continue
    for (const [xmlId, letters] of rows) {
      const perms = Object.fromEntries(Object.entries(LETTERS).map(([letter, operation]) => [`perm_${operation}`, letters.includes(letter)]))
      access.push({ id: access.length + 1, name: `access_${model.replace(/\./g, '_')}_${xmlId?.split('.')[1] ?? 'all'}`, model_id: modelRow.id, group_id: xmlId === null ? false : (groupIds.get(xmlId) as number), active: true, ...perms })
    }
  }
  return { categories, groups, models, access, groupIds }
}
