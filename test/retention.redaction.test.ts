import t from 'tap'
import type { Test } from 'tap'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import type { OdooSimulator } from './odoo-simulator/index.ts'
import { REDACTED_NAME } from '../src/mirror/odoo-records.ts'
import { companyPartnersMemo } from '../src/retention/redaction.ts'
import type { OdooGateway } from '../src/odoo/gateway.ts'

const SECOND = 1000
const DAY = 86_400_000

async function setUp(t: Test, options: { orders?: number; env?: Record<string, string> } = {}): Promise<TestService & { sim: OdooSimulator }> {
  // Odoo's clock and the service's are the same clock, moved by the test.
  const clock = fixedClock(new Date())
  const sim = await simulator(t, { orders: options.orders ?? 40, now: () => clock.now() })
  const ctx = await startTestService(t, { odoo: sim, clock, env: options.env })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  return { ...ctx, sim }
}

/** The columns of a mirrored contact the tests read. */
interface MirroredPartner {
  pii: string | null
  email_index: string | null
  country: string | null
  retention_due_at: Date | null
  redacted_at: Date | null
  redaction_failure: Record<string, unknown> | null
}

/** The dates of a mirrored order its due date is computed from, and that due date. */
interface MirroredOrderDates {
  channel: string
  // Odoo requires an order's date.
  order_date: Date
  shipped_at: Date | null
  completed_at: Date | null
  cancelled_at: Date | null
  retention_due_at: Date | null
  retention_basis: { startedBy: string } | null
}

async function partnerRow(ctx: TestService, id: number): Promise<MirroredPartner> {
  const row = (await ctx.pool.query<MirroredPartner>('SELECT * FROM mirror_partners WHERE odoo_id = $1', [id])).rows[0]
  if (!row) throw new Error(`contact ${id} is not in the mirror`)
  return row
}

async function orderRow(ctx: TestService, id: number): Promise<MirroredOrderDates> {
  const row = (await ctx.pool.query<MirroredOrderDates>('SELECT * FROM mirror_orders WHERE odoo_id = $1', [id])).rows[0]
  if (!row) throw new Error(`order ${id} is not in the mirror`)
  return row
}

/** A contact all of whose orders are due at some time, with that time. */
async function duePartner(ctx: TestService, channel?: string): Promise<{ id: number; dueAt: Date }> {
  const row = (
    await ctx.pool.query<{ odoo_id: number; retention_due_at: Date }>(
      `SELECT p.odoo_id, p.retention_due_at FROM mirror_partners p WHERE p.retention_due_at IS NOT NULL AND NOT p.is_user AND NOT p.is_company_partner
         AND ($1::text IS NULL OR EXISTS (SELECT 1 FROM mirror_orders o WHERE o.channel = $1 AND p.odoo_id IN (o.partner_id, o.partner_shipping_id, o.partner_invoice_id)))
       ORDER BY p.odoo_id LIMIT 1`,
      [channel ?? null]
    )
  ).rows[0]
  if (!row) throw new Error(`no contact with a due date${channel ? ` on ${channel}` : ''}`)
  return { id: row.odoo_id, dueAt: row.retention_due_at }
}

const writes = (sim: OdooSimulator) => sim.calls.filter((c) => c.model === 'res.partner' && c.method === 'write')

