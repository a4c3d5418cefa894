import t from 'tap'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { startTestService } from '../support/app.ts'
import { simulator } from '../support/simulator.ts'
import { realClock } from '../support/reliability-harness.ts'
import type { ChainVerdict } from '../../src/audit/audit-trail.ts'
import { createPrivacyBridgeClient } from '../../src/client/index.ts'
import type { ApiSchema } from '../../src/client/index.ts'

const KEY = 'fe-webhook-key-0123456789abcdef'
const DISTINCT = 900
/** Messages 0..DUPLICATED-1 are delivered twice more each: ForwardEmail retrying, or delivering twice. */
const DUPLICATED = 50
const CONCURRENCY = 50
const fixture = JSON.parse(readFileSync(new URL('../fixtures/forwardemail-webhook.json', import.meta.url), 'utf8')) as ApiSchema<'ForwardEmailMessageInput'>

function message(n: number): ApiSchema<'ForwardEmailMessageInput'> {
  const address = `burst-${n}@mail.example`
  return { ...fixture, messageId: `<burst-${n}@mail.example>`, from: { value: [{ address, name: `Kunde ${n}` }], text: address } }
}

/** A fixed shuffle (mulberry32), so duplicates arrive interleaved with, and often beside, their originals. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed
  const random = () => {
    state = (state + 0x6d2b79f5) | 0
    let x = Math.imul(state ^ (state >>> 15), 1 | state)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

await t.test('1,000 intake webhooks sent concurrently over HTTP: each distinct message stored once and opening one request, duplicates changing nothing, all answered 200', async (t) => {
  const sim = await simulator(t, { orders: 5 })
  const ctx = await startTestService(t, { odoo: sim, clock: realClock(), env: { FORWARDEMAIL_WEBHOOK_KEY: KEY, MAIL_FROM: 'Privacy <privacy@shop.example>' } })
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const intake = createPrivacyBridgeClient({ baseUrl: `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}` })

  const deliveries = shuffled([...Array.from({ length: DISTINCT }, (_, n) => n), ...Array.from({ length: DUPLICATED * 2 }, (_, i) => i % DUPLICATED)], 20261123)
  t.equal(deliveries.length, 1000, '1,000 deliveries, 100 of them repeats')
  const answers: Array<{ n: number; status: number; answer: { status?: string | number } }> = []
  let next = 0
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < deliveries.length) {
      const n = deliveries[next++] as number
      const body = message(n)
      // Signed as sent: the signature is of the body's bytes.
      const raw = JSON.stringify(body)
      const { data, error, response } = await intake.POST('/v1/intake/forwardemail', {
        body,
        bodySerializer: () => raw,
        headers: { 'x-webhook-signature': createHmac('sha256', KEY).update(raw).digest('hex') },
        signal: AbortSignal.timeout(60_000)
      })
      answers.push({ n, status: response.status, answer: data ?? error })
    }
  }))

  t.equal(answers.length, 1000, 'every delivery answered')
  t.same(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${JSON.stringify(a.answer)}`).slice(0, 5), [], 'all answered 200')
  const accepted = answers.filter((a) => a.answer.status === 'accepted')
  t.equal(accepted.length, DISTINCT, 'one "accepted" per distinct message')
  t.equal(new Set(accepted.map((a) => a.n)).size, DISTINCT, 'for every distinct message')
  const duplicates = answers.filter((a) => a.answer.status === 'duplicate')
  t.equal(duplicates.length, DUPLICATED * 2, 'every repeated delivery answered as a duplicate')

  const counts = (await ctx.pool.query<{ messages: number; keys: number; requests: number; linked: number; opened_for_sender: number; acknowledgements: number; audited: number }>(`SELECT
      (SELECT count(*) FROM inbound_messages)::int AS messages,
      (SELECT count(DISTINCT message_key) FROM inbound_messages)::int AS keys,
      (SELECT count(*) FROM rights_requests)::int AS requests,
      (SELECT count(DISTINCT request_id) FROM inbound_messages)::int AS linked,
      (SELECT count(*) FROM inbound_messages m JOIN rights_requests r ON r.id = m.request_id AND r.email_index = m.sender_index WHERE m.outcome = 'created')::int AS opened_for_sender,
      (SELECT count(*) FROM outbox WHERE kind = 'acknowledgement')::int AS acknowledgements,
      (SELECT count(*) FROM audit_log WHERE action = 'request.created')::int AS audited`)).rows[0]
  t.same(counts, { messages: DISTINCT, keys: DISTINCT, requests: DISTINCT, linked: DISTINCT, opened_for_sender: DISTINCT, acknowledgements: DISTINCT, audited: DISTINCT }, 'stored once, each opening one request for its own sender, one acknowledgement and one audit entry each')
  const verify = (await ctx.app.inject({ url: '/v1/audit/verify', headers: ctx.auth.auditor })).json<ChainVerdict>()
  t.match(verify, { ok: true }, 'the audit chain is intact after the concurrent inserts')
})
