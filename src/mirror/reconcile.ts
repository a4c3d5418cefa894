import type { AuditTrail } from '../audit/audit-trail.ts'
import type { Clock } from '../clock.ts'
import type { Pool } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import type { OdooGateway } from '../odoo/gateway.ts'
import { liveOrderIdsAfter, markOrdersDeleted } from './mirror-store.ts'
import { liveContactIdsAfter, markPartnersDeleted } from './partner-store.ts'

const CHUNK = 1000

export interface ReconcileCounts {
  checked: number
  deleted: number
}

/**
 * Finds orders deleted in Odoo: an incremental walk never sees a deletion, so the mirror's ids
 * are checked against Odoo's in chunks, and those Odoo no longer has are marked deleted.
 */
export async function reconcileDeletedOrders(deps: { pool: Pool; odoo: OdooGateway; clock: Clock }): Promise<ReconcileCounts> {
  let after = 0
  let checked = 0
  let deleted = 0
  for (;;) {
    const ids = await liveOrderIdsAfter(deps.pool, after, CHUNK)
    if (ids.length === 0) return { checked, deleted }
    const present = await deps.odoo.searchRead('sale.order', [['id', 'in', ids]], { fields: ['id'] })
    const last = ids[ids.length - 1] as number
    deleted += await markOrdersDeleted(deps.pool, { from: after, to: last }, present.map((r) => r.id), deps.clock.now())
    checked += ids.length
    after = last
  }
}

/** The same for contacts: those Odoo no longer has (archived ones it still has) are forgotten. */
export async function reconcileDeletedContacts(deps: { pool: Pool; odoo: OdooGateway; audit: AuditTrail; clock: Clock }): Promise<ReconcileCounts> {
  let after = 0
  let checked = 0
  let deleted = 0
  for (;;) {
    const ids = await liveContactIdsAfter(deps.pool, after, CHUNK)
    if (ids.length === 0) return { checked, deleted }
    const present = new Set((await deps.odoo.searchRead('res.partner', [['id', 'in', ids]], { fields: ['id'], context: { active_test: false } })).map((r) => r.id))
    deleted += (await forgetDeletedContacts(deps, ids.filter((id) => !present.has(id)))).length
    checked += ids.length
    after = ids[ids.length - 1] as number
  }
}

/** Marks contacts Odoo deleted, destroys their sealed values in the mirror, and audits once per contact. */
export async function forgetDeletedContacts(deps: { pool: Pool; audit: AuditTrail; clock: Clock }, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return []
  return inTransaction(deps.pool, async (db) => {
    const forgotten = await markPartnersDeleted(db, ids, deps.clock.now())
    await deps.audit.recordMany(forgotten.map((id) => ({ actor: 'system' as const, action: 'partner.deleted_in_odoo', subject: { type: 'partner', id } })), db)
    return forgotten
  })
}

/** Both reconciliations, for the nightly job. */
export async function reconcileDeletedRecords(deps: { pool: Pool; odoo: OdooGateway; audit: AuditTrail; clock: Clock }): Promise<{ orders: ReconcileCounts; contacts: ReconcileCounts }> {
  return { orders: await reconcileDeletedOrders(deps), contacts: await reconcileDeletedContacts(deps) }
}
