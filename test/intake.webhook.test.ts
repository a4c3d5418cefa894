import t from 'tap'
import type { Test } from 'tap'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import { queuedMail, sentCode } from './support/rights.ts'
import { requestIdOf, storedMessage } from './support/intake.ts'
import type { Json } from './support/json.ts'
import type { answerSchema } from '../src/intake/http/forwardemail-route.ts'
import type { RequestView } from '../src/rights/request-view.ts'
import type { z } from 'zod'

const KEY = 'fe-webhook-key-0123456789abcdef'
const WEBHOOK = '/v1/intake/forwardemail'
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>

async function setUp(t: Test, env: Record<string, string> = {}): Promise<TestService> {
  const clock = fixedClock('2026-11-23T10:00:00Z')
  const sim = await simulator(t, { orders: 10, now: () => clock.now() })
  return startTestService(t, { odoo: sim, clock, env: { FORWARDEMAIL_WEBHOOK_KEY: KEY, MAIL_FROM: 'Privacy <privacy@shop.example>', ...env } })
}

function signed(body: unknown, key = KEY): { payload: string; headers: Record<string, string> } {
  const payload = JSON.stringify(body)
  return { payload, headers: { 'content-type': 'application/json', 'x-webhook-signature': createHmac('sha256', key).update(payload).digest('hex') } }
}

function message(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...fixture('forwardemail-webhook'), ...over }
}

const stored = storedMessage

type RequestBody = Json<RequestView>
type IntakeAnswer = z.infer<typeof answerSchema>

/** Posts a signed message; the answer, and what became of the message. */
async function deliver(ctx: TestService, body: Record<string, unknown>) {
  const res = await ctx.app.inject({ method: 'POST', url: WEBHOOK, ...signed(body) })
  return { res, ...(await stored(ctx, body.messageId)) }
}

async function counts(ctx: TestService): Promise<{ messages: number; requests: number }> {
  const [row] = (await ctx.pool.query<{ messages: number; requests: number }>('SELECT (SELECT count(*) FROM inbound_messages)::int AS messages, (SELECT count(*) FROM rights_requests)::int AS requests')).rows
  if (!row) throw new Error('a count without a row')
  return row
}

/** The id of the first mail we queued for a request, or of the newest: a reply names it in In-Reply-To. */
async function ourMailId(ctx: TestService, requestId: string, which: 'first' | 'newest' = 'first'): Promise<string> {
  const [row] = (await ctx.pool.query<{ id: string }>(`SELECT id FROM outbox WHERE request_id = $1 ORDER BY seq ${which === 'first' ? 'ASC' : 'DESC'} LIMIT 1`, [requestId])).rows
  if (!row) throw new Error('no mail queued for the request')
  return row.id
}

await t.test('a signed message opens a classified request, stores the original sealed, and acknowledges', async (t) => {
  const ctx = await setUp(t)
  const { res, ...outcome } = await deliver(ctx, message({ textAsHtml: '<p>Sehr geehrte Damen und Herren</p>', raw: 'Received: from mx.example.net\r\n' }))
  t.equal(res.statusCode, 200, res.body)
  t.same(res.json(), { status: 'accepted' }, 'the answer names no request, type, confidence or reason')
  t.match(outcome, { outcome: 'created', requestId: /^RR-/ })
  const request = (await ctx.app.inject({ url: `/v1/requests/${outcome.requestId}`, headers: ctx.auth.agent })).json<RequestBody>()
  t.match(request, { source: 'email', type: 'erasure', language: 'de', state: 'received' })
  const stored = JSON.stringify((await ctx.pool.query('SELECT * FROM inbound_messages')).rows)
  const sender = String((message().from as { value: { address: string }[] }).value[0]?.address)
  t.notOk(stored.includes(sender), 'the sender is not in clear')
  t.notOk(stored.includes(String(message().subject)), 'nor the subject')
  const [row] = (await ctx.pool.query<{ id: string; message: string | null }>('SELECT id, message FROM inbound_messages')).rows
  if (!row?.message) throw new Error('no message was stored')
  const kept = JSON.parse(ctx.service.cipher.open(row.message, `inbound:${row.id}:message`)) as Record<string, unknown>
  t.match(kept, { subject: message().subject, text: message().text, html: message().html }, 'the message is kept, sealed')
  t.notOk('raw' in kept || 'textAsHtml' in kept, 'without the raw source and the HTML mailparser derives from the text')
  t.match((await queuedMail(ctx, requestIdOf(outcome)))[0], { kind: 'acknowledgement', recipient: sender })
})

