import t from 'tap'
import type { Test } from 'tap'
import { readFileSync } from 'node:fs'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import { sentCode } from './support/rights.ts'
import { createPrivacyBridgeClient } from '../src/client/index.ts'
import type { ApiSchema, PrivacyBridgeClient } from '../src/client/index.ts'

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

/** The service's typed client with an agent's key, over real HTTP. */
function agentApi(ctx: TestService): PrivacyBridgeClient {
  return createPrivacyBridgeClient({ baseUrl: baseUrl(ctx), headers: ctx.auth.agent })
}

/** A code confirmation: its status, and the request or the problem it answered with. */
async function confirm(ctx: TestService, id: string, code: string): Promise<{ status: number; request?: ApiSchema<'RightsRequest'>; problem?: ApiSchema<'Problem'> }> {
  const { data, error, response } = await agentApi(ctx).POST('/v1/requests/{id}/verification/confirm', { params: { path: { id } }, body: { code } })
  return { status: response.status, request: data, problem: error }
}

async function sendCode(ctx: TestService, id: string): Promise<number> {
  const sent = await agentApi(ctx).POST('/v1/requests/{id}/verification', { params: { path: { id } } })
  if (sent.error) throw new Error(`send verification: ${sent.response.status} ${JSON.stringify(sent.error)}`)
  return sent.response.status
}

/** A request awaiting verification, and the code its requester was sent. */
async function awaitingVerification(ctx: TestService): Promise<{ id: string; code: string; wrong: string }> {
  const created = await agentApi(ctx).POST('/v1/requests', { body: { type: 'access', email: 'racer@example.com' } })
  if (!created.data) throw new Error(`create: ${created.response.status} ${JSON.stringify(created.error)}`)
  const id = created.data.id
  await sendCode(ctx, id)
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

  const answers = await Promise.all(Array.from({ length: 50 }, () => confirm(ctx, id, wrong)))

  t.same(tally(answers.map((a) => a.status)), { 422: MAX_ATTEMPTS, 429: 50 - MAX_ATTEMPTS }, 'one wrong-code answer per attempt, the rest refused unchecked')
  t.same(answers.filter((a) => a.status === 429).map((a) => a.problem?.type).filter((type) => type !== 'urn:problem:verification-attempts-exhausted'), [])
  t.same(answers.filter((a) => a.status === 422).map((a) => a.problem?.detail).sort(), [0, 1, 2, 3, 4].map((left) => `The code does not match (${left} attempts left).`), 'each attempt was counted once')
  t.equal(await failuresAudited(ctx, id), MAX_ATTEMPTS, 'the audit trail holds one verification_failed per checked code')
  t.equal((await ctx.pool.query<{ attempts: number }>('SELECT attempts FROM verification_codes WHERE request_id = $1', [id])).rows[0]?.attempts, MAX_ATTEMPTS)

  const right = await confirm(ctx, id, code)
  t.equal(right.status, 429)
  t.equal(right.problem?.type, 'urn:problem:verification-attempts-exhausted', 'the right code is refused until a new one is sent')
  t.equal(await failuresAudited(ctx, id), MAX_ATTEMPTS)

  t.equal(await sendCode(ctx, id), 200)
  const fresh = await confirm(ctx, id, await sentCode(ctx, id))
  t.equal(fresh.status, 200)
  t.match(fresh.request, { state: 'verified', verification: { method: 'code' } })
})

await t.test('wrong codes arriving at once by API and in mail replies share one attempt counter', async (t) => {
  const ctx = await setUp(t)
  const { id, code, wrong } = await awaitingVerification(ctx)
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/forwardemail-webhook.json', import.meta.url), 'utf8')) as ApiSchema<'ForwardEmailMessageInput'>
  const intake = createPrivacyBridgeClient({ baseUrl: baseUrl(ctx) })
  const reply = (n: number) => ({ ...fixture, messageId: `<race-${n}@mail.example>`, subject: `Re: [${id}] Your request`, text: `My code: ${wrong}` })

  const [byApi, byMail] = await Promise.all([
    Promise.all(Array.from({ length: 25 }, () => confirm(ctx, id, wrong))),
    Promise.all(Array.from({ length: 25 }, (_, n) => intake.POST('/v1/intake/forwardemail', { body: reply(n) })))
  ])

  t.same(byMail.map((res) => res.response.status).filter((status) => status !== 200), [], 'every reply is stored and answered 200')
  t.equal(await failuresAudited(ctx, id), MAX_ATTEMPTS, 'no more codes were checked than the code allows, whichever way they came')
  t.ok(byApi.filter((a) => a.status === 422).length <= MAX_ATTEMPTS)
  t.equal((await confirm(ctx, id, code)).problem?.type, 'urn:problem:verification-attempts-exhausted')
})