await t.test('each order gets the due date of its channel policy', async (t) => {
  const ctx = await setUp(t, { orders: 60 })
  const { rows } = await ctx.pool.query<MirroredOrderDates>('SELECT channel, order_date, shipped_at, completed_at, cancelled_at, retention_due_at, retention_basis FROM mirror_orders')
  const expectations: Record<string, (o: MirroredOrderDates) => Date | null> = {
    amazon: (o) => (o.shipped_at ? new Date(o.shipped_at.getTime() + 30 * DAY) : o.cancelled_at ? new Date(o.cancelled_at.getTime() + 30 * DAY) : null),
    tiktok_shop: (o) => new Date(o.order_date.getTime() + 30 * DAY),
    etsy: (o) => o.completed_at ?? o.cancelled_at ?? null,
    shopify: (o) => new Date(o.order_date.getTime() + 90 * DAY),
    ebay: (o) => new Date(o.order_date.getTime() + 90 * DAY),
    bol: (o) => new Date(o.order_date.getTime() + 90 * DAY),
    other: (o) => new Date(o.order_date.getTime() + 90 * DAY)
  }
  const wrong = rows.filter((o) => (expectations[o.channel]?.(o)?.getTime() ?? null) !== (o.retention_due_at?.getTime() ?? null))
  t.same(wrong, [], 'every due date follows its policy')
  t.ok(rows.some((o) => o.retention_basis?.startedBy === 'cancelled'), 'some cancelled orders count from their cancellation')
})

for (const channel of ['amazon', 'tiktok_shop', 'etsy', 'shopify', 'ebay', 'bol'] as const) {
  await t.test(`${channel}: nothing is redacted a second before it is due; it is a second after`, async (t) => {
    const ctx = await setUp(t, { orders: 60 })
    const { id, dueAt } = await duePartner(ctx, channel)
    ctx.clock.set(new Date(dueAt.getTime() - SECOND))
    const early = await ctx.service.redact([id])
    t.same(early.redacted, [])
    t.notOk((await partnerRow(ctx, id)).redacted_at)
    t.equal(writes(ctx.sim).length, 0, 'Odoo was not written')
    ctx.clock.set(new Date(dueAt.getTime() + SECOND))
    const due = await ctx.service.redact([id])
    t.same(due.redacted, [id])
    const odoo = ctx.sim.store.get('res.partner', id)
    t.equal(odoo?.name, REDACTED_NAME)
    t.equal(odoo?.email, false)
    t.equal(odoo?.street, false)
    t.equal(odoo?.phone, false)
    t.ok(odoo?.country_id, 'the country stays')
    const mirrored = await partnerRow(ctx, id)
    t.ok(mirrored.redacted_at)
    t.equal(mirrored.pii, null)
    t.equal(mirrored.email_index, null)
    t.ok(mirrored.country, 'the country stays in the mirror')
  })
}

await t.test('the audit entry of a redaction explains it: channel, policy version, clock event, its date and the due date', async (t) => {
  const ctx = await setUp(t, { orders: 60 })
  // A contact of one shipped Amazon order and no other.
  const only = (await ctx.pool.query<{ odoo_id: number; retention_due_at: Date; shipped_at: Date }>(
    `SELECT p.odoo_id, p.retention_due_at, min(o.shipped_at) AS shipped_at FROM mirror_partners p JOIN mirror_orders o ON p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id)
      WHERE p.retention_due_at IS NOT NULL AND NOT p.is_user AND NOT p.is_company_partner
      GROUP BY p.odoo_id HAVING count(*) = 1 AND bool_and(o.channel = 'amazon' AND o.shipped_at IS NOT NULL) ORDER BY p.odoo_id LIMIT 1`
  )).rows[0]
  if (!only) throw new Error('no contact of one shipped Amazon order')
  const [id, dueAt, shipped] = [only.odoo_id, only.retention_due_at, only.shipped_at]
  ctx.clock.set(new Date(dueAt.getTime() + SECOND))
  t.same((await ctx.service.redact([id])).redacted, [id])
  const [entry] = await ctx.service.audit.list({ action: 'partner.redacted', subjectId: String(id), limit: 1 })
  t.same(entry?.details.basis, { channel: 'amazon', policyVersion: 0, startedBy: 'shipped', eventAt: shipped.toISOString(), dueAt: dueAt.toISOString() })
  t.equal(new Date(shipped.getTime() + 30 * DAY).toISOString(), dueAt.toISOString(), '30 days after the shipment it names')
})

