import t from 'tap'
import type { Test } from 'tap'
import { readFileSync } from 'node:fs'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import type { ControlledClock } from './support/clock.ts'
import { sentCode } from './support/rights.ts'
import type { Json } from './support/json.ts'
import type { RequestView } from '../src/rights/request-view.ts'

const MINUTE = 60_000
const WEBHOOK = '/v1/intake/forwardemail'
const fixture = JSON.parse(readFileSync(new URL('./fixtures/forwardemail-webhook.json', import.meta.url), 'utf8')) as Record<string, unknown>

interface Pair {
  a: TestService
  b: TestService
  clock: ControlledClock
}

/** Two API processes on one database, as behind a load balancer, with one clock. */
async function twoInstances(t: Test, env: Record<string, string>, options: { odoo?: boolean } = {}): Promise<Pair> {
  const clock = fixedClock('2026-11-23T10:00:00Z')
  const odoo = options.odoo ? await simulator(t, { orders: 5, now: () => clock.now() }) : undefined
  const a = await startTestService(t, { clock, env, ...(odoo ? { odoo } : {}) })
  const b = await startTestService(t, { clock, env, databaseUrl: a.databaseUrl, ...(odoo ? { odoo } : {}) })
  return { a, b, clock }
}

const badKey = { authorization: 'Bearer pbk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }

function listRequests(instance: TestService, from: string, headers: Record<string, string>) {
  return instance.app.inject({ url: '/v1/requests', remoteAddress: from, headers })
}

async function counterRows(instance: TestService): Promise<{ limit_name: string; key: string; hits: number }[]> {
  return (await instance.pool.query<{ limit_name: string; key: string; hits: number }>('SELECT limit_name, key, hits FROM rate_limit_counters ORDER BY limit_name, key')).rows
}

await t.test('failed authentications are limited per client address across two instances; successful ones do not count', async (t) => {
  const { a, b, clock } = await twoInstances(t, { RATE_LIMIT_AUTH_FAILURES: '3' })
  const attacker = '203.0.113.7'
  for (const instance of [a, b, a]) t.equal((await listRequests(instance, attacker, instance.auth.agent)).statusCode, 200, 'a valid key is let in')

  t.equal((await listRequests(a, attacker, badKey)).statusCode, 401)
  t.equal((await listRequests(b, attacker, {})).statusCode, 401, 'no key at all is a failure too')
  t.equal((await listRequests(a, attacker, b.auth.agent)).statusCode, 200, 'a success between failures counts for nothing')
  t.equal((await listRequests(b, attacker, badKey)).statusCode, 401)

  const refused = await listRequests(a, attacker, badKey)
  t.equal(refused.statusCode, 429, 'the fourth failure, on the other instance, is over the limit')
  t.equal(refused.headers['retry-after'], '900', 'the window runs 15 minutes from the first failure')
  t.match(refused.headers['content-type'], /^application\/problem\+json/)
  t.match(refused.json(), { type: 'urn:problem:rate-limited', title: 'Too Many Requests', status: 429, detail: 'Too many failed authentications from this address: try again in 900 seconds.', requestId: String })
  t.equal((await listRequests(b, attacker, b.auth.agent)).statusCode, 429, 'past the limit a valid key is refused too: a guess learns nothing')

  const other = '198.51.100.20'
  t.equal((await listRequests(b, other, badKey)).statusCode, 401, 'another address has its own count')
  t.equal((await listRequests(a, other, a.auth.agent)).statusCode, 200)

  clock.advance(10 * MINUTE)
  t.equal((await listRequests(b, attacker, badKey)).headers['retry-after'], '300')
  clock.advance(5 * MINUTE)
  t.equal((await listRequests(a, attacker, a.auth.agent)).statusCode, 200, 'the window has ended')
  t.equal((await listRequests(b, attacker, badKey)).statusCode, 401, 'and failures count from 1 again')
})

await t.test('forty failed authentications at once, on two instances, get exactly the limit of 401s', async (t) => {
  const { a, b } = await twoInstances(t, { RATE_LIMIT_AUTH_FAILURES: '5' })
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => listRequests(i % 2 ? a : b, '203.0.113.7', badKey)))
  const statuses = answers.map((res) => res.statusCode)
  t.equal(statuses.filter((status) => status === 401).length, 5)
  t.equal(statuses.filter((status) => status === 429).length, 35)
  t.same((await counterRows(a)).map((row) => [row.limit_name, row.hits]), [['auth-failures-per-address', 5]], 'one counter; refused calls take no slot')
})