await t.test('deadlines run from when ForwardEmail received the mail; a Date header from the future or before 2000 is not believed', async (t) => {
  const ctx = await setUp(t)
  const receivedAt = async (over: Record<string, unknown>, n: number) => {
    const { requestId } = await deliver(ctx, message({ messageId: `<arrival-${n}@example.net>`, ...over }))
    return (await ctx.app.inject({ url: `/v1/requests/${requestId}`, headers: ctx.auth.agent })).json<RequestBody>().receivedAt
  }
  t.equal(await receivedAt({ session: { ...(message().session as object), arrivalTime: Date.parse('2026-11-22T08:00:00Z') } }, 1), '2026-11-22T08:00:00.000Z', 'ForwardEmail\'s arrival time')
  for (const [n, date] of [[2, '+275760-09-13T00:00:00.000Z'], [3, '2027-01-01T00:00:00Z'], [4, '1970-01-02T00:00:00Z']] as const) {
    t.equal(await receivedAt({ session: {}, date }, n), '2026-11-23T10:00:00.000Z', `Date ${date}: now instead`)
  }
})

await t.test('a tampered or unsigned body is refused with 401 and nothing is stored', async (t) => {
  const ctx = await setUp(t)
  const genuine = signed(message())
  const tampered = await ctx.app.inject({ method: 'POST', url: WEBHOOK, payload: genuine.payload.replace('löschen', 'behalten'), headers: genuine.headers })
  t.equal(tampered.statusCode, 401)
  const unsigned = await ctx.app.inject({ method: 'POST', url: WEBHOOK, payload: genuine.payload, headers: { 'content-type': 'application/json' } })
  t.equal(unsigned.statusCode, 401)
  const wrongKey = await ctx.app.inject({ method: 'POST', url: WEBHOOK, ...signed(message(), 'another-key-0123456789') })
  t.equal(wrongKey.statusCode, 401)
  t.same(await counts(ctx), { messages: 0, requests: 0 })
})

await t.test('the same message delivered twice, or twenty times at once, opens one request', async (t) => {
  const ctx = await setUp(t)
  const body = signed(message({ messageId: '<dup-1@mail.example>' }))
  const first = await ctx.app.inject({ method: 'POST', url: WEBHOOK, ...body })
  const opened = await stored(ctx, '<dup-1@mail.example>')
  const second = await ctx.app.inject({ method: 'POST', url: WEBHOOK, ...body })
  t.equal(first.statusCode, 200, 'ForwardEmail takes nothing but 200')
  t.same(first.json(), { status: 'accepted' })
  t.equal(second.statusCode, 200)
  t.same(second.json(), { status: 'duplicate' })
  t.same(await stored(ctx, '<dup-1@mail.example>'), opened, 'the repeat changed nothing')
  const burst = signed(message({ messageId: '<dup-2@mail.example>' }))
  const answers = await Promise.all(Array.from({ length: 20 }, () => ctx.app.inject({ method: 'POST', url: WEBHOOK, ...burst })))
  t.equal(answers.filter((a) => a.json<IntakeAnswer>().status === 'accepted').length, 1)
  t.equal(answers.filter((a) => a.json<IntakeAnswer>().status === 'duplicate').length, 19)
  t.ok(answers.every((a) => a.statusCode === 200))
  t.same(await counts(ctx), { messages: 2, requests: 2 })
})

