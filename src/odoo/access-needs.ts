import { OdooError } from './errors.ts'
import type { AccessOperation, OdooGateway } from './gateway.ts'

/** What the service does with Odoo, each needing some access rights of its Odoo user. */
export type OdooFeature = 'sync' | 'redaction' | 'rights requests' | 'privacy tags'

export interface OdooAccessNeed {
  model: string
  operation: AccessOperation
  /** The features that fail without it. */
  features: readonly OdooFeature[]
  /** What the service does with it, for people reading `odoo check`. */
  why: string
}

/**
 * Every access right the service's calls need, from every model the gateway is called with: the
 * single list `odoo check` tests, `odoo setup` grants (and nothing more), the readiness probe and
 * the redaction job look at. Add a line here when code starts calling a model or an operation.
 */
export const ODOO_ACCESS_NEEDS: readonly OdooAccessNeed[] = [
  { model: 'sale.order', operation: 'read', features: ['sync'], why: 'mirror orders, find deleted ones' },
  { model: 'stock.picking', operation: 'read', features: ['sync'], why: 'shipping dates from the deliveries' },
  { model: 'crm.tag', operation: 'read', features: ['sync'], why: 'channels from order tags' },
  { model: 'res.partner', operation: 'read', features: ['sync', 'redaction', 'rights requests'], why: 'mirror contacts, check them before redaction, find a requester' },
  { model: 'res.partner', operation: 'write', features: ['redaction', 'rights requests', 'privacy tags'], why: 'redact, rectify and tag contacts' },
  { model: 'res.company', operation: 'read', features: ['sync', 'redaction'], why: "spare the seller's own company" },
  { model: 'res.users', operation: 'read', features: ['redaction'], why: "spare Odoo users' contacts" },
  { model: 'mail.message', operation: 'read', features: ['redaction'], why: "find the contacts' chatter" },
  { model: 'mail.tracking.value', operation: 'read', features: ['redaction'], why: 'find old names, addresses and phones in the chatter' },
  { model: 'mail.tracking.value', operation: 'unlink', features: ['redaction'], why: 'delete them from the chatter' },
  { model: 'res.partner.category', operation: 'read', features: ['privacy tags'], why: 'find the Privacy: … contact tags' },
  { model: 'res.partner.category', operation: 'create', features: ['privacy tags'], why: 'create them the first time' },
]

/** The needs of one feature. */
export const accessNeedsOf = (feature: OdooFeature): OdooAccessNeed[] => ODOO_ACCESS_NEEDS.filter((need) => need.features.includes(feature))

export const describeNeed = (need: Pick<OdooAccessNeed, 'model' | 'operation'>): string => `${need.operation} ${need.model}`

/**
 * The needs the configured user lacks, asked of Odoo. A model the server does not have (its app
 * is not installed) counts as lacking; Odoo being unreachable or refusing the login is thrown.
 */
export async function missingOdooRights(gateway: OdooGateway, needs: readonly OdooAccessNeed[]): Promise<OdooAccessNeed[]> {
  const granted = await Promise.all(
    needs.map((need) =>
      gateway.hasAccess(need.model, need.operation).catch((error: unknown) => {
        if (error instanceof OdooError && !error.transient && error.kind !== 'auth') return false
        throw error
      })
    )
  )
  return needs.filter((_, i) => !granted[i])
}
