import t from 'tap'
import type { Test } from 'tap'
import Fastify from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { smtpServer } from './support/smtp.ts'
import type { Received } from './support/smtp.ts'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { until } from './support/until.ts'
import type { Json } from './support/json.ts'
import { inTransaction } from '../src/db/database.ts'
import { authentication } from '../src/http/plugins/authentication.ts'
import { toProblem } from '../src/http/problems.ts'
import { queueMessage } from '../src/mail/outbox.ts'
import { createSmtpSender, SmtpSendError } from '../src/mail/smtp-sender.ts'
import { deliverOutboxMessage } from '../src/mail/outbox-delivery.ts'
import type { OutboxDeliveryDeps } from '../src/mail/outbox-delivery.ts'
import type { OutboxEntry } from '../src/mail/outbox.ts'
import { enqueueMailDelivery, MAIL_SEND_QUEUE, mailSendJob, sweepQueuedMail } from '../src/mail/outbox-jobs.ts'
import type { MailSendPayload } from '../src/mail/outbox-jobs.ts'
import { outboxRoutes } from '../src/mail/http/outbox-routes.ts'
import type { RequestView } from '../src/rights/request-view.ts'

const FROM = 'Privacy <privacy@shop.example>'

/** A page of `GET /v1/outbox`. */
type OutboxPage = Json<{ items: OutboxEntry[]; nextCursor: string | null }>

interface OutboxRow {
  id: string
  kind: string
  state: string
  attempts: number
  last_error: string | null
  message_id: string | null
  in_reply_to: string | null
  sent_at: Date | null
}

function deliveryDeps(ctx: TestService, smtp: { url: string }): OutboxDeliveryDeps {
  const { pool, cipher, clock, audit, log } = ctx.service
  return { pool, cipher, clock, audit, log, sender: createSmtpSender({ url: smtp.url, from: FROM, log, connectionTimeoutMs: 2000, greetingTimeoutMs: 2000, socketTimeoutMs: 5000 }) }
}