await t.test('auto-replies, bounces and our own mail are recorded and ignored', async (t) => {
  const ctx = await setUp(t)
  const auto = await deliver(ctx, fixture('forwardemail-autoreply'))
  t.equal(auto.res.statusCode, 200)
  t.same(auto.res.json(), { status: 'accepted' })
  t.equal(auto.outcome, 'ignored')
  const daemon = message({ messageId: '<bounce-1@mx.example>', from: { value: [{ address: 'MAILER-DAEMON@mx.example', name: 'Mail Delivery System' }], text: 'MAILER-DAEMON@mx.example' } })
  t.match(await deliver(ctx, daemon), { res: { statusCode: 200 }, outcome: 'ignored' })
  const loop = message({ messageId: '<loop-1@shop.example>', from: { value: [{ address: 'privacy@shop.example', name: 'Privacy' }], text: 'privacy@shop.example' } })
  t.match(await deliver(ctx, loop), { res: { statusCode: 200 }, outcome: 'ignored', reason: 'own-address' })
  t.same(await counts(ctx), { messages: 3, requests: 0 })
})

await t.test('a reply joins its request, and the code in it verifies the requester', async (t) => {
  const ctx = await setUp(t)
  const opened = await deliver(ctx, message({ messageId: '<first@mail.example>' }))
  await ctx.app.inject({ method: 'POST', url: `/v1/requests/${opened.requestId}/verification`, headers: ctx.auth.agent })
  const code = await sentCode(ctx, requestIdOf(opened))
  const reply = message({ messageId: '<reply@mail.example>', subject: `Re: [${opened.requestId}] Ihre Anfrage`, inReplyTo: '<unknown@shop.example>', text: `Hier ist der Code: ${code}\n\n> Ihr Code lautet ...` })
  const { res, ...outcome } = await deliver(ctx, reply)
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'accepted' })
  t.match(outcome, { outcome: 'verified', requestId: opened.requestId })
  t.match((await ctx.app.inject({ url: `/v1/requests/${opened.requestId}`, headers: ctx.auth.agent })).json(), { state: 'verified', verification: { method: 'code', by: 'system' } })
  t.equal((await counts(ctx)).requests, 1)
})

await t.test('a reply to one of our messages (In-Reply-To) joins its request even without the id in the subject', async (t) => {
  const ctx = await setUp(t)
  const opened = await deliver(ctx, message({ messageId: '<first-2@mail.example>' }))
  const acknowledgement = await ourMailId(ctx, requestIdOf(opened))
  const reply = message({ messageId: '<reply-2@mail.example>', subject: 'Re: Ihre Anfrage', inReplyTo: `<${acknowledgement}@shop.example>`, text: 'Danke!' })
  t.match(await deliver(ctx, reply), { res: { statusCode: 200 }, outcome: 'attached', requestId: opened.requestId })
})

await t.test('mail the classifier cannot place lands as unclassified, for an agent to set its type', async (t) => {
  const ctx = await setUp(t)
  const vague = message({ messageId: '<vague@mail.example>', subject: 'Frage', text: 'Hallo, ich habe eine Frage zu meiner Bestellung. Viele Grüße' })
  const opened = await deliver(ctx, vague)
  t.match(opened, { outcome: 'created' })
  t.match((await ctx.app.inject({ url: `/v1/requests/${opened.requestId}`, headers: ctx.auth.agent })).json(), { type: 'unclassified' })
  const fulfil = await ctx.app.inject({ method: 'POST', url: `/v1/requests/${opened.requestId}/fulfilment`, headers: ctx.auth.agent, payload: {} })
  t.equal(fulfil.statusCode, 409)
  const set = await ctx.app.inject({ method: 'PATCH', url: `/v1/requests/${opened.requestId}`, headers: ctx.auth.agent, payload: { type: 'access' } })
  t.equal(set.statusCode, 200)
  t.match(set.json(), { type: 'access' })
  t.equal((await ctx.app.inject({ method: 'PATCH', url: `/v1/requests/${opened.requestId}`, headers: ctx.auth.agent, payload: { type: 'unclassified' } })).statusCode, 400)
})

await t.test('an oversize body is refused with 413 and nothing is stored', async (t) => {
  const ctx = await setUp(t, { INTAKE_BODY_LIMIT_BYTES: '70000' })
  const big = message({ messageId: '<big@mail.example>', text: 'x'.repeat(80_000) })
  const res = await ctx.app.inject({ method: 'POST', url: WEBHOOK, ...signed(big) })
  t.equal(res.statusCode, 413)
  t.same(await counts(ctx), { messages: 0, requests: 0 })
})


