import t from 'tap'
import type { Test } from 'tap'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import type { OdooSimulator } from './odoo-simulator/index.ts'
import { LEGACY_PII_COLUMNS, SEALED_PARTNER_COLUMNS } from '../src/mirror/partner-store.ts'
import { reconcileDeletedRecords } from '../src/mirror/reconcile.ts'
import { contactBlindIndexes, openContactPii, sealContactPii } from '../src/mirror/sealed-partner.ts'
import { foldLegacyContactPii, mirrorContactStore } from '../src/mirror/rotate-data-key.ts'
import type { ContactPii } from '../src/mirror/sealed-partner.ts'
import { createPiiCipher } from '../src/crypto/pii-cipher.ts'
import { findStaleData, rotateSealedData } from '../src/crypto/data-rotation.ts'
import { TEST_PII_KEY } from './support/config.ts'
import { maskEmail } from '../src/mirror/masking.ts'

const SECOND = 1000

type Ctx = TestService & { sim: OdooSimulator }
type PartnerRow = { fingerprint: string; holds_pii: boolean; redacted_at: Date | null; deleted_at: Date | null }
type DueContact = { odoo_id: number; retention_due_at: Date }

async function setUp(t: Test): Promise<Ctx> {
  const clock = fixedClock(new Date())
  const sim = await simulator(t, { orders: 60, now: () => clock.now() })
  const ctx = await startTestService(t, { odoo: sim, clock })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  return { ...ctx, sim }
}

/** The contact's columns that hold personal data (sealed values, blind indexes), with what is still in them. */
async function heldValues(ctx: Ctx, id: number): Promise<Record<string, unknown>> {
  const columns = [...SEALED_PARTNER_COLUMNS, ...LEGACY_PII_COLUMNS]
  const row = (await ctx.pool.query<Record<string, string | null>>(`SELECT ${columns.join(', ')} FROM mirror_partners WHERE odoo_id = $1`, [id])).rows[0]
  if (!row) throw new Error(`contact ${id} is not mirrored`)
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null))
}

async function partnerRow(ctx: Ctx, id: number): Promise<PartnerRow> {
  const row = (await ctx.pool.query<PartnerRow>('SELECT * FROM mirror_partners WHERE odoo_id = $1', [id])).rows[0]
  if (!row) throw new Error(`contact ${id} is not mirrored`)
  return row
}

/** A new customer in Odoo, mirrored as a rights request's discovery mirrors contacts. */
async function mirroredContact(ctx: Ctx, name: string): Promise<number> {
  const slug = name.toLowerCase().replace(/\W+/g, '.')
  const id = ctx.sim.store.create('res.partner', { name, email: `${slug}@example.org`, phone: '+49 30 1234567', street: 'Hauptstraße 7', city: 'Berlin', zip: '10115' })
  await ctx.service.orderSync.mirrorContacts([id])
  return id
}

await t.test('a redacted contact keeps no sealed value or blind index, also after Odoo is read again', async (t) => {
  const ctx = await setUp(t)
  const due = (await ctx.pool.query<DueContact>("SELECT odoo_id, retention_due_at FROM mirror_partners WHERE retention_due_at IS NOT NULL AND NOT is_user AND NOT is_company_partner AND email_index IS NOT NULL AND phone_index IS NOT NULL ORDER BY odoo_id LIMIT 1")).rows[0]
  if (!due) throw new Error('no due contact with an e-mail and a phone')
  const before = await partnerRow(ctx, due.odoo_id)
  ctx.clock.set(new Date(due.retention_due_at.getTime() + SECOND))
  t.same((await ctx.service.redact([due.odoo_id])).redacted, [due.odoo_id])
  t.same(await heldValues(ctx, due.odoo_id), {}, 'nothing held after the redaction')

  // The redaction moved the contact's write_date in Odoo: the next sync reads its placeholder name.
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  const after = await partnerRow(ctx, due.odoo_id)
  t.not(after.fingerprint, before.fingerprint, 'the redacted contact was read from Odoo again')
  t.ok(after.redacted_at, 'and stays redacted')
  t.same(await heldValues(ctx, due.odoo_id), {}, 'the placeholder name is not sealed as if it were personal data')
})