await t.test('IPv6 clients count per /64; IPv4-mapped addresses as their IPv4 address', async (t) => {
  const { a, b } = await twoInstances(t, { RATE_LIMIT_AUTH_FAILURES: '2' })
  t.equal((await listRequests(a, '2001:db8:1:2::a', badKey)).statusCode, 401)
  t.equal((await listRequests(b, '2001:db8:1:2::b', badKey)).statusCode, 401)
  t.equal((await listRequests(a, '2001:db8:1:2:ffff::c', badKey)).statusCode, 429, 'one /64, one count')
  t.equal((await listRequests(b, '2001:db8:1:3::a', badKey)).statusCode, 401, 'the next /64 is another client')
  t.equal((await listRequests(a, '192.0.2.1', badKey)).statusCode, 401)
  t.equal((await listRequests(b, '::ffff:192.0.2.1', badKey)).statusCode, 401)
  t.equal((await listRequests(a, '192.0.2.1', badKey)).statusCode, 429)
})

await t.test('code confirmations are limited per request and per client address across two instances; a refused code is never checked', async (t) => {
  const { a, b, clock } = await twoInstances(t, { RATE_LIMIT_CODE_CONFIRMATIONS: '3', RIGHTS_CODE_MAX_ATTEMPTS: '20' }, { odoo: true })
  const confirm = (instance: TestService, id: string, code: string, from: string) =>
    instance.app.inject({ method: 'POST', url: `/v1/requests/${id}/verification/confirm`, remoteAddress: from, headers: instance.auth.agent, payload: { code } })
  const open = async () => {
    const res = await a.app.inject({ method: 'POST', url: '/v1/requests', headers: a.auth.agent, payload: { type: 'access', email: 'limited@example.com' } })
    return res.json<Json<RequestView>>().id
  }

  // Per request: three tries from three addresses, on both instances, use the request's window.
  const id = await open()
  t.equal((await a.app.inject({ method: 'POST', url: `/v1/requests/${id}/verification`, headers: a.auth.agent })).statusCode, 200)
  const code = await sentCode(a, id)
  const wrong = code === '000000' ? '111111' : '000000'
  t.equal((await confirm(a, id, wrong, '192.0.2.1')).statusCode, 422)
  t.equal((await confirm(b, id, wrong, '192.0.2.2')).statusCode, 422)
  t.equal((await confirm(a, id, wrong, '192.0.2.3')).statusCode, 422)
  const refused = await confirm(b, id, code, '192.0.2.4')
  t.equal(refused.statusCode, 429, 'the fourth confirmation of the request is refused, even with the right code')
  t.equal(refused.headers['retry-after'], '900')
  t.match(refused.json(), { type: 'urn:problem:rate-limited', status: 429, detail: 'Too many code confirmations for this request: try again in 900 seconds.' })
  t.equal((await a.pool.query<{ attempts: number }>('SELECT attempts FROM verification_codes WHERE request_id = $1', [id])).rows[0]?.attempts, 3, 'the refused code was not checked')

  // Per address: one address confirming on three requests (whatever the answer) uses its window.
  const from = '198.51.100.9'
  const others = [await open(), await open(), await open(), await open()]
  t.equal((await confirm(a, others[0] as string, wrong, from)).statusCode, 409, 'no code was sent: still a confirmation')
  t.equal((await confirm(b, others[1] as string, wrong, from)).statusCode, 409)
  t.equal((await confirm(a, others[2] as string, wrong, from)).statusCode, 409)
  const byAddress = await confirm(b, others[3] as string, wrong, from)
  t.equal(byAddress.statusCode, 429)
  t.match(byAddress.json(), { type: 'urn:problem:rate-limited', detail: /^Too many code confirmations from this address/ })
  t.equal((await confirm(b, others[3] as string, wrong, '198.51.100.10')).statusCode, 409, 'another address may')

  clock.advance(15 * MINUTE)
  const verified = await confirm(a, id, code, '192.0.2.4')
  t.equal(verified.statusCode, 200, 'a new window lets the right code through')
  t.match(verified.json(), { state: 'verified' })
})

