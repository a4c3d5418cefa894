import t from 'tap'
import { openContactPii } from '../src/mirror/sealed-partner.ts'
import type { Test } from 'tap'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import { queuedMail, sentCode } from './support/rights.ts'
import type { OdooSimulator } from './odoo-simulator/index.ts'
import type { Json } from './support/json.ts'
import { REDACTED_NAME } from '../src/mirror/odoo-records.ts'
import type { Problem } from '../src/http/schemas/problem.ts'
import type { ExportBundle } from '../src/rights/export-bundle.ts'
import type { RequestView } from '../src/rights/request-view.ts'

type Ctx = TestService & { sim: OdooSimulator }
type RequestBody = Json<RequestView>
interface RequestPage {
  items: RequestBody[]
  nextCursor: string | null
}

async function setUp(t: Test): Promise<Ctx> {
  const clock = fixedClock('2026-11-23T10:00:00Z')
  const sim = await simulator(t, { orders: 40, now: () => clock.now() })
  const ctx = await startTestService(t, { odoo: sim, clock })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  return { ...ctx, sim }
}

/** A customer of the simulated shop whose orders are all finished (nothing open), with their e-mail. */
async function customer(ctx: Ctx, options: { finished?: boolean } = {}): Promise<{ id: number; email: string }> {
  const rows = (await ctx.pool.query<{ odoo_id: number }>(
    `SELECT p.odoo_id FROM mirror_partners p WHERE p.type = 'contact' AND p.email_index IS NOT NULL AND NOT p.is_user AND NOT p.is_company_partner
        AND ($1 = false OR NOT EXISTS (SELECT 1 FROM mirror_orders o WHERE p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id) AND o.state <> 'cancel' AND o.completed_at IS NULL))
      ORDER BY p.odoo_id`,
    [options.finished ?? false]
  )).rows
  const row = rows[0]
  if (!row) throw new Error('no such customer in the generated data')
  return { id: row.odoo_id, email: String(ctx.sim.store.get('res.partner', row.odoo_id)?.email) }
}

