import t from 'tap'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { startTestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { smtpServer } from './support/smtp.ts'
import { until } from './support/until.ts'
import type { Json } from './support/json.ts'
import { messageKey } from '../src/intake/intake-service.ts'
import { forwardEmailPayloadSchema } from '../src/intake/forwardemail-payload.ts'
import type { OutboxEntry } from '../src/mail/outbox.ts'

const KEY = 'fe-webhook-key-0123456789abcdef'

await t.test('a request mailed to the privacy address is acknowledged by mail, threaded, through a real SMTP server', async (t) => {
  const smtp = await smtpServer(t)
  const sim = await simulator(t, { orders: 5 })
  const ctx = await startTestService(t, { odoo: sim, role: 'all', env: { FORWARDEMAIL_WEBHOOK_KEY: KEY, SMTP_URL: smtp.url, MAIL_FROM: 'Privacy <privacy@shop.example>' } })
  const message = forwardEmailPayloadSchema.parse(JSON.parse(readFileSync(new URL('./fixtures/forwardemail-webhook.json', import.meta.url), 'utf8')))
  const payload = JSON.stringify(message)
  const sender = String(message.from.value[0]?.address)
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/intake/forwardemail', payload, headers: { 'content-type': 'application/json', 'x-webhook-signature': createHmac('sha256', KEY).update(payload).digest('hex') } })
  t.equal(res.statusCode, 200)
  // The webhook's answer names no request: the message's row does.
  const [inbound] = (await ctx.pool.query<{ request_id: string | null }>('SELECT request_id FROM inbound_messages WHERE message_key = $1', [messageKey(ctx.service.cipher, message.messageId)])).rows
  if (!inbound?.request_id) throw new Error('the message opened no request')
  const requestId = inbound.request_id
  t.match(requestId, /^RR-/)
  await until(() => smtp.received.length > 0, { what: 'the acknowledgement at the SMTP server', timeoutMs: 15_000 })
  const [mail] = smtp.received
  t.ok(mail, 'the acknowledgement went out')
  t.same(mail?.to, [sender])
  t.match(mail?.raw, new RegExp(`Subject: .*${requestId}`))
  t.match(mail?.raw, /Message-ID: <[0-9a-f-]{36}@shop\.example>/i)
  t.match(mail?.raw, /Auto-Submitted: auto-generated/i)
  // The row is marked sent once the SMTP server has accepted the message, a moment after it arrived.
  const state = async () => (await ctx.pool.query<{ state: string }>("SELECT state FROM outbox WHERE request_id = $1 AND kind = 'acknowledgement'", [requestId])).rows[0]?.state
  await until(async () => (await state()) === 'sent', { what: 'the outbox row to be marked sent', timeoutMs: 5_000 })
  t.equal(await state(), 'sent')
  const outbox = (await ctx.app.inject({ url: '/v1/outbox?state=sent', headers: ctx.auth.admin })).json<Json<{ items: OutboxEntry[]; nextCursor: string | null }>>()
  t.ok(outbox.items.length >= 1)
  t.notOk(JSON.stringify(outbox).includes(sender), 'the outbox view shows no address')
})