await t.test('intake webhooks are limited per sender, counted under its blind index, and per client address when the sender is unreadable', async (t) => {
  const { a, b, clock } = await twoInstances(t, { RATE_LIMIT_INTAKE_PER_SENDER: '2', INTAKE_ALLOW_UNSIGNED: 'true' })
  const sender = 'juergen.mueller@example.net'
  let n = 0
  const deliver = (instance: TestService, address: string, from = '198.51.100.1') =>
    instance.app.inject({ method: 'POST', url: WEBHOOK, remoteAddress: from, payload: { ...fixture, messageId: `<limit-${++n}@mail.example>`, from: { value: [{ address, name: '' }], text: address } } })

  t.equal((await deliver(a, sender)).statusCode, 200)
  t.equal((await deliver(b, sender.toUpperCase())).statusCode, 200, 'the same address, however spelt')
  const refused = await deliver(a, sender)
  t.equal(refused.statusCode, 429, 'the third message of the hour is refused: ForwardEmail delivers it later')
  t.equal(refused.headers['retry-after'], '3600')
  t.match(refused.json(), { type: 'urn:problem:rate-limited', status: 429, detail: 'Too many messages from this sender: try again in 3600 seconds.' })
  t.equal((await deliver(b, 'someone.else@example.org')).statusCode, 200, 'another sender has its own count')
  t.equal((await a.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_messages')).rows[0]?.n, 3, 'the refused message was not stored')

  t.equal((await deliver(a, 'undisclosed-recipients:;', '192.0.2.50')).statusCode, 200)
  t.equal((await deliver(b, '', '192.0.2.50')).statusCode, 200)
  t.equal((await deliver(a, 'not an address', '192.0.2.50')).statusCode, 429, 'without a readable sender, the client address is counted')
  t.equal((await deliver(b, 'not an address', '192.0.2.51')).statusCode, 200)

  const stored = JSON.stringify(await counterRows(a))
  t.notOk(stored.includes('example.net') || stored.includes('juergen'), 'no address in clear')
  t.notOk(stored.includes('192.0.2.50'), 'nor a client address')
  t.ok(stored.includes(`sender:${a.service.cipher.blindIndex('email', sender)}`), 'the sender is counted under its blind index')

  clock.advance(60 * MINUTE)
  t.equal((await deliver(b, sender)).statusCode, 200, 'the next hour lets the sender through')
})

await t.test('a limit set to 0 is off', async (t) => {
  const { a, b } = await twoInstances(t, { RATE_LIMIT_AUTH_FAILURES: '0', RATE_LIMIT_CODE_CONFIRMATIONS: '0', RATE_LIMIT_INTAKE_PER_SENDER: '0' })
  for (let i = 0; i < 25; i++) t.equal((await listRequests(i % 2 ? a : b, '203.0.113.7', badKey)).statusCode, 401)
  for (let i = 0; i < 12; i++) t.equal((await a.app.inject({ method: 'POST', url: '/v1/requests/RR-0000000000/verification/confirm', headers: a.auth.agent, payload: { code: '123456' } })).statusCode, 404)
  t.same(await counterRows(a), [], 'nothing is counted')
})

await t.test('expired counters are deleted when new windows start, so they do not pile up', async (t) => {
  const { a, b, clock } = await twoInstances(t, {})
  for (let i = 1; i <= 30; i++) await listRequests(i % 2 ? a : b, `203.0.113.${i}`, badKey)
  t.equal((await counterRows(a)).length, 30)
  clock.advance(15 * MINUTE)
  await listRequests(b, '198.51.100.1', badKey)
  t.same((await counterRows(a)).map((row) => row.hits), [1], 'only the live counter is left')
})

await t.test('the defaults: 20 failed authentications per address per 15 minutes', async (t) => {
  const { a, b } = await twoInstances(t, {})
  const statuses = []
  for (let i = 0; i < 21; i++) statuses.push((await listRequests(i % 2 ? a : b, '203.0.113.7', badKey)).statusCode)
  t.same(statuses, [...Array<number>(20).fill(401), 429])
})
