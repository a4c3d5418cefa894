import t from 'tap'
import type { Test } from 'tap'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { storedMessage } from './support/intake.ts'

// Mail from anyone, through the whole service: what it costs is bounded, what it says still counts (issue #12).

const KEY = 'fe-webhook-key-0123456789abcdef'
const WEBHOOK = '/v1/intake/forwardemail'
const sample = JSON.parse(readFileSync(new URL('./fixtures/forwardemail-webhook.json', import.meta.url), 'utf8')) as Record<string, unknown>

async function setUp(t: Test, env: Record<string, string> = {}): Promise<TestService> {
  return startTestService(t, { env: { FORWARDEMAIL_WEBHOOK_KEY: KEY, MAIL_FROM: 'Privacy <privacy@shop.example>', ...env } })
}

function signed(over: Record<string, unknown>): { payload: string; headers: Record<string, string> } {
  const payload = JSON.stringify({ ...sample, ...over })
  return { payload, headers: { 'content-type': 'application/json', 'x-webhook-signature': createHmac('sha256', KEY).update(payload).digest('hex') } }
}

await t.test('a message of 100 kB of one letter opens an unclassified request, and the service answers its probes meanwhile', async (t) => {
  const ctx = await setUp(t)
  const letters = 'a'.repeat(100_000)
  const [webhook, live] = await Promise.all([
    ctx.app.inject({ method: 'POST', url: WEBHOOK, ...signed({ messageId: '<letters@mail.example>', subject: letters.slice(0, 5_000), text: letters }) }),
    ctx.app.inject({ url: '/health/live' })
  ])
  t.equal(webhook.statusCode, 200, webhook.body)
  t.same(webhook.json(), { status: 'accepted' })
  t.match(await storedMessage(ctx, '<letters@mail.example>'), { outcome: 'created', type: 'unclassified' })
  t.equal(live.statusCode, 200)
})

await t.test('a request in the first lines of a mail with 1 MB of HTML below is classified', async (t) => {
  const ctx = await setUp(t)
  const html = `<p>Bitte löschen Sie alle meine Daten.</p>${'<div><span>&nbsp;</span></div>'.repeat(35_000)}`
  const res = await ctx.app.inject({ method: 'POST', url: WEBHOOK, ...signed({ messageId: '<html@mail.example>', subject: 'Anfrage', text: html, html }) })
  t.equal(res.statusCode, 200, res.body)
  t.match(await storedMessage(ctx, '<html@mail.example>'), { outcome: 'created', type: 'erasure' })
})

await t.test('a reply with 5,000 References, ours the newest, joins its request', async (t) => {
  const ctx = await setUp(t)
  await ctx.app.inject({ method: 'POST', url: WEBHOOK, ...signed({ messageId: '<first@mail.example>' }) })
  const opened = await storedMessage(ctx, '<first@mail.example>')
  const [ours] = (await ctx.pool.query<{ id: string }>('SELECT id FROM outbox WHERE request_id = $1 ORDER BY seq LIMIT 1', [opened.requestId])).rows
  if (!ours) throw new Error('the request queued no mail')
  const references = [...Array.from({ length: 4_999 }, (_, i) => `<thread-${i}@mail.example>`), `<${ours.id}@shop.example>`]
  const reply = signed({ messageId: '<reply@mail.example>', subject: 'Re: Ihre Anfrage', text: 'Danke!', inReplyTo: '<thread-4998@mail.example>', references })
  await ctx.app.inject({ method: 'POST', url: WEBHOOK, ...reply })
  t.match(await storedMessage(ctx, '<reply@mail.example>'), { outcome: 'attached', requestId: opened.requestId })
})

await t.test('attachments that arrive as arrays of integers are kept byte for byte where configured', async (t) => {
  const ctx = await setUp(t, { INTAKE_KEEP_ATTACHMENTS: 'true' })
  const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 131) % 256))
  const res = await ctx.app.inject({
    method: 'POST',
    url: WEBHOOK,
    ...signed({ messageId: '<scan@mail.example>', attachments: [{ filename: 'ausweis.pdf', contentType: 'application/pdf', size: bytes.length, content: bytes.toJSON() }] })
  })
  t.equal(res.statusCode, 200, res.body)
  const [row] = (await ctx.pool.query<{ id: string; attachments: string | null }>('SELECT id, attachments FROM inbound_messages')).rows
  if (!row?.attachments) throw new Error('no attachments were stored')
  const kept = JSON.parse(ctx.service.cipher.open(row.attachments, `inbound:${row.id}:attachments`)) as { filename: string; base64: string }[]
  t.equal(kept.length, 1)
  t.equal(kept[0]?.filename, 'ausweis.pdf')
  t.ok(Buffer.from(kept[0]?.base64 ?? '', 'base64').equals(bytes))
})