async function create(ctx: Ctx, body: Record<string, unknown>): Promise<RequestBody> {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: body })
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`)
  return res.json<RequestBody>()
}

async function act(ctx: Ctx, id: string, path: string, payload?: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: `/v1/requests/${id}${path}`, headers: ctx.auth.agent, ...(payload === undefined ? {} : { payload }) })
}

async function verified(ctx: Ctx, body: Record<string, unknown>): Promise<RequestBody> {
  const request = await create(ctx, body)
  await act(ctx, request.id, '/verification')
  const confirmed = await act(ctx, request.id, '/verification/confirm', { code: await sentCode(ctx, request.id) })
  if (confirmed.statusCode !== 200) throw new Error(`verify: ${confirmed.body}`)
  return confirmed.json<RequestBody>()
}

await t.test('a request is received with its legal deadline and target, and acknowledged to the requester', async (t) => {
  const ctx = await setUp(t)
  const gdpr = await create(ctx, { type: 'access', email: 'jane@example.com', language: 'de' })
  t.match(gdpr, { id: /^RR-[0-9A-Z]{10}$/, state: 'received', jurisdiction: 'gdpr', dueAt: '2026-12-23T10:00:00.000Z', targetAt: '2026-12-02T10:00:00.000Z', requester: { email: 'j***@e***.com' }, allowedActions: ['send_verification', 'verify_manually', 'deny', 'withdraw'] })
  const ccpa = await create(ctx, { type: 'ccpa_know', email: 'joe@example.com' })
  t.match(ccpa, { jurisdiction: 'ccpa', dueAt: '2027-01-07T10:00:00.000Z', acknowledgeBy: String })
  const mail = await queuedMail(ctx, gdpr.id)
  t.match(mail, [{ kind: 'acknowledgement', recipient: 'jane@example.com', subject: new RegExp(gdpr.id) }])
  t.notOk(JSON.stringify((await ctx.pool.query('SELECT * FROM rights_requests')).rows).includes('jane@example.com'), 'the address is sealed at rest')
})

await t.test('the messages are in the language the request gives, English without one; a language the service does not speak is a 400', async (t) => {
  const ctx = await setUp(t)
  const german = await create(ctx, { type: 'access', email: 'jane@example.com', language: 'de' })
  const unsaid = await create(ctx, { type: 'access', email: 'joe@example.com' })
  t.match(german, { language: 'de' })
  t.match(unsaid, { language: 'en' })
  t.match(await queuedMail(ctx, german.id), [{ kind: 'acknowledgement', subject: 'Wir haben Ihre Anfrage erhalten' }])
  t.match(await queuedMail(ctx, unsaid.id), [{ kind: 'acknowledgement', subject: 'We have received your request' }])
  for (const language of ['pt', 'de-DE', 'DE']) {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: { type: 'access', email: 'ana@example.com', language } })
    t.equal(res.statusCode, 400, language)
  }
})

await t.test('a received date outside the years 2000 to 9999 is a 400 and opens nothing', async (t) => {
  const ctx = await setUp(t)
  // The last representable JavaScript date: a deadline 30 days later would be no date at all.
  for (const receivedAt of ['+275760-09-13T00:00:00.000Z', '1999-12-31T23:59:59Z']) {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: { type: 'access', email: 'edge@example.com', receivedAt } })
    t.equal(res.statusCode, 400, receivedAt)
    t.match(res.json(), { errors: [{ path: 'receivedAt', message: /between the years 2000 and 9999/ }] })
  }
  t.equal((await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM rights_requests')).rows[0]?.n, 0)
})

await t.test('verification: the right code verifies, a wrong one counts, an expired one and too many attempts are refused', async (t) => {
  const ctx = await setUp(t)
  const { email } = await customer(ctx)
  const request = await create(ctx, { type: 'access', email: email.toUpperCase() })
  const sent = await act(ctx, request.id, '/verification')
  t.equal(sent.statusCode, 200)
  t.equal(sent.json<RequestBody>().state, 'awaiting_verification')
  const mail = (await queuedMail(ctx, request.id)).at(-1)
  t.equal(mail?.recipient.toLowerCase(), email.toLowerCase(), 'the code goes to the address Odoo holds')
  const code = await sentCode(ctx, request.id)
  const wrong = await act(ctx, request.id, '/verification/confirm', { code: code === '000000' ? '111111' : '000000' })
  t.equal(wrong.statusCode, 422)
  t.match(wrong.json(), { type: 'urn:problem:verification-code-wrong', detail: /4 attempts left/ })
  t.equal((await act(ctx, request.id, '/verification/confirm', { code: 'abc' })).statusCode, 400)
  const right = await act(ctx, request.id, '/verification/confirm', { code })
  t.equal(right.statusCode, 200)
  t.match(right.json(), { state: 'verified', verification: { method: 'code' } })

  const expiring = await create(ctx, { type: 'access', email })
  await act(ctx, expiring.id, '/verification')
  const expiringCode = await sentCode(ctx, expiring.id)
  ctx.clock.advance(31 * 60_000)
  t.equal((await act(ctx, expiring.id, '/verification/confirm', { code: expiringCode })).statusCode, 410)

  const guessed = await create(ctx, { type: 'access', email })
  await act(ctx, guessed.id, '/verification')
  const guessedCode = await sentCode(ctx, guessed.id)
  for (let i = 0; i < 5; i++) await act(ctx, guessed.id, '/verification/confirm', { code: guessedCode === '000000' ? '111111' : '000000' })
  t.equal((await act(ctx, guessed.id, '/verification/confirm', { code: guessedCode })).statusCode, 429, 'even the right code is refused after too many attempts')
  await act(ctx, guessed.id, '/verification')
  t.equal((await act(ctx, guessed.id, '/verification/confirm', { code: await sentCode(ctx, guessed.id) })).statusCode, 200, 'a new code works')
})

await t.test('manual verification needs an evidence note', async (t) => {
  const ctx = await setUp(t)
  const request = await create(ctx, { type: 'objection', email: 'x@example.com' })
  t.equal((await act(ctx, request.id, '/verification/manual', { evidence: 'ok' })).statusCode, 400)
  const res = await act(ctx, request.id, '/verification/manual', { evidence: 'Matched the delivery address and the last order number on a call.' })
  t.match(res.json(), { state: 'verified', verification: { method: 'manual' } })
  t.notMatch(res.body, /delivery address and the last/, 'the evidence itself is not shown')
})

await t.test('invalid transitions are 409 with the allowed actions', async (t) => {
  const ctx = await setUp(t)
  const request = await create(ctx, { type: 'erasure', email: 'x@example.com' })
  const early = await act(ctx, request.id, '/fulfilment', {})
  t.equal(early.statusCode, 409)
  t.match(early.json(), { type: 'urn:problem:conflict', allowed: ['send_verification', 'verify_manually', 'deny', 'withdraw'] })
  t.equal((await act(ctx, request.id, '/verification/confirm', { code: '123456' })).statusCode, 409, 'no code was sent')
  await act(ctx, request.id, '/withdraw')
  for (const path of ['/verification', '/withdraw', '/fulfilment']) {
    const res = await act(ctx, request.id, path, path === '/fulfilment' ? {} : undefined)
    t.equal(res.statusCode, 409, `${path} after withdrawal`)
    t.same(res.json<Problem>().allowed, [])
  }
  t.equal((await act(ctx, request.id, '/deny', { reason: 'excessive' })).statusCode, 409)
  t.equal((await ctx.app.inject({ url: '/v1/requests/RR-0000000000', headers: ctx.auth.agent })).statusCode, 404)
  t.equal((await ctx.app.inject({ url: '/v1/requests/nope', headers: ctx.auth.agent })).statusCode, 400)
})

await t.test('access: an export of what is held, downloadable once, then destroyed', async (t) => {
  const ctx = await setUp(t)
  const subject = await customer(ctx)
  // One of the subject's orders named like a formula, another with a refund's negative amount.
  const [named, refunded] = (await ctx.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_orders WHERE $1 IN (partner_id, partner_invoice_id, partner_shipping_id) ORDER BY order_date, odoo_id', [subject.id])).rows
  if (!named || !refunded) throw new Error('the generated customer has fewer than two orders')
  await ctx.pool.query(`UPDATE mirror_orders SET name = '=HYPERLINK("http://evil.example","x")' WHERE odoo_id = $1`, [named.odoo_id])
  await ctx.pool.query('UPDATE mirror_orders SET amount_total = -12.5 WHERE odoo_id = $1', [refunded.odoo_id])
  const request = await verified(ctx, { type: 'access', email: subject.email })
  const done = await act(ctx, request.id, '/fulfilment', {})
  t.equal(done.statusCode, 200, done.body)
  t.match(done.json(), { state: 'completed', outcome: { exportId: String, contacts: Number } })
  const download = await ctx.app.inject({ url: `/v1/requests/${request.id}/export`, headers: ctx.auth.agent })
  t.equal(download.statusCode, 200)
  const bundle = download.json<ExportBundle>()
  t.ok(bundle.contacts.some((c) => c.email === subject.email), 'the contact as Odoo holds it')
  t.ok(bundle.orders.length > 0)
  t.match(bundle.ordersCsv, /^order,channel,state,order_date/)
  const lines = bundle.ordersCsv.split('\r\n')
  t.ok(lines[1]?.startsWith(`"'=HYPERLINK(""http://evil.example"",""x"")",`), 'the formula is neutralized in the CSV')
  t.equal(bundle.orders[0]?.order, '=HYPERLINK("http://evil.example","x")', 'and kept as it is in the JSON')
  t.equal(bundle.orders[1]?.amount_total, -12.5, 'a negative amount is a number in the JSON')
  t.match(lines[2], /,-12\.5,/, 'and a plain number in the CSV')
  t.equal((await ctx.app.inject({ url: `/v1/requests/${request.id}/export`, headers: ctx.auth.agent })).statusCode, 410, 'once only')
  t.equal((await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM rights_exports WHERE bundle IS NOT NULL')).rows[0]?.n, 0, 'destroyed')
  t.match((await queuedMail(ctx, request.id)).at(-1), { kind: 'completed' })
  t.equal((await ctx.service.audit.list({ action: 'request.export_downloaded', limit: 5 })).length, 1)
})

await t.test('an export left too long expires and is destroyed', async (t) => {
  const ctx = await setUp(t)
  const request = await verified(ctx, { type: 'portability', email: (await customer(ctx)).email })
  await act(ctx, request.id, '/fulfilment', {})
  ctx.clock.advance(73 * 3_600_000)
  t.equal((await ctx.app.inject({ url: `/v1/requests/${request.id}/export`, headers: ctx.auth.agent })).statusCode, 410)
})

await t.test('erasure redacts the subject at once; a hold keeps a contact, and the answer says why', async (t) => {
  const ctx = await setUp(t)
  const subject = await customer(ctx, { finished: true })
  const others = (await ctx.pool.query<{ odoo_id: number }>("SELECT odoo_id FROM mirror_partners WHERE parent_id = $1", [subject.id])).rows.map((r) => r.odoo_id)
  const request = await verified(ctx, { type: 'erasure', email: subject.email })
  const held = others[0]
  if (held) await ctx.app.inject({ method: 'POST', url: '/v1/holds', headers: ctx.auth.admin, payload: { subjectType: 'partner', partnerId: held, reason: 'Tax record (§147 AO)' } })
  const done = await act(ctx, request.id, '/fulfilment', {})
  t.equal(done.statusCode, 200, done.body)
  const outcome = done.json<RequestBody>().outcome as { erased: number[]; retained: { partnerId: number; reason: string }[] }
  t.ok(outcome.erased.includes(subject.id))
  t.equal(ctx.sim.store.get('res.partner', subject.id)?.name, REDACTED_NAME)
  t.equal(ctx.sim.store.get('res.partner', subject.id)?.email, false)
  if (held) t.same(outcome.retained, [{ partnerId: held, reason: 'legal_hold' }])
  t.match((await queuedMail(ctx, request.id)).at(-1), { kind: 'completed', recipient: subject.email })
  const [entry] = await ctx.service.audit.list({ action: 'partner.redacted', subjectId: String(subject.id), limit: 1 })
  t.equal(entry?.details.requestId, request.id, 'the audit entry names the erasure request that granted it')
})

await t.test('rectification writes the corrected values to Odoo and the mirror, and audits field names only', async (t) => {
  const ctx = await setUp(t)
  const subject = await customer(ctx)
  const request = await verified(ctx, { type: 'rectification', email: subject.email })
  const done = await act(ctx, request.id, '/fulfilment', { changes: { street: 'Hauptstraße 7', city: 'Berlin' }, partnerIds: [subject.id] })
  t.equal(done.statusCode, 200, done.body)
  t.match(done.json<RequestBody>().outcome, { rectifiedFields: ['street', 'city'], partners: [subject.id] })
  t.equal(ctx.sim.store.get('res.partner', subject.id)?.street, 'Hauptstraße 7')
  const mirrored = (await ctx.pool.query<{ pii: string | null }>('SELECT pii FROM mirror_partners WHERE odoo_id = $1', [subject.id])).rows[0]
  t.equal(openContactPii(ctx.service.cipher, subject.id, mirrored?.pii ?? null).street, 'Hauptstraße 7')
  const trail = JSON.stringify(await ctx.service.audit.list({ subjectType: 'request', limit: 50 }))
  t.notOk(trail.includes('Hauptstraße 7') || trail.includes('Berlin'), 'no values in the audit trail')
})

await t.test('a rectification refused for its input changes nothing: the request does not start', async (t) => {
  const ctx = await setUp(t)
  const subject = await customer(ctx)
  const request = await verified(ctx, { type: 'rectification', email: subject.email })
  const before = (await ctx.service.audit.list({ subjectType: 'request', limit: 100 })).length
  for (const payload of [{}, { changes: {} }, { changes: { email: 'not an address' } }, { changes: { street: 'a\u0000b' } }, { changes: { vat: 'X' } }]) {
    t.equal((await act(ctx, request.id, '/fulfilment', payload)).statusCode, 400, JSON.stringify(payload))
  }
  t.equal((await ctx.app.inject({ url: `/v1/requests/${request.id}`, headers: ctx.auth.agent })).json<RequestBody>().state, 'verified')
  t.equal((await ctx.service.audit.list({ subjectType: 'request', limit: 100 })).length, before, 'nothing audited')
})

for (const type of ['restriction', 'objection', 'ccpa_opt_out'] as const) {
  await t.test(`${type} is recorded on the subject`, async (t) => {
    const ctx = await setUp(t)
    const subject = await customer(ctx)
    const request = type === 'ccpa_opt_out' ? await create(ctx, { type, email: subject.email }) : await verified(ctx, { type, email: subject.email })
    const done = await act(ctx, request.id, '/fulfilment', {})
    t.equal(done.statusCode, 200, done.body)
    t.match(done.json(), { state: 'completed', outcome: { recorded: type === 'ccpa_opt_out' ? 'opt_out' : type } })
    t.equal((await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM subject_flags WHERE request_id = $1', [request.id])).rows[0]?.n, 1)
    const tag = ctx.sim.store.records('res.partner.category').find((c) => c.name === done.json<RequestBody>().outcome?.odooTag)
    t.ok(tag, 'the tag exists in Odoo')
    t.ok((ctx.sim.store.get('res.partner', subject.id)?.category_id as number[]).includes(tag?.id as number), 'and the contact carries it')
  })
}

await t.test('a verified request about nobody is answered "we hold no data"', async (t) => {
  const ctx = await setUp(t)
  const request = await verified(ctx, { type: 'ccpa_delete', email: 'stranger@nowhere.example' })
  const done = await act(ctx, request.id, '/fulfilment', {})
  t.match(done.json(), { state: 'completed', outcome: { noData: true } })
  t.match((await queuedMail(ctx, request.id)).at(-1), { kind: 'no_data' })
})

await t.test('denial sends the reason; withdrawal closes', async (t) => {
  const ctx = await setUp(t)
  const denied = await create(ctx, { type: 'access', email: 'x@example.com' })
  const res = await act(ctx, denied.id, '/deny', { reason: 'manifestly_unfounded', detail: 'Answered on 2026-11-02.' })
  t.match(res.json(), { state: 'denied', denial: { reason: 'manifestly_unfounded' } })
  t.match((await queuedMail(ctx, denied.id)).at(-1), { kind: 'denied' })
  t.equal((await act(ctx, denied.id, '/deny', { reason: 'not-a-reason' })).statusCode, 400)
})

await t.test('extensions: GDPR up to three months with notice in the first month; CCPA once to 90 days', async (t) => {
  const ctx = await setUp(t)
  const gdpr = await create(ctx, { type: 'access', email: 'x@example.com' })
  const ok = await act(ctx, gdpr.id, '/extension', { until: '2027-02-23T10:00:00Z', reason: 'Orders on six marketplaces are being collected.' })
  t.equal(ok.statusCode, 200, ok.body)
  t.match(ok.json(), { dueAt: '2027-02-23T10:00:00.000Z', extension: { reason: /six marketplaces/ } })
  t.match((await queuedMail(ctx, gdpr.id)).at(-1), { kind: 'extension' })
  t.equal((await act(ctx, gdpr.id, '/extension', { until: '2027-03-24T10:00:00Z', reason: 'Longer than the law allows.' })).statusCode, 409)
  const ccpa = await create(ctx, { type: 'ccpa_know', email: 'y@example.com' })
  t.equal((await act(ctx, ccpa.id, '/extension', { until: '2027-02-21T10:00:00Z', reason: 'Collecting records from archives.' })).statusCode, 200)
  t.match((await act(ctx, ccpa.id, '/extension', { until: '2027-02-21T12:00:00Z', reason: 'Collecting records from archives.' })).json(), { type: 'urn:problem:extension-already-extended' })
  ctx.clock.advance(40 * 86_400_000)
  const late = await create(ctx, { type: 'access', email: 'z@example.com', receivedAt: '2026-11-01T00:00:00Z' })
  t.match((await act(ctx, late.id, '/extension', { until: '2027-01-15T00:00:00Z', reason: 'Too late to extend now.' })).json(), { type: 'urn:problem:extension-notice-too-late' })
})

await t.test('listing filters by state, type and deadline, and lists overdue requests', async (t) => {
  const ctx = await setUp(t)
  const old = await create(ctx, { type: 'access', email: 'a@example.com', receivedAt: '2026-09-01T00:00:00Z' })
  await create(ctx, { type: 'erasure', email: 'b@example.com' })
  const closed = await create(ctx, { type: 'access', email: 'c@example.com', receivedAt: '2026-08-01T00:00:00Z' })
  await act(ctx, closed.id, '/withdraw')
  const overdue = (await ctx.app.inject({ url: '/v1/requests?overdue=true', headers: ctx.auth.agent })).json<RequestPage>()
  t.same(overdue.items.map((r) => r.id), [old.id], 'open and past its deadline; the closed one is not overdue')
  t.ok(overdue.items[0]?.overdue)
  t.equal((await ctx.app.inject({ url: '/v1/requests?type=erasure', headers: ctx.auth.auditor })).json<RequestPage>().items.length, 1)
  t.equal((await ctx.app.inject({ url: '/v1/requests?state=withdrawn', headers: ctx.auth.agent })).json<RequestPage>().items.length, 1)
  t.equal((await ctx.app.inject({ url: '/v1/requests?due_before=2026-11-01T00:00:00Z', headers: ctx.auth.agent })).json<RequestPage>().items.length, 2)
  const page = (await ctx.app.inject({ url: '/v1/requests?limit=2', headers: ctx.auth.agent })).json<RequestPage>()
  const next = (await ctx.app.inject({ url: `/v1/requests?limit=2&after=${String(page.nextCursor)}`, headers: ctx.auth.agent })).json<RequestPage>()
  t.equal(page.items.length + next.items.length, 3)
  const detail = (await ctx.app.inject({ url: `/v1/requests/${closed.id}`, headers: ctx.auth.agent })).json<RequestBody>()
  t.same(detail.history?.map((e) => e.action), ['created', 'withdraw'])
})

await t.test('an inbox: open requests only, soonest deadline first, paged by a cursor of the same order', async (t) => {
  const ctx = await setUp(t)
  const late = await create(ctx, { type: 'access', email: 'a@example.com', receivedAt: '2026-11-20T00:00:00Z' })
  const early = await create(ctx, { type: 'erasure', email: 'b@example.com', receivedAt: '2026-10-01T00:00:00Z' })
  const middle = await create(ctx, { type: 'access', email: 'c@example.com', receivedAt: '2026-11-01T00:00:00Z' })
  const closed = await create(ctx, { type: 'access', email: 'd@example.com', receivedAt: '2026-09-01T00:00:00Z' })
  await act(ctx, closed.id, '/withdraw')
  const list = async (query: string) => (await ctx.app.inject({ url: `/v1/requests?${query}`, headers: ctx.auth.agent })).json<RequestPage>()
  const inbox = await list('open=true&sort=due')
  t.same(inbox.items.map((r) => r.id), [early.id, middle.id, late.id], 'the closed one is left out; the most urgent comes first')
  const first = await list('open=true&sort=due&limit=2')
  t.same(first.items.map((r) => r.id), [early.id, middle.id])
  t.match(first.nextCursor, new RegExp(`_${middle.id}$`), 'the cursor carries the deadline and the id')
  const second = await list(`open=true&sort=due&limit=2&after=${encodeURIComponent(String(first.nextCursor))}`)
  t.same(second.items.map((r) => r.id), [late.id])
  t.equal(second.nextCursor, null)
  t.equal((await list('open=false')).items.length, 4, '`open=false` filters nothing')
  const bad = await ctx.app.inject({ url: '/v1/requests?sort=due&after=RR-0000000000', headers: ctx.auth.agent })
  t.equal(bad.statusCode, 400, 'an id is not a cursor of the deadline order')
  t.match(bad.json<Problem>().errors, [{ path: 'after' }])
})

await t.test('roles: an auditor reads but cannot act; an agent cannot change policies', async (t) => {
  const ctx = await setUp(t)
  t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.auditor, payload: { type: 'access', email: 'a@example.com' } })).statusCode, 403)
  const request = await create(ctx, { type: 'access', email: 'a@example.com' })
  t.equal((await ctx.app.inject({ method: 'POST', url: `/v1/requests/${request.id}/withdraw`, headers: ctx.auth.auditor })).statusCode, 403)
  t.equal((await ctx.app.inject({ url: `/v1/requests/${request.id}`, headers: ctx.auth.auditor })).statusCode, 200)
  t.equal((await ctx.app.inject({ method: 'PUT', url: '/v1/retention/policies/etsy', headers: ctx.auth.agent, payload: { clockEvent: 'completed', periodDays: 1, fields: ['name'] } })).statusCode, 403)
  t.equal((await ctx.app.inject({ url: '/v1/requests' })).statusCode, 401)
})