await t.test('a shipment arriving late starts the Amazon clock then', async (t) => {
  const ctx = await setUp(t, { orders: 60 })
  const pending = (await ctx.pool.query<{ odoo_id: number }>("SELECT odoo_id FROM mirror_orders WHERE channel = 'amazon' AND state = 'sale' AND shipped_at IS NULL ORDER BY odoo_id LIMIT 1")).rows[0]
  if (!pending) throw new Error('no unshipped Amazon order')
  t.equal((await orderRow(ctx, pending.odoo_id)).retention_due_at, null)
  const picking = ctx.sim.store.records('stock.picking').find((p) => p.sale_id === pending.odoo_id && p.state !== 'done')
  if (!picking) throw new Error('no open delivery')
  ctx.sim.store.validatePicking(picking.id, new Date('2026-11-20T09:00:00Z'))
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  t.same((await orderRow(ctx, pending.odoo_id)).retention_due_at, new Date('2026-12-20T09:00:00Z'))
})

await t.test('a contact shared with an order that is not due yet waits for it', async (t) => {
  const ctx = await setUp(t, { orders: 60 })
  const shared = (
    await ctx.pool.query<{ odoo_id: number }>(
      `SELECT p.odoo_id FROM mirror_partners p JOIN mirror_orders o ON p.odoo_id = o.partner_id
        GROUP BY p.odoo_id HAVING count(*) > 1 AND count(o.retention_due_at) > 0 AND count(o.retention_due_at) < count(*) LIMIT 1`
    )
  ).rows[0]
  if (!shared) throw new Error('no contact with a due and a not-due order')
  t.equal((await partnerRow(ctx, shared.odoo_id)).retention_due_at, null)
  ctx.clock.set(new Date(Date.now() + 3650 * DAY))
  t.same((await ctx.service.redact([shared.odoo_id])).redacted, [], 'not redacted, however late')
})

await t.test('the redaction leaves no copy of the old values in Odoo\'s chatter', async (t) => {
  const ctx = await setUp(t)
  const { id, dueAt } = await duePartner(ctx)
  const before = ctx.sim.store.get('res.partner', id)
  // An earlier edit made Odoo keep the old phone in the chatter, as real Odoo does.
  ctx.sim.store.update('res.partner', id, { phone: '+49 151 9999000' })
  const tracked = () => ctx.sim.store.records('mail.tracking.value').filter((v) => {
    const message = ctx.sim.store.get('mail.message', v.mail_message_id as number)
    return message?.model === 'res.partner' && message.res_id === id
  })
  t.ok(tracked().length > 0, 'the chatter holds the old phone before')
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  ctx.clock.set(new Date(dueAt.getTime() + SECOND))
  t.same((await ctx.service.redact([id])).redacted, [id])
  t.same(tracked(), [], 'no tracking values are left')
  const chatter = JSON.stringify([ctx.sim.store.records('mail.tracking.value'), ctx.sim.store.records('mail.message')])
  for (const old of [before?.phone, '+49 151 9999000', before?.street, before?.email]) t.notOk(chatter.includes(String(old)), `"${String(old)}" is nowhere in the chatter`)
  t.ok(writes(ctx.sim).every((call) => (call.context as Record<string, unknown> | undefined)?.tracking_disable === true), 'the write disabled tracking')
})

