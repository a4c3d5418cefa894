import t from 'tap'
import type { Test } from 'tap'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import { sentCode } from './support/rights.ts'
import type { OdooSimulator } from './odoo-simulator/index.ts'
import { REDACTED_NAME } from '../src/mirror/odoo-records.ts'
import type { Role } from '../src/auth/roles.ts'
import type { Problem } from '../src/http/schemas/problem.ts'
import type { StoredRequest } from '../src/rights/request-store.ts'
import type { RequestView } from '../src/rights/request-view.ts'
import type { Json } from './support/json.ts'

type Mode = 'none' | 'erasure' | 'all'
interface Person {
  actor: string
  headers: { authorization: string }
}
type Ctx = TestService & { sim: OdooSimulator; anna: Person; ben: Person; ada: Person }
type RequestBody = Json<RequestView>
interface RequestPage {
  items: RequestBody[]
  nextCursor: string | null
}

const EVIDENCE = 'Called back +49 170 5550199 on order 113-7777777-7777777; Mrs Quirinus confirmed her birthday.'

/** A shop whose agents Anna and Ben and admin Ada each have their own key. */
async function setUp(t: Test, mode: Mode, options: { orders?: number } = {}): Promise<Ctx> {
  const clock = fixedClock('2026-11-23T10:00:00Z')
  const sim = await simulator(t, { orders: options.orders ?? 40, now: () => clock.now() })
  const ctx = await startTestService(t, { odoo: sim, clock, env: { RIGHTS_APPROVAL: mode } })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  const person = async (name: string, role: Role): Promise<Person> => {
    const key = await ctx.service.apiKeys.create({ name, role })
    return { actor: `key:${key.id}`, headers: { authorization: `Bearer ${key.secret}` } }
  }
  return { ...ctx, sim, anna: await person('anna', 'agent'), ben: await person('ben', 'agent'), ada: await person('ada', 'admin') }
}

/** A customer of the simulated shop (with nothing open, if asked), and the e-mail Odoo holds. */
async function customer(ctx: Ctx, options: { finished?: boolean } = {}): Promise<{ id: number; email: string }> {
  const row = (await ctx.pool.query<{ odoo_id: number }>(
    `SELECT p.odoo_id FROM mirror_partners p WHERE p.type = 'contact' AND p.email_index IS NOT NULL AND NOT p.is_user AND NOT p.is_company_partner
        AND ($1 = false OR NOT EXISTS (SELECT 1 FROM mirror_orders o WHERE p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id) AND o.state <> 'cancel' AND o.completed_at IS NULL))
      ORDER BY p.odoo_id LIMIT 1`,
    [options.finished ?? false]
  )).rows[0]
  if (!row) throw new Error('no such customer in the generated data')
  return { id: row.odoo_id, email: String(ctx.sim.store.get('res.partner', row.odoo_id)?.email) }
}

async function call(ctx: Ctx, who: Person, method: 'POST' | 'PATCH' | 'GET', url: string, payload?: Record<string, unknown>) {
  return ctx.app.inject({ method, url, headers: who.headers, ...(payload === undefined ? {} : { payload }) })
}