async function createRequest(ctx: TestService, email = 'jane@example.com'): Promise<string> {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: { type: 'access', email, language: 'en' } })
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`)
  return res.json<Json<RequestView>>().id
}

async function outboxOf(ctx: TestService, requestId: string): Promise<OutboxRow[]> {
  return (await ctx.pool.query<OutboxRow>('SELECT id, kind, state, attempts, last_error, message_id, in_reply_to, sent_at FROM outbox WHERE request_id = $1 ORDER BY seq', [requestId])).rows
}

/** The acknowledgement a new request queued: every delivery test starts from it. */
async function queuedAcknowledgement(ctx: TestService, requestId: string) {
  const [ack] = await outboxOf(ctx, requestId)
  if (!ack) throw new Error('no acknowledgement queued')
  return ack
}

async function outboxRow(ctx: TestService, id: string): Promise<Pick<OutboxRow, 'state' | 'attempts' | 'last_error' | 'sent_at'>> {
  const [row] = (await ctx.pool.query<Pick<OutboxRow, 'state' | 'attempts' | 'last_error' | 'sent_at'>>('SELECT state, attempts, last_error, sent_at FROM outbox WHERE id = $1', [id])).rows
  if (!row) throw new Error(`no outbox row ${id}`)
  return row
}

function openText(ctx: TestService, id: string, sealed: string): string {
  return ctx.service.cipher.open(sealed, `outbox:${id}:text`)
}

/** A header of a raw message, unfolded. */
function header(raw: string, name: string): string | undefined {
  const head = raw.split('\r\n\r\n')[0] ?? ''
  const unfolded = head.replace(/\r\n[ \t]+/g, ' ')
  return unfolded.split('\r\n').find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.slice(name.length + 1).trim()
}

/** The message with quoted-printable soft breaks and escapes undone, enough to look for body text. */
function decoded(raw: string): string {
  const bytes = raw.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => `%${hex}`)
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, '%25'))
}

await t.test('a queued message is delivered to the requester with its stable Message-ID and both bodies', async (t) => {
  const ctx = await startTestService(t)
  const smtp = await smtpServer(t)
  const requestId = await createRequest(ctx)
  const ack = await queuedAcknowledgement(ctx, requestId)

  t.equal(await deliverOutboxMessage(deliveryDeps(ctx, smtp), ack.id), 'sent')

  t.equal(smtp.received.length, 1)
  const mail = smtp.received[0] as Received
  t.same(mail.to, ['jane@example.com'])
  t.equal(header(mail.raw, 'Message-ID'), `<${ack.id}@shop.example>`)
  t.equal(header(mail.raw, 'From'), FROM)
  t.equal(header(mail.raw, 'Auto-Submitted'), 'auto-generated')
  t.notOk(header(mail.raw, 'In-Reply-To'), 'the first message of a request starts the thread')
  t.match(header(mail.raw, 'Subject'), requestId)
  const [sealed] = (await ctx.pool.query<{ body_text: string }>('SELECT body_text FROM outbox WHERE id = $1', [ack.id])).rows
  if (!sealed) throw new Error('the acknowledgement is gone')
  const firstLine = openText(ctx, ack.id, sealed.body_text).split('\n').find((line) => line.trim().length > 0) as string
  t.ok(decoded(mail.raw).includes(firstLine), 'the plain-text body')
  t.match(mail.raw, /Content-Type: text\/html/, 'the HTML body')
  t.match(await outboxOf(ctx, requestId), [{ state: 'sent', attempts: 1, last_error: null, message_id: `<${ack.id}@shop.example>`, sent_at: ctx.clock.now() }])
  const audit = (await ctx.pool.query(`SELECT subject_id, details FROM audit_log WHERE action = 'mail.sent'`)).rows
  t.match(audit, [{ subject_id: ack.id, details: { requestId, kind: 'acknowledgement', attempts: 1 } }])
})

await t.test("a later message of a request replies to the acknowledgement, so the requester's client keeps one conversation", async (t) => {
  const ctx = await startTestService(t)
  const smtp = await smtpServer(t)
  const requestId = await createRequest(ctx)
  // As the rights service queues a code (sending one for real needs Odoo, to find the subject).
  await inTransaction(ctx.pool, (db) =>
    queueMessage(db, ctx.service, { requestId, kind: 'verification_code', language: 'en', recipient: 'jane@example.com', subject: `Your code [${requestId}]`, text: 'Your code: 123456', html: '<p>Your code: <b>123456</b></p>' })
  )
  const [ack, code] = await outboxOf(ctx, requestId)
  if (!ack || !code) throw new Error('expected an acknowledgement and a code')

  // The code goes out first (the acknowledgement is still waiting): it still threads under it.
  await deliverOutboxMessage(deliveryDeps(ctx, smtp), code.id)
  await deliverOutboxMessage(deliveryDeps(ctx, smtp), ack.id)

  const [codeMail, ackMail] = smtp.received as [Received, Received]
  t.equal(header(codeMail.raw, 'In-Reply-To'), `<${ack.id}@shop.example>`)
  t.equal(header(codeMail.raw, 'References'), `<${ack.id}@shop.example>`)
  t.equal(header(ackMail.raw, 'Message-ID'), `<${ack.id}@shop.example>`, 'the acknowledgement carries the id it was referenced by')
  t.match(await outboxOf(ctx, requestId), [{ in_reply_to: null }, { in_reply_to: `<${ack.id}@shop.example>` }])
})

await t.test('while SMTP is down the message stays queued and is retried until the server is back', async (t) => {
  const ctx = await startTestService(t, { role: 'all' })
  const smtp = await smtpServer(t, { listening: false })
  const deps = deliveryDeps(ctx, smtp)
  await ctx.service.jobs.register([mailSendJob({ deliver: (id) => deliverOutboxMessage(deps, id), log: ctx.service.log, retryDelaySeconds: 1 })])
  const requestId = await createRequest(ctx)
  const ack = await queuedAcknowledgement(ctx, requestId)
  await inTransaction(ctx.pool, (db) => enqueueMailDelivery(ctx.service.jobs.boss, db, ack.id))

  const failed = await until(async () => {
    const row = await outboxRow(ctx, ack.id)
    return row.attempts >= 1 ? row : undefined
  }, { what: 'a failed attempt' })
  t.equal(failed.state, 'queued', 'the message waits')
  t.match(failed.last_error, /ECONNREFUSED|ECONNECTION|ESOCKET/)

  await smtp.start()
  const sent = await until(async () => {
    const row = await outboxRow(ctx, ack.id)
    return row.state === 'sent' ? row : undefined
  }, { what: 'delivery' })
  t.ok(sent.attempts >= 2)
  t.equal(sent.last_error, null)
  t.equal(smtp.received.length, 1)
  t.notMatch(ctx.logs(), 'jane@example.com', 'no address in the logs')
})

await t.test('a 4xx reply is transient: the message stays queued with the reason, the address masked', async (t) => {
  const ctx = await startTestService(t)
  const smtp = await smtpServer(t, { rcptReply: { code: 450, text: '4.2.0 <jane@example.com>: mailbox busy, try later' } })
  const requestId = await createRequest(ctx)
  const ack = await queuedAcknowledgement(ctx, requestId)

  await t.rejects(deliverOutboxMessage(deliveryDeps(ctx, smtp), ack.id), { name: 'SmtpSendError', transient: true })

  const row = await outboxRow(ctx, ack.id)
  t.match(row, { state: 'queued', attempts: 1, last_error: /450/ })
  t.notMatch(row.last_error, 'jane@example.com')
})

await t.test('a 5xx rejection marks the message failed, for good', async (t) => {
  const ctx = await startTestService(t)
  const smtp = await smtpServer(t, { rcptReply: { code: 550, text: '5.1.1 <jane@example.com>: no such user' } })
  const requestId = await createRequest(ctx)
  const ack = await queuedAcknowledgement(ctx, requestId)
  const deps = deliveryDeps(ctx, smtp)

  t.equal(await deliverOutboxMessage(deps, ack.id), 'failed')
  t.equal(await deliverOutboxMessage(deps, ack.id), 'already-done', 'a failed message is not tried again')

  const row = await outboxRow(ctx, ack.id)
  t.match(row, { state: 'failed', attempts: 1, last_error: /550.*\[address\].*no such user/ })
  t.notMatch(row.last_error, 'jane@example.com')
  t.equal(smtp.received.length, 0)
  const audit = (await ctx.pool.query(`SELECT outcome, details FROM audit_log WHERE action = 'mail.failed'`)).rows
  t.match(audit, [{ outcome: 'failure', details: { requestId, kind: 'acknowledgement' } }])
})

await t.test('delivering a message that was already sent sends nothing', async (t) => {
  const ctx = await startTestService(t)
  const smtp = await smtpServer(t)
  const requestId = await createRequest(ctx)
  const ack = await queuedAcknowledgement(ctx, requestId)
  const deps = deliveryDeps(ctx, smtp)

  t.equal(await deliverOutboxMessage(deps, ack.id), 'sent')
  t.equal(await deliverOutboxMessage(deps, ack.id), 'already-done')

  t.equal(smtp.received.length, 1)
  t.match(await outboxRow(ctx, ack.id), { state: 'sent', attempts: 1 })
})

await t.test('a message another worker is sending, or one that does not exist, is left alone', async (t) => {
  const ctx = await startTestService(t)
  const smtp = await smtpServer(t)
  const requestId = await createRequest(ctx)
  const ack = await queuedAcknowledgement(ctx, requestId)
  const deps = deliveryDeps(ctx, smtp)

  const outcome = await inTransaction(ctx.pool, async (db) => {
    await db.query('SELECT 1 FROM outbox WHERE id = $1 FOR UPDATE', [ack.id])
    return deliverOutboxMessage(deps, ack.id)
  })
  t.equal(outcome, 'in-progress')
  t.equal(await deliverOutboxMessage(deps, '00000000-0000-4000-8000-000000000000'), 'missing')
  t.equal(smtp.received.length, 0)
})

await t.test('the sweeper gives a job to every queued message that has none, and to no other', async (t) => {
  const ctx = await startTestService(t)
  const smtp = await smtpServer(t)
  const deps = deliveryDeps(ctx, smtp)
  const { boss } = ctx.service.jobs
  await ctx.service.jobs.register([mailSendJob({ deliver: (id) => deliverOutboxMessage(deps, id), log: ctx.service.log })])
  const queue = (recipient: string) =>
    inTransaction(ctx.pool, (db) => queueMessage(db, ctx.service, { requestId: null, kind: 'test', language: 'en', recipient, subject: 'Hello', text: 'Hello', html: '<p>Hello</p>' }))
  const orphan = await queue('a@example.com')
  const withJob = await queue('b@example.com')
  await inTransaction(ctx.pool, (db) => enqueueMailDelivery(boss, db, withJob))
  const sent = await queue('c@example.com')
  await deliverOutboxMessage(deps, sent)

  t.equal(await sweepQueuedMail({ pool: ctx.pool, boss }), 1)
  t.equal(await sweepQueuedMail({ pool: ctx.pool, boss }), 0, 'a second sweep finds every queued message with its job')

  const jobs = (await ctx.pool.query<{ singleton_key: string; data: MailSendPayload }>(`SELECT singleton_key, data FROM pgboss.job WHERE name = $1 ORDER BY singleton_key`, [MAIL_SEND_QUEUE])).rows
  t.same(jobs.map((job) => job.data.outboxId).sort(), [orphan, withJob].sort())
  t.same(jobs.map((job) => Object.keys(job.data).sort()), [['outboxId', 'v'], ['outboxId', 'v']], 'ids only in the payload')
})

await t.test('mail queued while no worker ran goes out once a worker sweeps it', async (t) => {
  const ctx = await startTestService(t, { role: 'all' })
  const smtp = await smtpServer(t)
  const requestId = await createRequest(ctx)
  const ack = await queuedAcknowledgement(ctx, requestId)

  const deps = deliveryDeps(ctx, smtp)
  await ctx.service.jobs.register([mailSendJob({ deliver: (id) => deliverOutboxMessage(deps, id), log: ctx.service.log })])
  t.equal(await sweepQueuedMail({ pool: ctx.pool, boss: ctx.service.jobs.boss }), 1)

  await until(async () => (await outboxRow(ctx, ack.id)).state === 'sent', { what: 'delivery' })
  t.equal(smtp.received.length, 1)
})

async function outboxApp(t: Test, ctx: TestService) {
  const app = Fastify().withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error, request.id)
    return reply.code(problem.status).type('application/problem+json').send(problem)
  })
  await app.register(authentication, { apiKeys: ctx.service.apiKeys, rateLimits: ctx.service.rateLimits })
  await app.register(outboxRoutes, { pool: ctx.pool })
  t.teardown(() => app.close())
  return app
}

await t.test('GET /v1/outbox shows where each message stands and never its recipient, subject or body', async (t) => {
  const ctx = await startTestService(t)
  const refusing = await smtpServer(t, { rcptReply: { code: 550, text: '5.1.1 <jane@example.com>: no such user' } })
  const first = await createRequest(ctx, 'jane@example.com')
  const second = await createRequest(ctx, 'joe@example.com')
  const [failedAck] = await outboxOf(ctx, first)
  await deliverOutboxMessage(deliveryDeps(ctx, refusing), failedAck?.id as string)
  const app = await outboxApp(t, ctx)

  const all = await app.inject({ method: 'GET', url: '/v1/outbox', headers: ctx.auth.admin })
  t.equal(all.statusCode, 200)
  t.match(all.json<OutboxPage>(), {
    items: [
      { id: failedAck?.id, requestId: first, kind: 'acknowledgement', language: 'en', state: 'failed', attempts: 1, lastError: /550/, messageId: `<${failedAck?.id}@shop.example>`, createdAt: String, sentAt: null },
      { requestId: second, state: 'queued', attempts: 0, lastError: null, messageId: null }
    ],
    nextCursor: null
  })
  t.notMatch(all.body, /jane@|joe@|recipient|subject|body/i, 'no address, subject or body')

  const queued = await app.inject({ method: 'GET', url: '/v1/outbox?state=queued', headers: ctx.auth.admin })
  t.same(queued.json<OutboxPage>().items.map((item) => item.requestId), [second])
})

await t.test('GET /v1/outbox pages with a cursor', async (t) => {
  const ctx = await startTestService(t)
  const requests = [await createRequest(ctx), await createRequest(ctx), await createRequest(ctx)]
  const app = await outboxApp(t, ctx)

  const page1 = (await app.inject({ method: 'GET', url: '/v1/outbox?limit=2', headers: ctx.auth.admin })).json<OutboxPage>()
  t.equal(page1.items.length, 2)
  t.type(page1.nextCursor, 'string')
  const page2 = (await app.inject({ method: 'GET', url: `/v1/outbox?limit=2&after=${String(page1.nextCursor)}`, headers: ctx.auth.admin })).json<OutboxPage>()
  t.same([...page1.items, ...page2.items].map((item) => item.requestId), requests)
  t.equal(page2.nextCursor, null)
})

await t.test('GET /v1/outbox is for admins only', async (t) => {
  const ctx = await startTestService(t)
  const app = await outboxApp(t, ctx)
  t.equal((await app.inject({ method: 'GET', url: '/v1/outbox', headers: ctx.auth.agent })).statusCode, 403)
  t.equal((await app.inject({ method: 'GET', url: '/v1/outbox' })).statusCode, 401)
})

await t.test('a sender error other than an SMTP failure is treated as transient', async (t) => {
  const ctx = await startTestService(t)
  const requestId = await createRequest(ctx)
  const ack = await queuedAcknowledgement(ctx, requestId)
  const { pool, cipher, clock, audit, log } = ctx.service
  const broken = { domain: 'shop.example', send: async () => Promise.reject(new Error('socket hang up')) }

  await t.rejects(deliverOutboxMessage({ pool, cipher, clock, audit, log, sender: broken }, ack.id), SmtpSendError)
  t.match(await outboxRow(ctx, ack.id), { state: 'queued', attempts: 1, last_error: 'socket hang up' })
})

await t.test('a message whose seal does not open stays queued with the reason', async (t) => {
  const ctx = await startTestService(t)
  const smtp = await smtpServer(t)
  const requestId = await createRequest(ctx)
  const ack = await queuedAcknowledgement(ctx, requestId)
  // A sealed value moved to another row does not authenticate.
  await ctx.pool.query(`UPDATE outbox SET subject = body_text WHERE id = $1`, [ack.id])

  await t.rejects(deliverOutboxMessage(deliveryDeps(ctx, smtp), ack.id), { name: 'SmtpSendError', transient: true })
  t.match(await outboxRow(ctx, ack.id), { state: 'queued', attempts: 1, last_error: /cannot open the sealed message/ })
  t.equal(smtp.received.length, 0)
})
