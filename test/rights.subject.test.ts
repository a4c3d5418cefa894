import t from 'tap'
import type { Test } from 'tap'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import { queuedMail, sentCode } from './support/rights.ts'
import { executeKw } from './support/odoo-simulator-rpc.ts'
import type { OdooSimulator } from './odoo-simulator/index.ts'
import type { RequestType } from '../src/rights/request-types.ts'
import { REDACTED_NAME } from '../src/mirror/odoo-records.ts'
import type { Problem } from '../src/http/schemas/problem.ts'
import type { ExportBundle } from '../src/rights/export-bundle.ts'
import type { RequestView } from '../src/rights/request-view.ts'
import type { SubjectDiscovery } from '../src/rights/subject-discovery.ts'
import type { Json } from './support/json.ts'

type Ctx = TestService & { sim: OdooSimulator }
type RequestBody = Json<RequestView>

async function setUp(t: Test, env: Record<string, string> = {}): Promise<Ctx> {
  const clock = fixedClock('2026-11-23T10:00:00Z')
  const sim = await simulator(t, { orders: 12, now: () => clock.now() })
  const ctx = await startTestService(t, { odoo: sim, clock, env })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  return { ...ctx, sim }
}

/** A contact created in Odoo after the last sync: only the live search can find it, until mirrored. */
async function odooContact(ctx: Ctx, values: Record<string, unknown>): Promise<number> {
  return (await executeKw(ctx.sim, 'res.partner', 'create', [{ name: 'Test Contact', ...values }])) as number
}

/** A mirrored customer of the generated shop, with orders, and the address Odoo holds for them. */
async function customerWithOrders(ctx: Ctx): Promise<{ id: number; email: string }> {
  const row = (await ctx.pool.query<{ odoo_id: number }>(
    `SELECT p.odoo_id FROM mirror_partners p WHERE p.type = 'contact' AND p.email_index IS NOT NULL AND NOT p.is_user AND NOT p.is_company_partner
        AND EXISTS (SELECT 1 FROM mirror_orders o WHERE o.partner_id = p.odoo_id) ORDER BY p.odoo_id LIMIT 1`
  )).rows[0]
  if (!row) throw new Error('no customer with orders in the generated data')
  return { id: row.odoo_id, email: String(ctx.sim.store.get('res.partner', row.odoo_id)?.email) }
}

/**
 * A request as the e-mail intake records it: the sender's address is not checked against the
 * API's address rule, so it may hold `%` or `\`.
 */
async function requestFrom(ctx: Ctx, email: string, type: RequestType = 'access'): Promise<string> {
  return (await ctx.service.rights.create({ type, email, source: 'email' }, 'system')).id
}

async function act(ctx: Ctx, id: string, path: string, payload?: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: `/v1/requests/${id}${path}`, headers: ctx.auth.agent, ...(payload === undefined ? {} : { payload }) })
}

async function subject(ctx: Ctx, id: string): Promise<SubjectDiscovery> {
  const res = await ctx.app.inject({ url: `/v1/requests/${id}/subject`, headers: ctx.auth.agent })
  if (res.statusCode !== 200) throw new Error(`subject: ${res.statusCode} ${res.body}`)
  return res.json<SubjectDiscovery>()
}

async function found(ctx: Ctx, email: string): Promise<number[]> {
  return (await subject(ctx, await requestFrom(ctx, email))).contacts.map((c) => c.partnerId)
}

async function verifiedManually(ctx: Ctx, id: string): Promise<void> {
  const res = await act(ctx, id, '/verification/manual', { evidence: 'Called the customer back on the number of their last order.' })
  if (res.statusCode !== 200) throw new Error(`verify: ${res.body}`)
}

async function history(ctx: Ctx, id: string): Promise<{ action: string; details: Record<string, unknown> }[]> {
  return (await ctx.app.inject({ url: `/v1/requests/${id}`, headers: ctx.auth.agent })).json<RequestBody>().history ?? []
}

