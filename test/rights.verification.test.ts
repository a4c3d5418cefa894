import t from 'tap'
import type { Test } from 'tap'
import { readFileSync } from 'node:fs'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import { sentCode } from './support/rights.ts'

const MAX_ATTEMPTS = 5

// The code's own attempt counter is under test: the API's rate limits, which would otherwise
// refuse most of these calls before any code is looked at, are off.
async function setUp(t: Test): Promise<TestService> {
  const clock = fixedClock('2026-11-23T10:00:00Z')
  const sim = await simulator(t, { orders: 10, now: () => clock.now() })
  const ctx = await startTestService(t, {
    odoo: sim,
    clock,
    env: { RIGHTS_CODE_MAX_ATTEMPTS: String(MAX_ATTEMPTS), RATE_LIMIT_CODE_CONFIRMATIONS: '0', RATE_LIMIT_INTAKE_PER_SENDER: '0', INTAKE_ALLOW_UNSIGNED: 'true' }
  })
  await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  return ctx
}

function baseUrl(ctx: TestService): string {
  const address = ctx.app.server.address()
  if (typeof address !== 'object' || !address) throw new Error('the app is not listening')
  return `http://127.0.0.1:${address.port}`
}

async function post(ctx: TestService, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl(ctx)}${path}`, {
    method: 'POST',
    headers: { ...ctx.auth.agent, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

/** A request awaiting verification, and the code its requester was sent. */
async function awaitingVerification(ctx: TestService): Promise<{ id: string; code: string; wrong: string }> {
  const created = await post(ctx, '/v1/requests', { type: 'access', email: 'racer@example.com' })
  const id = String(created.body.id)
  const sent = await post(ctx, `/v1/requests/${id}/verification`)
  if (sent.status !== 200) throw new Error(`send verification: ${sent.status} ${JSON.stringify(sent.body)}`)
  const code = await sentCode(ctx, id)
  return { id, code, wrong: code === '000000' ? '111111' : '000000' }
}

async function failuresAudited(ctx: TestService, id: string): Promise<number | undefined> {
  return (await ctx.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'request.verification_failed' AND subject_id = $1", [id])).rows[0]?.n
}

function tally(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {}
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1
  return counts
}

await t.test('fifty wrong codes sent at once are checked at most RIGHTS_CODE_MAX_ATTEMPTS times, and then even the right code is refused', async (t) => {
  const ctx = await setUp(t)
  const { id, code, wrong } = await awaitingVerification(ctx)

  const answers = await Promise.all(Array.from({ length: 50 }, () => post(ctx, `/v1/requests/${id}/verification/confirm`, { code: wrong })))

  t.same(tally(answers.map((a) => a.status)), { 422: MAX_ATTEMPTS, 429: 50 - MAX_ATTEMPTS }, 'one wrong-code answer per attempt, the rest refused unchecked')
  t.same(answers.filter((a) => a.status === 429).map((a) => a.body.type).filter((type) => type !== 'urn:problem:verification-attempts-exhausted'), [])
  t.same(answers.filter((a) => a.status === 422).map((a) => a.body.detail).sort(), [0, 1, 2, 3, 4].map((left) => `The code does not match (${left} attempts left).`), 'each attempt was counted once')
  t.equal(await failuresAudited(ctx, id), MAX_ATTEMPTS, 'the audit trail holds one verification_failed per checked code')
  t.equal((await ctx.pool.query<{ attempts: number }>('SELECT attempts FROM verification_codes WHERE request_id = $1', [id])).rows[0]?.attempts, MAX_ATTEMPTS)

  const right = await post(ctx, `/v1/requests/${id}/verification/confirm`, { code })
  t.equal(right.status, 429)
  t.equal(right.body.type, 'urn:problem:verification-attempts-exhausted', 'the right code is refused until a new one is sent')
  t.equal(await failuresAudited(ctx, id), MAX_ATTEMPTS)

  t.equal((await post(ctx, `/v1/requests/${id}/verification`)).status, 200)
  const fresh = await post(ctx, `/v1/requests/${id}/verification/confirm`, { code: await sentCode(ctx, id) })
  t.equal(fresh.status, 200)
  t.match(fresh.body, { state: 'verified', verification: { method: 'code' } })
})

await t.test('wrong codes arriving at once by API and in mail replies share one attempt counter', async (t) => {
  const ctx = await setUp(t)
  const { id, code, wrong } = await awaitingVerification(ctx)
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/forwardemail-webhook.json', import.meta.url), 'utf8')) as Record<string, unknown>
  const reply = (n: number) => ({ ...fixture, messageId: `<race-${n}@mail.example>`, subject: `Re: [${id}] Your request`, text: `My code: ${wrong}` })

  const [byApi, byMail] = await Promise.all([
    Promise.all(Array.from({ length: 25 }, () => post(ctx, `/v1/requests/${id}/verification/confirm`, { code: wrong }))),
    Promise.all(Array.from({ length: 25 }, (_, n) => fetch(`${baseUrl(ctx)}/v1/intake/forwardemail`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(reply(n)) })))
  ])

  t.same(byMail.map((res) => res.status).filter((status) => status !== 200), [], 'every reply is stored and answered 200')
  t.equal(await failuresAudited(ctx, id), MAX_ATTEMPTS, 'no more codes were checked than the code allows, whichever way they came')
  t.ok(byApi.filter((a) => a.status === 422).length <= MAX_ATTEMPTS)
  t.equal((await post(ctx, `/v1/requests/${id}/verification/confirm`, { code })).body.type, 'urn:problem:verification-attempts-exhausted')
})