await t.test('a batch is one write; a contact Odoo refuses is isolated and reported, the others proceed', async (t) => {
  const ctx = await setUp(t, { orders: 60 })
  const due = (await ctx.pool.query<{ odoo_id: number; retention_due_at: Date }>("SELECT odoo_id, retention_due_at FROM mirror_partners WHERE retention_due_at IS NOT NULL AND NOT is_user AND NOT is_company_partner AND redaction_fields @> '{name,email}' ORDER BY odoo_id LIMIT 4")).rows
  t.equal(due.length, 4)
  ctx.clock.set(new Date(Math.max(...due.map((r) => r.retention_due_at.getTime())) + SECOND))
  const ids = due.map((r) => r.odoo_id)
  const [refused] = ids
  if (refused === undefined) throw new Error('no due contacts')
  // The batch write and then the first contact's own write are refused.
  ctx.sim.faults.odooFaultNext({ kind: 'ValidationError', times: 2, match: { model: 'res.partner', method: 'write' } })
  const report = await ctx.service.redact(ids)
  t.same(report.redacted.sort(), ids.slice(1).sort())
  t.match(report.failed, [{ partnerId: refused, kind: 'validation' }])
  t.match((await partnerRow(ctx, refused)).redaction_failure, { kind: 'validation' })
  const failedAudit = await ctx.service.audit.list({ action: 'partner.redaction_failed', limit: 10 })
  t.equal(failedAudit.length, 1)

  const writesBefore = writes(ctx.sim).length
  const others = (await ctx.pool.query<{ odoo_id: number }>("SELECT odoo_id FROM mirror_partners WHERE retention_due_at <= $1 AND redacted_at IS NULL AND redaction_failure IS NULL AND NOT is_user AND NOT is_company_partner AND redaction_fields @> '{name,email}'", [ctx.clock.now()])).rows.map((r) => r.odoo_id)
  if (others.length > 1) {
    await ctx.service.redact(others)
    const fieldSets = new Set((await ctx.pool.query<{ redaction_fields: string[] }>('SELECT redaction_fields FROM mirror_partners WHERE odoo_id = ANY($1::int[])', [others])).rows.map((r) => r.redaction_fields.join()))
    t.equal(writes(ctx.sim).length - writesBefore, fieldSets.size, 'one write per batch of contacts with the same fields')
  }
})

await t.test('redaction is idempotent: a second run changes nothing and audits nothing', async (t) => {
  const ctx = await setUp(t)
  const { id, dueAt } = await duePartner(ctx)
  ctx.clock.set(new Date(dueAt.getTime() + SECOND))
  await ctx.service.redact([id])
  const writesAfterFirst = writes(ctx.sim).length
  const again = await ctx.service.redact([id])
  t.same(again.redacted, [])
  t.equal(writes(ctx.sim).length, writesAfterFirst, 'no second write to Odoo')
  t.equal((await ctx.service.audit.list({ action: 'partner.redacted', subjectId: String(id), limit: 10 })).length, 1)
})

await t.test('a crash between the Odoo write and the mirror update is finished by the retry, audited once', async (t) => {
  const ctx = await setUp(t, { env: { ODOO_RETRIES: '0' } })
  const { id, dueAt } = await duePartner(ctx)
  ctx.clock.set(new Date(dueAt.getTime() + SECOND))
  // Odoo goes away after the write, before the mirror is updated: as if the worker died there.
  ctx.sim.faults.failNext({ status: 502, times: 1, match: { model: 'mail.tracking.value', method: 'search_read' } })
  const crash = await ctx.service.redact([id]).then(() => undefined, (error: unknown) => error)
  t.match(crash, { kind: 'unavailable' })
  t.equal(ctx.sim.store.get('res.partner', id)?.name, REDACTED_NAME, 'Odoo was written')
  t.equal((await partnerRow(ctx, id)).redacted_at, null, 'the mirror was not')
  ctx.sim.faults.clear()
  const retry = await ctx.service.redact([id])
  t.same(retry.redacted, [id])
  t.ok((await partnerRow(ctx, id)).redacted_at)
  t.equal((await ctx.service.audit.list({ action: 'partner.redacted', subjectId: String(id), limit: 10 })).length, 1)
})