await t.test("a requester's address finds only contacts that hold exactly it: _, %, \\, +tags and case are no patterns", async (t) => {
  const ctx = await setUp(t)
  const ids: Record<string, number> = {}
  for (const [key, email] of Object.entries({
    dot: 'eva.miller0@lookalike.test',
    underscore: 'eva_miller0@lookalike.test',
    plain: 'evamiller0@lookalike.test',
    backslash: 'eva\\miller0@lookalike.test',
    tagged: 'Eva.Miller0+shop@Lookalike.test',
    named: 'Eva Miller <EVA.MILLER0@LOOKALIKE.TEST>'
  })) ids[key] = await odooContact(ctx, { email })
  // Two are mirrored already, the others only in Odoo: both lookups must be exact.
  await ctx.service.orderSync.mirrorContacts([ids.dot as number, ids.underscore as number])

  t.same(await found(ctx, 'eva_miller0@lookalike.test'), [ids.underscore], '_ is a character, not any character')
  t.same(await found(ctx, 'EVA.MILLER0@lookalike.test'), [ids.dot, ids.named], 'case is folded; a display name is no obstacle')
  t.same(await found(ctx, 'eva\\miller0@lookalike.test'), [ids.backslash], 'a backslash escapes nothing')
  t.same(await found(ctx, 'eva.miller0+shop@lookalike.test'), [ids.tagged], 'a +tag is part of the address')
  t.same(await found(ctx, 'eva.miller0+other@lookalike.test'), [], 'another tag is another address')
  for (const lookalike of ['%@lookalike.test', 'eva%@lookalike.test', 'eva_miller_@lookalike.test', 'eva.miller_@lookalike.test', '_va.miller0@lookalike.test', 'eva%miller0@lookalike.test']) {
    t.same(await found(ctx, lookalike), [], `${lookalike} finds nobody`)
  }
  const live = (await subject(ctx, await requestFrom(ctx, 'Eva.Miller0@lookalike.test'))).contacts
  t.same(live.find((c) => c.partnerId === ids.dot)?.foundBy, ['email', 'odoo_search'])
})

await t.test('Odoo is asked with the address as a literal: its LIKE wildcards and escape character escaped', async (t) => {
  const ctx = await setUp(t)
  const odoo = ctx.service.odoo
  const searchRead = odoo.searchRead.bind(odoo)
  const domains: unknown[] = []
  odoo.searchRead = (model, domain, options) => {
    if (model === 'res.partner') domains.push(domain)
    return searchRead(model, domain, options)
  }
  t.teardown(() => void (odoo.searchRead = searchRead))
  await found(ctx, 'Eva_Mil%ler\\0@Lookalike.test')
  await found(ctx, 'jürgen@bücher.test')
  // Fields equal to the address, or holding it beside a separator (a display name, a list): candidates, checked by the service.
  const listed = [' ', '\t', '\r', '\n', '<', '>', ',', ';', '"', '(', ')'].map((separator) => ['email', 'like', separator])
  const escaped = 'eva\\_mil\\%ler\\\\0@lookalike.test'
  t.same(domains[0], ['&', ['email', 'ilike', escaped], ...Array<string>(11).fill('|'), ['email', '=ilike', escaped], ...listed])
  const [unicode, ascii] = ['jürgen@bücher.test', 'jürgen@xn--bcher-kva.test']
  t.same(domains[1], ['&', '|', ['email', 'ilike', unicode], ['email', 'ilike', ascii], ...Array<string>(12).fill('|'), ['email', '=ilike', unicode], ['email', '=ilike', ascii], ...listed])
})

await t.test('the mirror alone is exact too: a contact Odoo no longer holds under the address is found by it, not by a look-alike', async (t) => {
  const ctx = await setUp(t)
  const id = await odooContact(ctx, { email: 'mirror.only@lookalike.test' })
  await ctx.service.orderSync.mirrorContacts([id])
  ctx.sim.store.update('res.partner', id, { email: 'moved@elsewhere.test' })
  const contacts = (await subject(ctx, await requestFrom(ctx, 'MIRROR.ONLY@lookalike.test'))).contacts
  t.same(contacts.map((c) => [c.partnerId, c.foundBy]), [[id, ['email']]])
  t.same(await found(ctx, 'mirror_only@lookalike.test'), [])
  t.same(await found(ctx, 'mirror%@lookalike.test'), [])
})

await t.test('internationalized domains: the Unicode and the punycode spelling are one address, accents are not folded', async (t) => {
  const ctx = await setUp(t)
  const unicode = await odooContact(ctx, { email: 'jürgen@bücher.test' })
  const punycode = await odooContact(ctx, { email: 'anna@XN--BCHER-KVA.test' })
  const mirrored = await odooContact(ctx, { email: 'paul@bücher.test' })
  await ctx.service.orderSync.mirrorContacts([mirrored])
  ctx.sim.store.update('res.partner', mirrored, { email: 'paul@moved.test' })
  t.same(await found(ctx, 'Jürgen@xn--bcher-kva.test'), [unicode])
  t.same(await found(ctx, 'anna@BÜCHER.test'), [punycode])
  t.same(await found(ctx, 'paul@xn--bcher-kva.test'), [mirrored], 'the mirror is looked up under every spelling')
  t.same(await found(ctx, 'jurgen@bucher.test'), [])
  t.same(await found(ctx, 'anna@bucher.test'), [])
  // The API takes such an address as the requester's.
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: { type: 'access', email: 'jürgen@bücher.test' } })
  t.equal(res.statusCode, 201, res.body)
  t.same((await subject(ctx, res.json<RequestBody>().id)).contacts.map((c) => c.partnerId), [unicode])
})