await t.test('without a configured key every webhook is refused with 503 naming FORWARDEMAIL_WEBHOOK_KEY, signed or not, and nothing is stored', async (t) => {
  const ctx = await setUp(t, { FORWARDEMAIL_WEBHOOK_KEY: '' })
  const unsigned = await ctx.app.inject({ method: 'POST', url: WEBHOOK, payload: JSON.stringify(message({ messageId: '<unsigned@mail.example>' })), headers: { 'content-type': 'application/json' } })
  const signedAnyway = await ctx.app.inject({ method: 'POST', url: WEBHOOK, ...signed(message({ messageId: '<signed@mail.example>' })) })
  const notJson = await ctx.app.inject({ method: 'POST', url: WEBHOOK, payload: 'hello', headers: { 'content-type': 'text/plain' } })
  for (const res of [unsigned, signedAnyway, notJson]) {
    t.equal(res.statusCode, 503)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.match(res.json(), { type: 'urn:problem:intake-disabled', status: 503, detail: /FORWARDEMAIL_WEBHOOK_KEY/ })
  }
  t.same(await counts(ctx), { messages: 0, requests: 0 })
  t.equal(ctx.logs().match(/the e-mail intake refuses every webhook/g)?.length, 1, 'start-up says so, once')
})

await t.test('INTAKE_ALLOW_UNSIGNED=true without a key takes unsigned messages and warns once at start-up; a body that is not a message is 400 and stores nothing', async (t) => {
  const ctx = await setUp(t, { FORWARDEMAIL_WEBHOOK_KEY: '', INTAKE_ALLOW_UNSIGNED: 'true' })
  const warnings = ctx.logs().split('\n').filter((line) => line.includes('INTAKE_ALLOW_UNSIGNED'))
  t.equal(warnings.length, 1, 'one warning')
  t.match(JSON.parse(warnings[0] ?? '{}'), { level: 40, msg: /anyone can open requests/ })
  t.notMatch(warnings[0], /PII_ENCRYPTION_KEY|ODOO_API_KEY|fe-webhook-key/, 'no secrets in it')
  const res = await ctx.app.inject({ method: 'POST', url: WEBHOOK, payload: JSON.stringify(message({ messageId: '<unsigned@mail.example>' })), headers: { 'content-type': 'application/json' } })
  t.equal(res.statusCode, 200, res.body)
  t.same(res.json(), { status: 'accepted' })
  t.equal((await stored(ctx, '<unsigned@mail.example>')).outcome, 'created')
  const bad = await ctx.app.inject({ method: 'POST', url: WEBHOOK, payload: JSON.stringify({ subject: 'no message id' }), headers: { 'content-type': 'application/json' } })
  t.equal(bad.statusCode, 400)
  t.match(bad.json(), { type: 'urn:problem:validation', errors: [{ path: /messageId|from/ }] })
  t.same(await counts(ctx), { messages: 1, requests: 1 })
})

await t.test('with a key, INTAKE_ALLOW_UNSIGNED=true changes nothing: unsigned messages are still 401', async (t) => {
  const ctx = await setUp(t, { INTAKE_ALLOW_UNSIGNED: 'true' })
  const res = await ctx.app.inject({ method: 'POST', url: WEBHOOK, payload: JSON.stringify(message()), headers: { 'content-type': 'application/json' } })
  t.equal(res.statusCode, 401)
  t.same(await counts(ctx), { messages: 0, requests: 0 })
  t.notMatch(ctx.logs(), /INTAKE_ALLOW_UNSIGNED|refuses every webhook/, 'no warning: the key is set')
})