await t.test("contacts of Odoo users and of the seller's company are never redacted, and are reported", async (t) => {
  const ctx = await setUp(t, { orders: 60 })
  const protectedIds = (await ctx.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE is_user OR is_company_partner')).rows.map((r) => r.odoo_id)
  t.ok(protectedIds.length > 0, 'the data set has orders of users or of the company')
  ctx.clock.set(new Date(Date.now() + 3650 * DAY))
  await ctx.pool.query('UPDATE mirror_partners SET retention_due_at = $2 WHERE odoo_id = ANY($1::int[])', [protectedIds, new Date()])
  const report = await ctx.service.redact(protectedIds)
  t.same(report.redacted, [])
  t.same(report.refused.sort(), protectedIds.sort())
  t.equal(writes(ctx.sim).length, 0)
  t.equal((await ctx.service.audit.list({ action: 'partner.redaction_refused', limit: 10 })).length, protectedIds.length)
})

await t.test('dry-run computes, queues and audits "would redact", and writes nothing to Odoo', async (t) => {
  const ctx = await setUp(t, { env: { RETENTION_MODE: 'dry-run' } })
  const { id, dueAt } = await duePartner(ctx)
  const before = ctx.sim.store.get('res.partner', id)
  ctx.clock.set(new Date(dueAt.getTime() + SECOND))
  const report = await ctx.service.redact([id])
  t.same(report.wouldRedact, [id])
  t.same(report.redacted, [])
  t.equal(writes(ctx.sim).length, 0)
  t.same(ctx.sim.store.get('res.partner', id), before, 'Odoo unchanged')
  t.notOk((await partnerRow(ctx, id)).redacted_at)
  t.equal((await ctx.service.audit.list({ action: 'partner.redaction_simulated', subjectId: String(id), limit: 10 })).length, 1)
  t.same((await ctx.service.redact([id])).wouldRedact, [], 'reported once')
})

await t.test('a repeat order that brings the data of a redacted contact back makes it due when the new order is, not at once', async (t) => {
  const ctx = await setUp(t)
  const { id, dueAt } = await duePartner(ctx)
  ctx.clock.set(new Date(dueAt.getTime() + SECOND))
  t.same((await ctx.service.redact([id])).redacted, [id])
  // The connector imports a TikTok Shop order of the same buyer and writes the buyer's data back into the contact.
  const team = ctx.sim.store.records('crm.team').find((row) => row.name === 'TikTok Shop')?.id as number
  const orderId = ctx.sim.store.create('sale.order', { partner_id: id, partner_invoice_id: id, partner_shipping_id: id, state: 'sale', team_id: team })
  ctx.sim.store.update('res.partner', id, { name: 'Back Again', email: 'back.again@example.com' })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  const order = await orderRow(ctx, orderId)
  t.equal(order.channel, 'tiktok_shop')
  t.same((await partnerRow(ctx, id)).retention_due_at, order.retention_due_at, 'due with the new order, 30 days after it')
  t.same((await ctx.service.redact([id])).redacted, [], 'not redacted on the old due date')
  t.equal(ctx.sim.store.get('res.partner', id)?.name, 'Back Again')
})

await t.test('a contact that gets personal data again after its redaction is due again', async (t) => {
  const ctx = await setUp(t)
  const { id, dueAt } = await duePartner(ctx)
  ctx.clock.set(new Date(dueAt.getTime() + SECOND))
  await ctx.service.redact([id])
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  t.ok((await partnerRow(ctx, id)).redacted_at, 'the placeholder read back is not personal data')
  ctx.sim.store.update('res.partner', id, { email: 'back.again@example.com' })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  t.equal((await partnerRow(ctx, id)).redacted_at, null)
  t.same((await ctx.service.redact([id])).redacted, [id])
})

await t.test("a drain's redactions search the seller's company partners once a minute, not for every batch; a failed search is not kept", async (t) => {
  let searches = 0
  let failNext = false
  const odoo = {
    searchRead: () => {
      searches++
      if (failNext) {
        failNext = false
        return Promise.reject(new Error('Odoo down'))
      }
      return Promise.resolve([{ id: 1, partner_id: [7, 'The shop'] }])
    }
  } as unknown as Pick<OdooGateway, 'searchRead'>
  const companyPartners = companyPartnersMemo(odoo)
  t.same([...(await companyPartners())], [7])
  t.same([...(await companyPartners())], [7])
  t.equal(searches, 1, 'searched once for two batches')

  failNext = true
  const failing = companyPartnersMemo(odoo)
  await t.rejects(failing(), /Odoo down/)
  t.same([...(await failing())], [7], 'the next batch searches again')
  t.equal(searches, 3)
})