await t.test("an export never includes a contact that no exact identifier found: a look-alike requester gets only what is theirs", async (t) => {
  const ctx = await setUp(t)
  const customer = await customerWithOrders(ctx)
  const lookalike = customer.email.replace('.', '_')
  t.not(lookalike, customer.email, 'the generated address has a dot to imitate')

  const nobody = await requestFrom(ctx, lookalike)
  await verifiedManually(ctx, nobody)
  const answered = await act(ctx, nobody, '/fulfilment', {})
  t.equal(answered.statusCode, 200, answered.body)
  t.match(answered.json(), { state: 'completed', outcome: { noData: true } }, 'before the fix this exported the customer')
  t.equal((await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM rights_exports WHERE request_id = $1', [nobody])).rows[0]?.n, 0)

  const own = await odooContact(ctx, { email: lookalike, phone: '+49 30 1234567' })
  const request = await requestFrom(ctx, lookalike)
  await verifiedManually(ctx, request)
  const done = await act(ctx, request, '/fulfilment', {})
  t.equal(done.statusCode, 200, done.body)
  t.match(done.json(), { subjectPartnerIds: [own], outcome: { contacts: 1, orders: 0 } })
  const bundle = (await ctx.app.inject({ url: `/v1/requests/${request}/export`, headers: ctx.auth.agent })).json<ExportBundle>()
  t.same(bundle.contacts.map((c) => c.email), [lookalike])
  t.notOk(JSON.stringify(bundle).includes(customer.email), "nothing of the customer's")
})

await t.test('an erasure from a pattern-like or look-alike address erases nobody else', async (t) => {
  const ctx = await setUp(t)
  const customer = await customerWithOrders(ctx)
  const name = ctx.sim.store.get('res.partner', customer.id)?.name
  const domain = customer.email.split('@')[1] as string
  const lookalike = customer.email.replace('.', '_')
  const own = await odooContact(ctx, { email: lookalike })

  const wildcard = await requestFrom(ctx, `%@${domain}`, 'erasure')
  await verifiedManually(ctx, wildcard)
  t.match((await act(ctx, wildcard, '/fulfilment', {})).json(), { state: 'completed', outcome: { noData: true } })

  const request = await requestFrom(ctx, lookalike, 'erasure')
  await verifiedManually(ctx, request)
  const done = await act(ctx, request, '/fulfilment', {})
  t.equal(done.statusCode, 200, done.body)
  t.same(done.json<RequestBody>().outcome?.erased, [own])
  t.equal(ctx.sim.store.get('res.partner', own)?.name, REDACTED_NAME)
  t.equal(ctx.sim.store.get('res.partner', customer.id)?.name, name, 'the customer keeps their name')
  t.equal(ctx.sim.store.get('res.partner', customer.id)?.email, customer.email, 'and their address')
})

await t.test('more contacts than RIGHTS_MAX_SUBJECT_CONTACTS stop the request until an agent names the subject', async (t) => {
  const ctx = await setUp(t, { RIGHTS_MAX_SUBJECT_CONTACTS: '2' })
  const shared = [
    await odooContact(ctx, { email: 'orders@family.test' }),
    await odooContact(ctx, { email: 'Orders@Family.test' }),
    await odooContact(ctx, { email: 'someone@else.test', phone: '+49 170 5550001' })
  ]
  const stranger = await odooContact(ctx, { email: 'stranger@else.test' })
  // Phones are looked up in the mirror only (their blind index): this one is synced.
  await ctx.service.orderSync.mirrorContacts([shared[2] as number])
  const created = await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: { type: 'erasure', email: 'orders@family.test', phone: '0049 170 5550001' } })
  const id = created.json<RequestBody>().id

  const refused = await act(ctx, id, '/verification')
  t.equal(refused.statusCode, 409)
  t.match(refused.json(), {
    type: 'urn:problem:subject-needs-confirmation',
    detail: /find 3 contacts, more than RIGHTS_MAX_SUBJECT_CONTACTS \(2\)\. Nothing was sent or changed: see the contacts with GET \/v1\/requests\/RR-\w+\/subject, then name those that are the subject with PUT/
  })
  t.notOk((await queuedMail(ctx, id)).some((m) => m.kind === 'verification_code'), 'no code was sent')
  t.match((await history(ctx, id)).at(-1), { action: 'subject_needs_confirmation', details: { reasons: ['too_many_contacts'], contacts: 3, maxContacts: 2 } })
  t.equal((await ctx.service.audit.list({ action: 'request.subject_needs_confirmation', limit: 5 })).length, 1)

  const listed = await subject(ctx, id)
  t.same(listed.contacts.map((c) => c.partnerId), shared)
  t.same(listed.subjectPartnerIds, [], 'none attached')
  t.same(listed.needsConfirmation, { reasons: ['too_many_contacts'], maxContacts: 2 })

  const put = (partnerIds: number[]) => ctx.app.inject({ method: 'PUT', url: `/v1/requests/${id}/subject`, headers: ctx.auth.agent, payload: { partnerIds } })
  const foreign = await put([shared[0] as number, stranger])
  t.equal(foreign.statusCode, 400)
  t.match(foreign.json(), { type: 'urn:problem:validation', detail: new RegExp(`Contact ${stranger} is not found by the requester's identifiers`) })
  t.equal((await put([0])).statusCode, 400, 'ids are positive')
  t.equal((await ctx.app.inject({ method: 'PUT', url: `/v1/requests/${id}/subject`, headers: ctx.auth.auditor, payload: { partnerIds: [] } })).statusCode, 403)

  const confirmed = await put([shared[1] as number, shared[0] as number, shared[0] as number])
  t.equal(confirmed.statusCode, 200, confirmed.body)
  t.match(confirmed.json(), { subjectPartnerIds: [shared[0], shared[1]], subjectConfirmation: { partnerIds: [shared[0], shared[1]], by: /^key:/ } })
  t.match((await history(ctx, id)).at(-1), { action: 'subject_confirmed', details: { partnerIds: [shared[0], shared[1]], found: 3 } })
  t.match(await ctx.service.audit.list({ action: 'request.subject_confirmed', limit: 5 }), [{ details: { partnerIds: [shared[0], shared[1]] } }])
  t.match(await subject(ctx, id), { subjectPartnerIds: [shared[0], shared[1]], needsConfirmation: null, confirmation: { partnerIds: [shared[0], shared[1]] } })

  t.equal((await act(ctx, id, '/verification')).statusCode, 200)
  t.equal((await queuedMail(ctx, id)).at(-1)?.recipient, 'orders@family.test')
  t.equal((await act(ctx, id, '/verification/confirm', { code: await sentCode(ctx, id) })).statusCode, 200)
  const done = await act(ctx, id, '/fulfilment', {})
  t.equal(done.statusCode, 200, done.body)
  t.same(done.json<RequestBody>().outcome?.erased, [shared[0], shared[1]])
  t.equal(ctx.sim.store.get('res.partner', shared[2] as number)?.email, 'someone@else.test', 'the contact the agent left out is untouched')
  t.equal((await put([])).statusCode, 409, 'a closed request keeps its subject')
})