await t.test("a stranger quoting a request's id and valid code, or answering our mail, opens a request for triage; the request stays unverified and its attempts untouched", async (t) => {
  const ctx = await setUp(t)
  const opened = await deliver(ctx, message({ messageId: '<owner@mail.example>' }))
  await ctx.app.inject({ method: 'POST', url: `/v1/requests/${opened.requestId}/verification`, headers: ctx.auth.agent })
  const code = await sentCode(ctx, requestIdOf(opened))
  const ourMail = await ourMailId(ctx, requestIdOf(opened), 'newest')
  const stranger = (n: number) => ({ from: { value: [{ address: `someone.else${n}@example.org`, name: 'Someone Else' }], text: `someone.else${n}@example.org` } })
  const quotingCode = message({ messageId: '<stranger-1@example.org>', ...stranger(1), subject: `Re: [${opened.requestId}] Ihre Anfrage`, text: `Code: ${code}` })
  const answering = message({ messageId: '<stranger-2@example.org>', ...stranger(2), subject: 'Re: Ihre Anfrage', inReplyTo: `<${ourMail}@shop.example>`, text: 'Code: 999999' })

  for (const mail of [quotingCode, answering]) {
    const { res, ...outcome } = await deliver(ctx, mail)
    t.same(res.json(), { status: 'accepted' })
    t.match(outcome, { outcome: 'created', reason: 'not-from-requester' }, 'not joined to the request it names')
    t.not(outcome.requestId, opened.requestId)
    const triage = (await ctx.app.inject({ url: `/v1/requests/${outcome.requestId}`, headers: ctx.auth.agent })).json<RequestBody>()
    t.match(triage, { type: 'unclassified', source: 'email', state: 'received', requester: { email: 's***@e***.org' } }, 'an agent finds it among the unclassified')
    t.match(triage.history, [{ action: 'created' }, { action: 'mail_received', details: { fromOtherAddress: true, refersTo: opened.requestId } }])
  }
  const original = (await ctx.app.inject({ url: `/v1/requests/${opened.requestId}`, headers: ctx.auth.agent })).json<RequestBody>()
  t.match(original, { state: 'awaiting_verification', verification: null })
  t.same(original.history?.filter((e) => e.action === 'mail_received').map((e) => e.details), [
    { fromOtherAddress: true, openedRequest: (await stored(ctx, '<stranger-1@example.org>')).requestId },
    { fromOtherAddress: true, openedRequest: (await stored(ctx, '<stranger-2@example.org>')).requestId }
  ], "the request's history shows who wrote about it from elsewhere")
  t.same((await ctx.pool.query('SELECT attempts FROM verification_codes WHERE request_id = $1', [opened.requestId])).rows, [{ attempts: 0 }], 'no code was tried')
  const list = (await ctx.app.inject({ url: '/v1/requests?type=unclassified', headers: ctx.auth.agent })).json<Json<{ items: RequestView[]; nextCursor: string | null }>>()
  t.equal(list.items.length, 2, 'both in the triage list')

  // The same code from the requester's own address (written differently) still verifies.
  const own = message({ messageId: '<owner-reply@mail.example>', from: { value: [{ address: 'Juergen.Mueller@EXAMPLE.net', name: 'Jürgen Müller' }], text: 'Juergen.Mueller@EXAMPLE.net' }, subject: `Re: [${opened.requestId}] Ihre Anfrage`, text: `Code: ${code}` })
  t.match(await deliver(ctx, own), { outcome: 'verified', requestId: opened.requestId })
  t.match((await ctx.app.inject({ url: `/v1/requests/${opened.requestId}`, headers: ctx.auth.agent })).json(), { state: 'verified' })
})

await t.test("a reply that answers our mail to its sender joins the sender's request, even when its subject names someone else's", async (t) => {
  const ctx = await setUp(t)
  const theirs = await deliver(ctx, message({ messageId: '<theirs@mail.example>' }))
  const other = { from: { value: [{ address: 'anna@example.org', name: 'Anna' }], text: 'anna@example.org' } }
  const own = await deliver(ctx, message({ messageId: '<anna-1@example.org>', ...other }))
  const ourMail = await ourMailId(ctx, requestIdOf(own))
  const reply = message({ messageId: '<anna-2@example.org>', ...other, subject: `Re: [${theirs.requestId}] Anfrage`, inReplyTo: `<${ourMail}@shop.example>`, text: 'Danke!' })
  t.match(await deliver(ctx, reply), { outcome: 'attached', requestId: own.requestId })
  t.equal((await counts(ctx)).requests, 2, 'no request for triage')
})