await t.test('a policy that redacts some fields still leaves none of the contact\'s sealed values in the mirror', async (t) => {
  const ctx = await setUp(t)
  const changed = await ctx.app.inject({ method: 'PUT', url: '/v1/retention/policies/shopify', headers: ctx.auth.admin, payload: { clockEvent: 'order_date', periodDays: 90, fields: ['name', 'street'] } })
  t.equal(changed.statusCode, 200, changed.body)
  const due = (await ctx.pool.query<DueContact>("SELECT odoo_id, retention_due_at FROM mirror_partners WHERE redaction_fields = '{name,street}' AND retention_due_at IS NOT NULL AND NOT is_user AND NOT is_company_partner AND email_index IS NOT NULL ORDER BY odoo_id LIMIT 1")).rows[0]
  if (!due) throw new Error('no due Shopify contact with an e-mail')
  ctx.clock.set(new Date(due.retention_due_at.getTime() + SECOND))
  t.same((await ctx.service.redact([due.odoo_id])).redacted, [due.odoo_id])
  t.ok(ctx.sim.store.get('res.partner', due.odoo_id)?.email, 'Odoo keeps what the policy does not redact')
  t.same(await heldValues(ctx, due.odoo_id), {}, 'the mirror keeps none of it')
})

await t.test('a contact deleted in Odoo is forgotten by the mirror when its webhook arrives', async (t) => {
  const ctx = await setUp(t)
  const id = await mirroredContact(ctx, 'Erika Mustermann')
  t.match(await heldValues(ctx, id), { pii: /^v1\./, email_index: String, phone_index: String }, 'held while Odoo has the contact')
  ctx.sim.store.remove('res.partner', id)
  t.equal(await ctx.service.orderSync.syncRecord('res.partner', id), 'deleted')
  t.same(await heldValues(ctx, id), {})
  t.match(await partnerRow(ctx, id), { deleted_at: Date, holds_pii: false })
  t.match(await ctx.service.audit.list({ action: 'partner.deleted_in_odoo', limit: 5 }), [{ subjectType: 'partner', subjectId: String(id) }])
  t.equal(await ctx.service.orderSync.syncRecord('res.partner', id), 'ignored', 'a second notice changes nothing')
})

await t.test('the nightly reconciliation forgets contacts Odoo deleted, and keeps archived ones', async (t) => {
  const ctx = await setUp(t)
  const deleted = await mirroredContact(ctx, 'Max Mustermann')
  const archived = await mirroredContact(ctx, 'Anna Schmidt')
  ctx.sim.store.remove('res.partner', deleted)
  ctx.sim.store.update('res.partner', archived, { active: false })
  const contacts = Number((await ctx.pool.query<{ count: string }>('SELECT count(*) FROM mirror_partners')).rows[0]?.count)
  t.match(await reconcileDeletedRecords(ctx.service), { orders: { deleted: 0 }, contacts: { checked: contacts, deleted: 1 } })
  t.same(await heldValues(ctx, deleted), {})
  t.ok((await partnerRow(ctx, deleted)).deleted_at)
  t.match(await heldValues(ctx, archived), { pii: /^v1\./ }, 'an archived contact still exists in Odoo')
  t.equal((await partnerRow(ctx, archived)).deleted_at, null)
  t.equal((await ctx.service.audit.list({ action: 'partner.deleted_in_odoo', limit: 5 })).length, 1)
})