await t.test('a contact whose e-mail field holds several addresses is found by each, but waits for an agent', async (t) => {
  const ctx = await setUp(t)
  const family = await odooContact(ctx, { email: 'anna@family.test, Bob <bob@family.test>' })
  const own = await odooContact(ctx, { email: 'bob@family.test' })
  const id = await requestFrom(ctx, 'BOB@family.test')

  const listed = await subject(ctx, id)
  t.same(listed.contacts.map((c) => [c.partnerId, c.sharedEmailField]), [[family, true], [own, false]])
  t.same(listed.needsConfirmation, { reasons: ['shared_email_field'], maxContacts: 20 })
  t.same(await found(ctx, 'anna@family.test'), [family], 'the first address finds it too')

  const refused = await act(ctx, id, '/verification')
  t.equal(refused.statusCode, 409)
  t.match(refused.json<Problem>().detail, new RegExp(`^Contact ${family} holds other e-mail addresses besides the requester's`))
  await verifiedManually(ctx, id)
  t.equal((await act(ctx, id, '/fulfilment', {})).statusCode, 409, 'fulfilment waits as well')
  t.equal((await ctx.app.inject({ url: `/v1/requests/${id}`, headers: ctx.auth.agent })).json<RequestBody>().state, 'verified', 'and did not start')

  t.equal((await ctx.app.inject({ method: 'PUT', url: `/v1/requests/${id}/subject`, headers: ctx.auth.agent, payload: { partnerIds: [own] } })).statusCode, 200)
  const done = await act(ctx, id, '/fulfilment', {})
  t.equal(done.statusCode, 200, done.body)
  const bundle = (await ctx.app.inject({ url: `/v1/requests/${id}/export`, headers: ctx.auth.agent })).json<ExportBundle>()
  t.same(bundle.contacts.map((c) => c.email), ['bob@family.test'], "the family's contact is not in Bob's export")
})
