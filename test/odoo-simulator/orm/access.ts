import type { Role } from '../accounts.ts'
import { accessError } from '../errors.ts'
import type { ModelDef, Version } from '../schema.ts'

export type Operation = 'read' | 'write' | 'create' | 'unlink'

export const OPERATIONS: readonly Operation[] = ['read', 'write', 'create', 'unlink']

/** Models an internal user without Sales or Inventory rights may read (and none it may change). */
const READABLE_BY_LIMITED = new Set(['res.partner', 'res.users', 'res.company', 'res.country', 'res.country.state', 'res.currency', 'crm.team', 'crm.tag', 'mail.message', 'ir.model.fields'])

/** The groups an AccessError lists, as the recorded servers listed them. */
function groupsFor(version: Version, model: string): string[] {
  switch (model) {
    case 'sale.order':
      return version === 19
        ? ['Accounting/Invoicing', 'Inventory/User', 'Sales/Administrator', 'Sales/User: Own Documents Only', 'Role / Portal', 'Show Accounting Features - Readonly', 'Show Full Accounting Features']
        : ['Inventory/User', version <= 17 ? 'Invoicing/Billing' : 'Invoicing/Invoicing', 'Sales/Administrator', 'Sales/User: Own Documents Only', 'Technical/Show Accounting Features - Readonly', 'Technical/Show Full Accounting Features', 'User types/Portal']
    case 'res.partner':
      return [version === 19 ? 'Contact/Creation' : 'Extra Rights/Contact Creation', 'Inventory/Administrator', 'Sales/Administrator']
    case 'stock.picking':
      return ['Inventory/User']
    default:
      return ['Administration/Settings']
  }
}

export function hasAccess(role: Role, model: string, operation: Operation): boolean {
  return role === 'admin' || (operation === 'read' && READABLE_BY_LIMITED.has(model))
}

export function checkAccess(version: Version, role: Role, def: ModelDef, operation: Operation): void {
  if (!hasAccess(role, def.name, operation)) throw accessError(def.description, def.name, operation, groupsFor(version, def.name))
}