await t.test('contacts sealed field by field before `pii` are folded into it when the service starts', async (t) => {
  const ctx = await setUp(t)
  const cipher = ctx.service.cipher
  const rows = (await ctx.pool.query<{ odoo_id: number; pii: string }>(
    "SELECT odoo_id, pii FROM mirror_partners WHERE email_index IS NOT NULL AND NOT is_company_partner ORDER BY odoo_id LIMIT 4"
  )).rows
  const [first, second] = rows
  if (!first || !second) throw new Error('too few contacts with an e-mail')
  const fields = new Map(rows.map((row) => [row.odoo_id, openContactPii(cipher, row.odoo_id, row.pii)]))
  for (const row of rows) await sealFieldByField(ctx, row.odoo_id, fields.get(row.odoo_id) ?? {})
  // A sync that wrote `pii` after the old values: its `pii` is the current one.
  await ctx.pool.query("UPDATE mirror_partners SET pii = $2 WHERE odoo_id = $1", [second.odoo_id, sealContactPii(cipher, second.odoo_id, { name: 'Newer Name', email: 'newer@example.org' })])

  const restarted = await startTestService(t, { odoo: ctx.sim, clock: ctx.clock, databaseUrl: ctx.databaseUrl })
  for (const row of rows) {
    const { pii, email_index, phone_index, mobile_index, ...perField } = await heldValues(ctx, row.odoo_id)
    t.same(perField, {}, `contact ${row.odoo_id}: no per-field value left`)
    const expected = (row.odoo_id === second.odoo_id ? { name: 'Newer Name', email: 'newer@example.org' } : fields.get(row.odoo_id)) ?? {}
    t.same(openContactPii(cipher, row.odoo_id, String(pii)), expected, 'one sealed value with every field')
    const indexes = contactBlindIndexes(cipher, expected)
    t.same({ email_index, phone_index, mobile_index }, { email_index: indexes.emailIndex, phone_index: indexes.phoneIndex ?? undefined, mobile_index: indexes.mobileIndex ?? undefined }, 'blind indexes of those fields')
  }
  t.match(restarted.logs(), /"contacts":4,"msg":"per-field sealed contact values folded/)
  const order = (await ctx.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_orders WHERE partner_id = $1 LIMIT 1', [first.odoo_id])).rows[0]
  const view = await restarted.app.inject({ method: 'GET', url: `/v1/orders/${String(order?.odoo_id)}`, headers: restarted.auth.agent })
  t.equal(view.json<{ customer: { email: string } }>().customer.email, maskEmail(String(fields.get(first.odoo_id)?.email)), 'the order view opens the folded value')
  t.equal(await foldLegacyContactPii({ pool: ctx.pool, cipher, log: ctx.service.log }), 0, 'nothing is left to fold')
})

await t.test('a key rotation counts per-field values under the old key as stale, and folds them', async (t) => {
  const ctx = await setUp(t)
  const oldKey = ctx.service.cipher
  const rotating = createPiiCipher({ current: Buffer.alloc(32, 99), previous: [Buffer.from(TEST_PII_KEY, 'base64')] })
  const row = (await ctx.pool.query<{ odoo_id: number; pii: string }>('SELECT odoo_id, pii FROM mirror_partners WHERE email_index IS NOT NULL AND NOT is_company_partner ORDER BY odoo_id LIMIT 1')).rows[0]
  if (!row) throw new Error('no contact with an e-mail')
  const pii = openContactPii(oldKey, row.odoo_id, row.pii)
  await sealFieldByField(ctx, row.odoo_id, pii)
  const sealed = Number((await ctx.pool.query<{ n: string }>('SELECT count(*) AS n FROM mirror_partners WHERE pii IS NOT NULL')).rows[0]?.n)

  const before = await findStaleData({ pool: ctx.pool, cipher: rotating }, [mirrorContactStore])
  t.same(before.stores[0]?.staleByKey, { [oldKey.currentKeyId]: sealed + Object.keys(pii).length }, 'every contact\'s value, and each per-field value, under the old key')
  await rotateSealedData({ pool: ctx.pool, cipher: rotating }, [mirrorContactStore])
  t.ok((await findStaleData({ pool: ctx.pool, cipher: rotating }, [mirrorContactStore])).clean, 'nothing left for the old key')
  const { pii: folded, email_index: emailIndex, ...perField } = await heldValues(ctx, row.odoo_id)
  t.same(openContactPii(createPiiCipher({ current: Buffer.alloc(32, 99) }), row.odoo_id, String(folded)), pii, 'folded under the new key alone')
  t.equal(emailIndex, rotating.blindIndex('email', String(pii.email)))
  t.notOk(Object.keys(perField).some((column) => (LEGACY_PII_COLUMNS as readonly string[]).includes(column)), 'no per-field value left')
})

/** A contact as the service wrote it before `pii`: each field sealed in its own place. */
async function sealFieldByField(ctx: Ctx, id: number, pii: ContactPii): Promise<void> {
  const legacy = LEGACY_PII_COLUMNS.map((field) => (pii[field] === undefined ? null : ctx.service.cipher.seal(pii[field], `partner:${id}:${field}`)))
  await ctx.pool.query(`UPDATE mirror_partners SET pii = NULL, ${LEGACY_PII_COLUMNS.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE odoo_id = $1`, [id, ...legacy])
}
