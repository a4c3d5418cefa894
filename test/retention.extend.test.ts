import t from 'tap'
import { createPool } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import { extendContactRetention } from '../src/mirror/partner-store.ts'
import { createTestDatabase } from './support/database.ts'
import { capturedLogger } from './support/logs.ts'

const { log } = capturedLogger()
const day = (n: number) => new Date(Date.UTC(2026, 11, n))

await t.test('new orders extend a repeat customer\'s retention where that is exact, and leave the rest to its orders', async (t) => {
  const url = await createTestDatabase(t)
  await migrate(url, log)
  const pool = createPool(url, 2, log)
  t.teardown(() => pool.end())
  const contact = (id: number, due: Date | null, fields: string[] | null, extra = '') =>
    pool.query(`INSERT INTO mirror_partners (odoo_id, fingerprint, synced_at, retention_due_at, redaction_fields${extra ? ', ' + extra : ''}) VALUES ($1, 'f', now(), $2, $3${extra ? ', now()' : ''})`, [id, due, fields])
  await contact(1, day(10), ['name', 'street']) // a later order: due later, fields joined
  await contact(2, day(10), ['name', 'street']) // an order without a clock: due never, for now
  await contact(3, day(10), ['name', 'street', 'email']) // an earlier order naming no new field: nothing moves
  await contact(4, day(10), ['name']) // an earlier order naming a new field: the older order still decides
  await contact(5, null, ['name']) // an order without a clock: still due never
  await contact(6, null, null) // never planned (mirrored by a rights request)
  await contact(9, null, []) // planned without orders (they were deleted): due with the new ones
  await contact(7, day(10), ['name'], 'redacted_at')
  await contact(8, day(10), ['name'])
  await pool.query("UPDATE mirror_partners SET erasure_request_id = 'r1' WHERE odoo_id = 8")
  // Contact 4's due date is its invoice address's order's.
  const basis = { channel: 'etsy', policyVersion: 3, startedBy: 'shipped' }
  await pool.query("INSERT INTO mirror_orders (odoo_id, name, channel, state, partner_id, partner_invoice_id, retention_due_at, retention_basis, synced_at) VALUES (1, 'S1', 'etsy', 'sale', 40, 4, $1, $2, now())", [day(10), basis])

  const result = await extendContactRetention(pool, [
    { id: 1, dueAt: day(20), fields: ['email', 'name'] },
    { id: 2, dueAt: null, fields: ['phone'] },
    { id: 3, dueAt: day(5), fields: ['email'] },
    { id: 4, dueAt: day(5), fields: ['street'] },
    { id: 5, dueAt: day(20), fields: ['name'] },
    { id: 6, dueAt: day(20), fields: ['name'] },
    { id: 7, dueAt: day(20), fields: ['phone'] },
    { id: 8, dueAt: day(20), fields: ['phone'] },
    { id: 9, dueAt: day(20), fields: ['zip'] }
  ])
  t.same(result.moved.sort((a, b) => a.partnerId - b.partnerId), [
    { partnerId: 1, dueAt: day(20) },
    { partnerId: 2, dueAt: null },
    { partnerId: 4, dueAt: day(10), olderBasis: basis },
    { partnerId: 9, dueAt: day(20) }
  ], 'with the rule of the older order where one still decides')
  t.same(result.unsettled, [6], 'a contact never planned is left to its orders')
  const rows = (await pool.query<{ odoo_id: number; retention_due_at: Date | null; redaction_fields: string[] | null }>('SELECT odoo_id, retention_due_at, redaction_fields FROM mirror_partners ORDER BY odoo_id')).rows
  t.same(rows, [
    { odoo_id: 1, retention_due_at: day(20), redaction_fields: ['name', 'street', 'email'] },
    { odoo_id: 2, retention_due_at: null, redaction_fields: ['name', 'street', 'phone'] },
    { odoo_id: 3, retention_due_at: day(10), redaction_fields: ['name', 'street', 'email'] },
    { odoo_id: 4, retention_due_at: day(10), redaction_fields: ['name', 'street'] },
    { odoo_id: 5, retention_due_at: null, redaction_fields: ['name'] },
    { odoo_id: 6, retention_due_at: null, redaction_fields: null },
    { odoo_id: 7, retention_due_at: day(10), redaction_fields: ['name'] },
    { odoo_id: 8, retention_due_at: day(10), redaction_fields: ['name'] },
    { odoo_id: 9, retention_due_at: day(20), redaction_fields: ['zip'] }
  ], 'fields kept in the order policies name them; redacted contacts and granted erasures untouched')
})
