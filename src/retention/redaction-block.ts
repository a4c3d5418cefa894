import { z } from 'zod'
import type { Clock } from '../clock.ts'
import type { Pool } from '../db/database.ts'
import { accessNeedsOf, describeNeed, missingOdooRights } from '../odoo/access-needs.ts'
import { OdooAccessError } from '../odoo/errors.ts'
import type { OdooGateway } from '../odoo/gateway.ts'

export const redactionBlockSchema = z
  .object({
    reason: z.literal('odoo_rights_missing'),
    missingRights: z.array(z.string()).describe('Operation and model, e.g. `unlink mail.tracking.value`: `privacy-bridge odoo setup` grants them.'),
    since: z.date(),
    checkedAt: z.date().describe('When a batch last found them missing.')
  })
  .meta({ id: 'RedactionBlock' })
export type RedactionBlock = z.infer<typeof redactionBlockSchema>

/**
 * A batch was not started because Odoo would refuse part of it. Half a redaction is worse than
 * none: a contact written but with its old values left in the chatter looks redacted and is not.
 * An access error, so an erasure asked through the API answers 502 naming what is missing.
 */
export class RedactionBlockedError extends OdooAccessError {
  override name = 'RedactionBlockedError'
  readonly missingRights: readonly string[]

  constructor(missingRights: readonly string[]) {
    super(`Redaction did not start: the Odoo user lacks ${missingRights.join(', ')}. Run \`privacy-bridge odoo setup\` with an administrator's API key (\`privacy-bridge odoo check\` lists every right).`)
    this.missingRights = missingRights
  }
}

/**
 * Asks Odoo whether the user holds every right redaction needs. Records the block (and throws
 * RedactionBlockedError) when not, clears a recorded one when so.
 */
export async function ensureRedactionRights(deps: { pool: Pool; odoo: OdooGateway; clock: Clock }): Promise<void> {
  const missing = (await missingOdooRights(deps.odoo, accessNeedsOf('redaction'))).map(describeNeed)
  if (missing.length === 0) {
    await deps.pool.query('DELETE FROM redaction_block')
    return
  }
  await deps.pool.query(
    `INSERT INTO redaction_block (reason, missing_rights, since, checked_at) VALUES ('odoo_rights_missing', $1, $2, $2)
     ON CONFLICT (singleton) DO UPDATE SET missing_rights = EXCLUDED.missing_rights, checked_at = EXCLUDED.checked_at`,
    [JSON.stringify(missing), deps.clock.now()]
  )
  throw new RedactionBlockedError(missing)
}

export async function currentRedactionBlock(pool: Pool): Promise<RedactionBlock | null> {
  const result = await pool.query<{ reason: 'odoo_rights_missing'; missing_rights: string[]; since: Date; checked_at: Date }>('SELECT reason, missing_rights, since, checked_at FROM redaction_block')
  const row = result.rows[0]
  return row ? { reason: row.reason, missingRights: row.missing_rights, since: row.since, checkedAt: row.checked_at } : null
}