async function create(ctx: Ctx, body: Record<string, unknown>): Promise<{ id: string }> {
  const res = await call(ctx, ctx.anna, 'POST', '/v1/requests', body)
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`)
  return res.json<RequestBody>()
}

/** Verified with a code the requester received: no second key is needed for that. */
async function verifiedByCode(ctx: Ctx, body: Record<string, unknown>): Promise<{ id: string }> {
  const request = await create(ctx, body)
  await call(ctx, ctx.anna, 'POST', `/v1/requests/${request.id}/verification`)
  const confirmed = await call(ctx, ctx.anna, 'POST', `/v1/requests/${request.id}/verification/confirm`, { code: await sentCode(ctx, request.id) })
  if (confirmed.statusCode !== 200) throw new Error(`verify: ${confirmed.body}`)
  return request
}

const decide = (ctx: Ctx, who: Person, id: string, decision: 'approve' | 'reject', note?: string) =>
  call(ctx, who, 'POST', `/v1/requests/${id}/approval`, { decision, ...(note ? { note } : {}) })

async function history(ctx: Ctx, id: string): Promise<NonNullable<RequestBody['history']>> {
  return (await call(ctx, ctx.ada, 'GET', `/v1/requests/${id}`)).json<RequestBody>().history ?? []
}

async function auditOf(ctx: Ctx, id: string) {
  return ctx.service.audit.list({ subjectType: 'request', subjectId: id, limit: 100 })
}

await t.test('a manual verification waits for a second key: the same key cannot approve it, another can, and both are named', async (t) => {
  const ctx = await setUp(t, 'erasure', { orders: 5 })
  const request = await create(ctx, { type: 'access', email: 'requester@example.com' })
  const asked = await call(ctx, ctx.anna, 'POST', `/v1/requests/${request.id}/verification/manual`, { evidence: EVIDENCE })
  t.equal(asked.statusCode, 202, asked.body)
  t.match(asked.json(), { state: 'received', verification: null, approval: { action: 'verify_manually', requestedBy: ctx.anna.actor, requestedAt: '2026-11-23T10:00:00.000Z', awaiting: `another agent or admin key than ${ctx.anna.actor}` } })
  t.notOk(asked.json<RequestBody>().allowedActions.includes('verify_manually'), 'not offered again while it waits')

  const self = await decide(ctx, ctx.anna, request.id, 'approve')
  t.equal(self.statusCode, 403)
  t.match(self.json(), { type: 'urn:problem:approval-needs-second-person', detail: new RegExp(ctx.anna.actor) })
  t.equal((await call(ctx, ctx.anna, 'GET', `/v1/requests/${request.id}`)).json<RequestBody>().state, 'received', 'nothing took effect')
  t.equal((await call(ctx, ctx.anna, 'GET', `/v1/requests?awaiting_approval=true`)).json<RequestPage>().items.length, 1)
  const auditor = await ctx.app.inject({ method: 'POST', url: `/v1/requests/${request.id}/approval`, headers: ctx.auth.auditor, payload: { decision: 'approve' } })
  t.equal(auditor.statusCode, 403, 'an auditor decides nothing')

  const approved = await decide(ctx, ctx.ben, request.id, 'approve')
  t.equal(approved.statusCode, 200, approved.body)
  t.match(approved.json(), { state: 'verified', approval: null, verification: { method: 'manual', by: ctx.anna.actor, approvedBy: ctx.ben.actor } })
  t.same((await history(ctx, request.id)).map((e) => e.action), ['created', 'approval_requested', 'approved', 'verify_manually'])
  const trail = await auditOf(ctx, request.id)
  t.match(trail.find((e) => e.action === 'request.approval_requested'), { actor: ctx.anna.actor, details: { action: 'verify_manually' } })
  t.match(trail.find((e) => e.action === 'request.approved'), { actor: ctx.ben.actor, details: { action: 'verify_manually', requestedBy: ctx.anna.actor, approvedBy: ctx.ben.actor } })
  t.match(trail.find((e) => e.action === 'request.verify_manually'), { actor: ctx.anna.actor, details: { method: 'manual', approvedBy: ctx.ben.actor } })
  const again = await decide(ctx, ctx.ada, request.id, 'approve')
  t.equal(again.statusCode, 409)
  t.equal(again.json<Problem>().type, 'urn:problem:no-approval-pending')
  t.equal((await call(ctx, ctx.anna, 'GET', `/v1/requests?awaiting_approval=true`)).json<RequestPage>().items.length, 0)
})

await t.test('an erasure waits for a second key, then really redacts the subject in Odoo', async (t) => {
  const ctx = await setUp(t, 'erasure')
  const subject = await customer(ctx, { finished: true })
  const nameBefore = ctx.sim.store.get('res.partner', subject.id)?.name
  const request = await verifiedByCode(ctx, { type: 'erasure', email: subject.email })
  const asked = await call(ctx, ctx.anna, 'POST', `/v1/requests/${request.id}/fulfilment`, {})
  t.equal(asked.statusCode, 202, asked.body)
  t.match(asked.json(), { state: 'verified', outcome: null, approval: { action: 'fulfil', requestedBy: ctx.anna.actor } })
  t.equal(ctx.sim.store.get('res.partner', subject.id)?.name, nameBefore, 'Odoo is untouched while it waits')
  t.same((await ctx.service.audit.list({ action: 'partner.redacted', limit: 10 })).length, 0)
  const awaiting = (await call(ctx, ctx.anna, 'GET', '/v1/requests?awaiting_approval=true')).json<RequestPage>().items
  t.same(awaiting.map((r) => r.id), [request.id])
  t.notOk((await call(ctx, ctx.anna, 'GET', '/v1/requests?awaiting_approval=false')).json<RequestPage>().items.some((r) => r.id === request.id))

  const approved = await decide(ctx, ctx.ada, request.id, 'approve')
  t.equal(approved.statusCode, 200, approved.body)
  t.match(approved.json(), { state: 'completed', approval: null })
  t.ok((approved.json<RequestBody>().outcome as { erased: number[] }).erased.includes(subject.id))
  t.equal(ctx.sim.store.get('res.partner', subject.id)?.name, REDACTED_NAME, 'redacted in Odoo')
  t.equal(ctx.sim.store.get('res.partner', subject.id)?.email, false)
  t.match((await history(ctx, request.id)).map((e) => e.action), ['created', 'send_verification', 'verify_code', 'approval_requested', 'approved', 'start_fulfilment', 'complete'])
  const trail = await auditOf(ctx, request.id)
  t.match(trail.find((e) => e.action === 'request.approved'), { actor: ctx.ada.actor, details: { action: 'fulfil', requestedBy: ctx.anna.actor, approvedBy: ctx.ada.actor } })
  t.match(trail.find((e) => e.action === 'request.complete'), { actor: ctx.anna.actor, details: { approvedBy: ctx.ada.actor } })
})

await t.test('a rejected action is dropped and never takes effect; the key that asked may take its own back', async (t) => {
  const ctx = await setUp(t, 'erasure')
  const subject = await customer(ctx, { finished: true })
  const request = await verifiedByCode(ctx, { type: 'ccpa_delete', email: subject.email })
  t.equal((await call(ctx, ctx.anna, 'POST', `/v1/requests/${request.id}/fulfilment`, {})).statusCode, 202)
  const rejected = await decide(ctx, ctx.ben, request.id, 'reject', 'The caller named the wrong shop.')
  t.equal(rejected.statusCode, 200, rejected.body)
  t.match(rejected.json(), { state: 'verified', approval: null, outcome: null })
  t.not(ctx.sim.store.get('res.partner', subject.id)?.name, REDACTED_NAME, 'nothing was erased')
  t.match((await history(ctx, request.id)).at(-1), { action: 'approval_rejected', actor: ctx.ben.actor, details: { action: 'fulfil', requestedBy: ctx.anna.actor, rejectedBy: ctx.ben.actor, note: 'The caller named the wrong shop.' } })
  const entry = (await auditOf(ctx, request.id)).find((e) => e.action === 'request.approval_rejected')
  t.match(entry, { actor: ctx.ben.actor, details: { requestedBy: ctx.anna.actor, rejectedBy: ctx.ben.actor } })
  t.notOk(JSON.stringify(entry).includes('wrong shop'), 'the note stays in the history')
  t.equal((await decide(ctx, ctx.ada, request.id, 'approve')).statusCode, 409, 'nothing left to approve')

  t.equal((await call(ctx, ctx.anna, 'POST', `/v1/requests/${request.id}/fulfilment`, {})).statusCode, 202, 'asked again')
  const takenBack = await decide(ctx, ctx.anna, request.id, 'reject')
  t.equal(takenBack.statusCode, 200, takenBack.body)
  t.equal(takenBack.json<RequestBody>().approval, null)
  t.equal((await call(ctx, ctx.anna, 'GET', `/v1/requests/${request.id}`)).json<RequestBody>().state, 'verified')
})

await t.test('RIGHTS_APPROVAL decides what waits: none, erasure (the default), all', async (t) => {
  const expected: Record<Mode, { manual: number; access: number; erasure: number; ccpa_delete: number; ccpa_opt_out: number }> = {
    none: { manual: 200, access: 200, erasure: 200, ccpa_delete: 200, ccpa_opt_out: 200 },
    erasure: { manual: 202, access: 200, erasure: 202, ccpa_delete: 202, ccpa_opt_out: 200 },
    all: { manual: 202, access: 202, erasure: 202, ccpa_delete: 202, ccpa_opt_out: 202 }
  }
  for (const mode of ['none', 'erasure', 'all'] as const) {
    const ctx = await setUp(t, mode, { orders: 5 })
    const manual = await create(ctx, { type: 'objection', email: 'nobody@nowhere.example' })
    const seen: Record<string, number> = { manual: (await call(ctx, ctx.anna, 'POST', `/v1/requests/${manual.id}/verification/manual`, { evidence: EVIDENCE })).statusCode }
    for (const type of ['access', 'erasure', 'ccpa_delete', 'ccpa_opt_out'] as const) {
      const body = { type, email: `${type}@nowhere.example` }
      const request = type === 'ccpa_opt_out' ? await create(ctx, body) : await verifiedByCode(ctx, body)
      seen[type] = (await call(ctx, ctx.anna, 'POST', `/v1/requests/${request.id}/fulfilment`, {})).statusCode
    }
    t.same(seen, expected[mode], mode)
  }
  const { loadConfig } = await import('../src/config/env.ts')
  t.equal(loadConfig({ PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'), ODOO_URL: 'http://odoo', ODOO_DB: 'x', ODOO_USERNAME: 'x', ODOO_API_KEY: 'x' }).rights.approval, 'erasure', 'the default')
})

await t.test('two approvals at once carry the action out once', async (t) => {
  const ctx = await setUp(t, 'erasure')
  const subject = await customer(ctx, { finished: true })
  const erasure = await verifiedByCode(ctx, { type: 'erasure', email: subject.email })
  t.equal((await call(ctx, ctx.anna, 'POST', `/v1/requests/${erasure.id}/fulfilment`, {})).statusCode, 202)
  const manual = await create(ctx, { type: 'access', email: 'requester@example.com' })
  t.equal((await call(ctx, ctx.anna, 'POST', `/v1/requests/${manual.id}/verification/manual`, { evidence: EVIDENCE })).statusCode, 202)

  for (const id of [erasure.id, manual.id]) {
    const answers = await Promise.all([decide(ctx, ctx.ben, id, 'approve'), decide(ctx, ctx.ada, id, 'approve')])
    t.same(answers.map((a) => a.statusCode).sort(), [200, 409], answers.map((a) => a.body).join(' / '))
    t.equal(answers.find((a) => a.statusCode === 409)?.json<Problem>().type, 'urn:problem:no-approval-pending')
    const trail = await auditOf(ctx, id)
    t.equal(trail.filter((e) => e.action === 'request.approved').length, 1, `${id}: approved once`)
  }
  const trail = await auditOf(ctx, erasure.id)
  t.equal(trail.filter((e) => e.action === 'request.complete').length, 1, 'the erasure ran once')
  t.equal((await ctx.service.audit.list({ action: 'partner.redacted', subjectType: 'partner', subjectId: String(subject.id), limit: 10 })).length, 1, 'the contact was redacted once')
  t.equal((await auditOf(ctx, manual.id)).filter((e) => e.action === 'request.verify_manually').length, 1, 'the verification was recorded once')
})

await t.test('while an action waits, another verification, fulfilment or type change is refused; a denial, a withdrawal or a code drops it', async (t) => {
  const ctx = await setUp(t, 'erasure', { orders: 5 })
  const evidence = { evidence: EVIDENCE }
  const denied = await create(ctx, { type: 'access', email: 'a@nowhere.example' })
  t.equal((await call(ctx, ctx.anna, 'POST', `/v1/requests/${denied.id}/verification/manual`, evidence)).statusCode, 202)
  for (const who of [ctx.anna, ctx.ben]) {
    const twice = await call(ctx, who, 'POST', `/v1/requests/${denied.id}/verification/manual`, evidence)
    t.equal(twice.statusCode, 409)
    t.equal(twice.json<Problem>().type, 'urn:problem:approval-pending')
  }
  const retyped = await call(ctx, ctx.ben, 'PATCH', `/v1/requests/${denied.id}`, { type: 'erasure' })
  t.equal(retyped.statusCode, 409)
  t.equal(retyped.json<Problem>().type, 'urn:problem:approval-pending')
  const deny = await call(ctx, ctx.ben, 'POST', `/v1/requests/${denied.id}/deny`, { reason: 'identity_not_verified' })
  t.match(deny.json(), { state: 'denied', approval: null })
  t.match((await history(ctx, denied.id)).at(-1), { action: 'deny', details: { approvalDropped: 'verify_manually' } })
  t.equal((await decide(ctx, ctx.ben, denied.id, 'approve')).statusCode, 409)

  const withdrawn = await create(ctx, { type: 'access', email: 'b@nowhere.example' })
  await call(ctx, ctx.anna, 'POST', `/v1/requests/${withdrawn.id}/verification/manual`, evidence)
  t.match((await call(ctx, ctx.anna, 'POST', `/v1/requests/${withdrawn.id}/withdraw`)).json(), { state: 'withdrawn', approval: null })
  t.equal((await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM rights_requests WHERE approval_input IS NOT NULL')).rows[0]?.n, 0, 'the sealed evidence went with it')

  const coded = await create(ctx, { type: 'access', email: 'c@nowhere.example' })
  await call(ctx, ctx.anna, 'POST', `/v1/requests/${coded.id}/verification`)
  t.equal((await call(ctx, ctx.anna, 'POST', `/v1/requests/${coded.id}/verification/manual`, evidence)).statusCode, 202)
  const confirmed = await call(ctx, ctx.anna, 'POST', `/v1/requests/${coded.id}/verification/confirm`, { code: await sentCode(ctx, coded.id) })
  t.match(confirmed.json(), { state: 'verified', approval: null, verification: { method: 'code' } })
  t.match((await history(ctx, coded.id)).at(-1), { action: 'verify_code', details: { approvalDropped: 'verify_manually' } })

  const erasure = await verifiedByCode(ctx, { type: 'erasure', email: 'd@nowhere.example' })
  t.equal((await call(ctx, ctx.anna, 'POST', `/v1/requests/${erasure.id}/fulfilment`, {})).statusCode, 202)
  const again = await call(ctx, ctx.ben, 'POST', `/v1/requests/${erasure.id}/fulfilment`, {})
  t.equal(again.statusCode, 409)
  t.equal(again.json<Problem>().type, 'urn:problem:approval-pending')
})

await t.test('a verified request changes its type only with reverify, and must then be verified again', async (t) => {
  const ctx = await setUp(t, 'erasure', { orders: 5 })
  const request = await verifiedByCode(ctx, { type: 'access', email: 'e@nowhere.example' })
  const refused = await call(ctx, ctx.anna, 'PATCH', `/v1/requests/${request.id}`, { type: 'erasure' })
  t.equal(refused.statusCode, 409)
  t.match(refused.json(), { type: 'urn:problem:verification-bound-to-type', detail: /"reverify": true/ })
  t.match((await call(ctx, ctx.anna, 'GET', `/v1/requests/${request.id}`)).json(), { type: 'access', state: 'verified', verification: { method: 'code' } })

  const retyped = await call(ctx, ctx.anna, 'PATCH', `/v1/requests/${request.id}`, { type: 'erasure', reverify: true })
  t.equal(retyped.statusCode, 200, retyped.body)
  t.match(retyped.json(), { type: 'erasure', state: 'received', verification: null, allowedActions: ['send_verification', 'verify_manually', 'deny', 'withdraw'] })
  t.match((await history(ctx, request.id)).at(-1), { action: 'reclassified', actor: ctx.anna.actor, fromState: 'verified', toState: 'received', details: { from: 'access', to: 'erasure', reverify: true, verificationDropped: 'code' } })
  t.match((await ctx.service.audit.list({ action: 'request.reclassified', limit: 5 })).at(-1), { actor: ctx.anna.actor, details: { from: 'access', to: 'erasure', reverify: true, fromState: 'verified', toState: 'received' } })
  t.equal((await call(ctx, ctx.anna, 'POST', `/v1/requests/${request.id}/fulfilment`, {})).statusCode, 409, 'not verified any more')

  const unverified = await create(ctx, { type: 'access', email: 'f@nowhere.example' })
  t.match((await call(ctx, ctx.anna, 'PATCH', `/v1/requests/${unverified.id}`, { type: 'portability' })).json(), { type: 'portability', state: 'received' }, 'before verification a type changes freely')
})

await t.test('the evidence and the corrections of a waiting action stay sealed: never in the audit trail, the history or the logs', async (t) => {
  const ctx = await setUp(t, 'all')
  const subject = await customer(ctx)
  const manual = await create(ctx, { type: 'access', email: 'requester@example.com' })
  t.equal((await call(ctx, ctx.anna, 'POST', `/v1/requests/${manual.id}/verification/manual`, { evidence: EVIDENCE })).statusCode, 202)
  const rectification = await verifiedByCode(ctx, { type: 'rectification', email: subject.email })
  const changes = { street: 'Geheimweg 42', city: 'Quirinusstadt' }
  t.equal((await call(ctx, ctx.anna, 'POST', `/v1/requests/${rectification.id}/fulfilment`, { changes })).statusCode, 202)
  t.not(ctx.sim.store.get('res.partner', subject.id)?.street, 'Geheimweg 42', 'Odoo is untouched while it waits')

  const secrets = [/Quirinus/, /5550199/, /Geheimweg/]
  const leaks = async (when: string) => {
    const places = {
      'the audit trail': JSON.stringify(await ctx.service.audit.list({ limit: 500 })),
      'the history': JSON.stringify([...(await history(ctx, manual.id)), ...(await history(ctx, rectification.id))]),
      'the request views': (await call(ctx, ctx.anna, 'GET', '/v1/requests')).body,
      'the logs': ctx.logs(),
      'the request rows': JSON.stringify((await ctx.pool.query('SELECT * FROM rights_requests')).rows)
    }
    for (const [place, text] of Object.entries(places)) for (const secret of secrets) t.notMatch(text, secret, `${when}: ${secret} is not in ${place}`)
  }
  t.ok(ctx.logs().includes('/v1/requests/:id/verification/manual'), 'the calls were logged')
  await leaks('waiting')

  t.equal((await decide(ctx, ctx.ben, manual.id, 'approve')).statusCode, 200)
  const done = await decide(ctx, ctx.ben, rectification.id, 'approve')
  t.equal(done.statusCode, 200, done.body)
  t.match(done.json<RequestBody>().outcome, { rectifiedFields: ['street', 'city'] })
  t.equal(ctx.sim.store.get('res.partner', subject.id)?.street, 'Geheimweg 42', 'the approved correction reached Odoo')
  const row = (await ctx.pool.query<Pick<StoredRequest, 'verification' | 'approval'> & { approval_input: string | null }>('SELECT verification, approval, approval_input FROM rights_requests WHERE id = $1', [manual.id])).rows[0]
  if (!row) throw new Error(`request ${manual.id} is not stored`)
  t.equal(ctx.service.cipher.open(String(row.verification?.evidence), `request:${manual.id}:evidence`), EVIDENCE, 'the evidence is kept sealed as any manual verification\'s')
  t.same([row.approval, row.approval_input], [null, null])
  await leaks('decided')
})
