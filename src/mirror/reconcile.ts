import type { Clock } from '../clock.ts'
import type { Pool } from '../db/database.ts'
import type { OdooGateway } from '../odoo/gateway.ts'
import { markOrdersDeleted } from './mirror-store.ts'

const CHUNK = 1000

/**
 * Finds orders deleted in Odoo: an incremental walk never sees a deletion, so the mirror's ids
 * are checked against Odoo's in chunks, and those Odoo no longer has are marked deleted.
 */
export async function reconcileDeletedOrders(deps: { pool: Pool; odoo: OdooGateway; clock: Clock }): Promise<{ checked: number; deleted: number }> {
  let after = 0
  let checked = 0
  let deleted = 0
  for (;;) {
    const chunk = await deps.pool.query<{ odoo_id: number }>(
      'SELECT odoo_id FROM mirror_orders WHERE odoo_id > $1 AND deleted_at IS NULL ORDER BY odoo_id LIMIT $2',
      [after, CHUNK]
    )
    const ids = chunk.rows.map((r) => r.odoo_id)
    if (ids.length === 0) return { checked, deleted }
    const present = await deps.odoo.searchRead('sale.order', [['id', 'in', ids]], { fields: ['id'] })
    const last = ids[ids.length - 1] as number
    deleted += await markOrdersDeleted(deps.pool, { from: after, to: last }, present.map((r) => r.id), deps.clock.now())
    checked += ids.length
    after = last
  }
}
