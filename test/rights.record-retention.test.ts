import t from 'tap'
import type { Test } from 'tap'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import { loadConfig } from '../src/config/env.ts'
import { testConfig } from './support/config.ts'
import { until } from './support/until.ts'
import { destroyExpiredExports, purgeClosedRequestRecords, purgeCutoff } from '../src/rights/record-retention.ts'
import type { PurgeReport } from '../src/rights/record-retention.ts'
import { DESTROY_EXPIRED_EXPORTS_QUEUE } from '../src/rights/record-retention-jobs.ts'
import { requestIdOf, storedMessage } from './support/intake.ts'
import type { Json } from './support/json.ts'
import type { StoredRequest } from '../src/rights/request-store.ts'
import type { RequestView } from '../src/rights/request-view.ts'

const SECOND = 1000
const HOUR = 3_600_000
const DAY = 86_400_000
const RETENTION_DAYS = 30
const KEY = 'fe-webhook-key-0123456789abcdef'
const WEBHOOK = '/v1/intake/forwardemail'
type RequestBody = Json<RequestView>

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>

async function setUp(t: Test): Promise<TestService> {
  const clock = fixedClock('2026-11-23T10:00:00Z')
  return startTestService(t, { clock, env: { RIGHTS_RECORD_RETENTION_DAYS: String(RETENTION_DAYS), FORWARDEMAIL_WEBHOOK_KEY: KEY, MAIL_FROM: 'Privacy <privacy@shop.example>' } })
}

const purge = (ctx: TestService): Promise<PurgeReport> => purgeClosedRequestRecords({ ...ctx.service, retentionDays: RETENTION_DAYS })

async function create(ctx: TestService, body: Record<string, unknown>): Promise<{ id: string }> {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: body })
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`)
  return res.json<RequestBody>()
}

async function act(ctx: TestService, id: string, path: string, payload?: Record<string, unknown>): Promise<RequestBody> {
  const res = await ctx.app.inject({ method: 'POST', url: `/v1/requests/${id}${path}`, headers: ctx.auth.agent, ...(payload === undefined ? {} : { payload }) })
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`)
  return res.json<RequestBody>()
}

async function mail(ctx: TestService, over: Record<string, unknown>) {
  return post(ctx, { ...fixture('forwardemail-webhook'), ...over })
}

async function post(ctx: TestService, message: Record<string, unknown>) {
  const payload = JSON.stringify(message)
  const res = await ctx.app.inject({ method: 'POST', url: WEBHOOK, payload, headers: { 'content-type': 'application/json', 'x-webhook-signature': createHmac('sha256', KEY).update(payload).digest('hex') } })
  if (res.statusCode !== 200) throw new Error(`webhook: ${res.statusCode} ${res.body}`)
  const stored = await storedMessage(ctx, message.messageId)
  return { status: stored.outcome, requestId: stored.requestId }
}

const EVIDENCE = 'Called back +49 170 1234567 from order 113-1234567-1234567; Jane Doe confirmed the delivery address.'

/**
 * At the start: a denied request with every identifier and manual evidence, and a reply by mail;
 * a request opened by mail and withdrawn; an auto-reply tied to no request; an open request with
 * its mail and evidence. All at the same moment, the clock's start.
 */
async function requests(ctx: TestService) {
  const denied = await create(ctx, { type: 'erasure', email: 'jane.doe@example.com', phone: '+49 170 1234567', name: 'Jane Doe', orderRefs: ['113-1234567-1234567'] })
  await act(ctx, denied.id, '/verification/manual', { evidence: EVIDENCE })
  await act(ctx, denied.id, '/deny', { reason: 'manifestly_unfounded', detail: 'Answered the same request last week.' })
  // From the requester's own address: a reply from anyone else would open a request for triage.
  await mail(ctx, { messageId: '<reply-denied@example.net>', subject: `Re: [${denied.id}] Ihre Anfrage`, text: 'Warum?', from: { value: [{ address: 'jane.doe@example.com', name: 'Jane Doe' }], text: 'jane.doe@example.com' } })
  const withdrawn = await mail(ctx, { messageId: '<opened-by-mail@example.net>' })
  await act(ctx, requestIdOf(withdrawn), '/withdraw')
  t.match(await post(ctx, fixture('forwardemail-autoreply')), { status: 'ignored' })
  const open = await mail(ctx, { messageId: '<open@example.net>', from: { value: [{ address: 'still.open@example.org', name: 'Still Open' }], text: 'still.open@example.org' } })
  await act(ctx, requestIdOf(open), '/verification/manual', { evidence: 'Matched the invoice address on a phone call.' })
  return { denied: denied.id, withdrawn: requestIdOf(withdrawn), open: requestIdOf(open) }
}

/** A stored request as its row holds it (sealed identifiers, the verification as JSON). */
interface RequestRecord {
  email: string | null
  verification: StoredRequest['verification']
}

async function requestRow(ctx: TestService, id: string): Promise<RequestRecord> {
  const row = (await ctx.pool.query<RequestRecord>('SELECT * FROM rights_requests WHERE id = $1', [id])).rows[0]
  if (!row) throw new Error(`request ${id} is not stored`)
  return row
}

/** Every value of the request's rows (request, inbound mail, outbox) that is still sealed. */
async function sealedValuesOf(ctx: TestService, id: string): Promise<string[]> {
  const rows = [
    ...(await ctx.pool.query<Record<string, unknown>>('SELECT * FROM rights_requests WHERE id = $1', [id])).rows,
    ...(await ctx.pool.query<Record<string, unknown>>('SELECT * FROM inbound_messages WHERE request_id = $1', [id])).rows,
    ...(await ctx.pool.query<Record<string, unknown>>('SELECT * FROM outbox WHERE request_id = $1', [id])).rows
  ]
  return JSON.stringify(rows).match(/v1\.[\w-]+\.[\w-]+\.[\w-]+/g) ?? []
}

await t.test('the cutoff is the retention period before now; the period is at least a day and three years by default', (t) => {
  t.same(purgeCutoff(new Date('2029-11-23T10:00:00Z'), 1095), new Date('2026-11-24T10:00:00Z'))
  t.equal(testConfig({}).rights.recordRetentionDays, 1095)
  const env = { PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'), ODOO_URL: 'http://odoo:8069', ODOO_DB: 'shop', ODOO_USERNAME: 'bot', ODOO_API_KEY: 'key' }
  t.throws(() => loadConfig({ ...env, RIGHTS_RECORD_RETENTION_DAYS: '0' }), { name: 'ConfigError', message: /RIGHTS_RECORD_RETENTION_DAYS/ })
  t.end()
})

await t.test('an export left undownloaded is destroyed by the scheduled job once it expires, not before', async (t) => {
  const clock = fixedClock('2026-11-23T10:00:00Z')
  const sim = await simulator(t, { orders: 20, now: () => clock.now() })
  const ctx = await startTestService(t, { odoo: sim, clock, role: 'all' })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  const customer = (await ctx.pool.query<{ odoo_id: number }>("SELECT odoo_id FROM mirror_partners WHERE type = 'contact' AND email_index IS NOT NULL AND NOT is_user AND NOT is_company_partner ORDER BY odoo_id LIMIT 1")).rows[0]
  if (!customer) throw new Error('no customer in the generated data')
  const request = await create(ctx, { type: 'access', email: String(sim.store.get('res.partner', customer.odoo_id)?.email) })
  await act(ctx, request.id, '/verification/manual', { evidence: 'Matched the delivery address on a call.' })
  const { outcome } = await act(ctx, request.id, '/fulfilment', {})
  const exportRow = async () => {
    const row = (await ctx.pool.query<{ bundle: string | null; destroyed_at: Date | null }>('SELECT bundle, destroyed_at FROM rights_exports WHERE id = $1', [outcome?.exportId])).rows[0]
    if (!row) throw new Error('the export is not stored')
    return row
  }

  clock.advance(72 * HOUR - SECOND)
  t.equal(await destroyExpiredExports(ctx.service), 0, 'a second before expiry nothing is due')
  t.ok((await exportRow()).bundle, 'the bundle is still there')

  clock.advance(2 * SECOND)
  await ctx.service.jobs.send(DESTROY_EXPIRED_EXPORTS_QUEUE, { v: 1 })
  await until(async () => (await exportRow()).bundle === null, { what: 'the job to destroy the expired export', timeoutMs: 10_000 })
  t.match(await exportRow(), { bundle: null, destroyed_at: clock.now() }, 'destroyed by the job')
  t.match(await ctx.service.audit.list({ action: 'request.export_destroyed', limit: 5 }), [{ subjectType: 'request', subjectId: request.id, details: { exportId: outcome?.exportId } }])
  t.equal((await ctx.app.inject({ url: `/v1/requests/${request.id}/export`, headers: ctx.auth.agent })).statusCode, 410)
})

await t.test('a closed request keeps its identifiers, evidence and mail until the retention period ends, and not a second longer', async (t) => {
  const ctx = await setUp(t)
  const ids = await requests(ctx)
  ctx.clock.advance(RETENTION_DAYS * DAY - SECOND)
  t.same(await purge(ctx), { requests: 0, inboundMessages: 0, outboxMessages: 0 }, 'a second early nothing is due')
  t.ok((await requestRow(ctx, ids.denied)).email, 'the identifiers are still there')
  t.equal((await ctx.service.audit.list({ action: 'request.records_purged', limit: 5 })).length, 0)

  ctx.clock.advance(2 * SECOND)
  // Denied: acknowledgement and refusal sent; withdrawn: the acknowledgement. Its reply, the
  // mail that opened the other, and the auto-reply tied to no request.
  t.same(await purge(ctx), { requests: 2, inboundMessages: 3, outboxMessages: 3 })
  for (const id of [ids.denied, ids.withdrawn]) {
    t.match(await requestRow(ctx, id), { email: null, email_index: null, phone: null, name: null, order_refs: null, identifiers_purged_at: ctx.clock.now() }, `${id}: identifiers destroyed`)
    t.same(await sealedValuesOf(ctx, id), [], `${id}: nothing sealed is left, in the request, its mail in or its mail out`)
  }
  const denied = await requestRow(ctx, ids.denied)
  t.same(denied.verification, { method: 'manual', at: '2026-11-23T10:00:00.000Z', by: denied.verification?.by }, 'the evidence went, the fact of the verification stayed')
  t.match(denied, { type: 'erasure', state: 'denied', denial: { reason: 'manifestly_unfounded' }, received_at: new Date('2026-11-23T10:00:00Z') }, 'the record of the handling stays')
  const unattached = (await ctx.pool.query('SELECT message, sender_index, purged_at FROM inbound_messages WHERE request_id IS NULL')).rows
  t.match(unattached, [{ message: null, sender_index: null, purged_at: ctx.clock.now() }], 'mail tied to no request goes the same time after it came')
  t.match((await ctx.pool.query('SELECT DISTINCT state, last_error FROM outbox WHERE request_id = $1', [ids.denied])).rows, [{ state: 'failed', last_error: /not sent/ }], 'mail never sent (no SMTP here) is given up, not kept')

  t.ok((await sealedValuesOf(ctx, ids.open)).length >= 4, 'the check does see sealed values where they are')
  const open = await requestRow(ctx, ids.open)
  t.match(open, { email: /^v1\./, email_index: String, identifiers_purged_at: null, verification: { evidence: /^v1\./ } }, 'an open request keeps everything')
  t.match((await ctx.pool.query('SELECT message, sender_index FROM inbound_messages WHERE request_id = $1', [ids.open])).rows, [{ message: /^v1\./, sender_index: String }])
  t.equal((await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE request_id = $1 AND recipient IS NOT NULL', [ids.open])).rows[0]?.n, 1)

  t.same(await purge(ctx), { requests: 0, inboundMessages: 0, outboxMessages: 0 }, 'a second run finds nothing')
})

await t.test('the purge is audited once, with masked hints that keep the handling provable', async (t) => {
  const ctx = await setUp(t)
  const ids = await requests(ctx)
  ctx.clock.advance(RETENTION_DAYS * DAY + SECOND)
  await purge(ctx)
  await purge(ctx)
  const entries = await ctx.service.audit.list({ action: 'request.records_purged', limit: 5 })
  t.equal(entries.length, 1, 'one entry for the purge; none for a run that found nothing')
  const details = entries[0]?.details as { requests: { requestId: string }[] }
  t.match(details, {
    retentionDays: RETENTION_DAYS,
    closedBefore: '2026-11-23T10:00:01.000Z',
    otherInboundMessages: { unattached: 1, ofPurgedRequests: 0 }
  })
  t.match(details.requests.find((r) => r.requestId === ids.denied), {
    state: 'denied', closedAt: '2026-11-23T10:00:00.000Z', requester: { email: 'j***@e***.com', phone: '+49 *** *** 67', name: 'J. D.' }, evidence: true, inboundMessages: 1, outboxMessages: 2, unsentMessages: 2
  })
  t.match(details.requests.find((r) => r.requestId === ids.withdrawn), { state: 'withdrawn', requester: { email: 'j***@e***.net', name: 'J. M.' }, evidence: false, inboundMessages: 1 })
  t.notOk(details.requests.some((r) => r.requestId === ids.open), 'the open request is not touched')
  const audit = JSON.stringify(entries)
  for (const plain of ['jane.doe@example.com', 'Jane Doe', '1234567', 'juergen.mueller@example.net']) t.notOk(audit.includes(plain), `"${plain}" is not in the audit trail`)
  t.same((await ctx.service.audit.verify()).ok, true, 'the chain holds')
})

await t.test('mail quoting a request whose records were destroyed opens one of its own; mail still tied to a purged request goes at the next run', async (t) => {
  const ctx = await setUp(t)
  const ids = await requests(ctx)
  ctx.clock.advance(RETENTION_DAYS * DAY + SECOND)
  await purge(ctx)
  // Nobody is left to recognise as the requester: the mail waits for triage as a request of its own.
  const late = await mail(ctx, { messageId: '<late@example.net>', subject: `Re: [${ids.denied}] Ihre Anfrage`, text: 'Noch eine Frage.', from: { value: [{ address: 'jane.doe@example.com', name: 'Jane Doe' }], text: 'jane.doe@example.com' } })
  t.match(late, { status: 'created' })
  t.not(late.requestId, ids.denied)
  t.same(await sealedValuesOf(ctx, ids.denied), [], 'the purged request gains nothing sealed')
  // A message that joined the request just before its purge committed is destroyed by the next run.
  await ctx.pool.query("UPDATE inbound_messages SET request_id = $1, outcome = 'attached' WHERE request_id = $2", [ids.denied, late.requestId])
  t.match(await purge(ctx), { requests: 0, inboundMessages: 1 })
  t.same(await sealedValuesOf(ctx, ids.denied), [])
  const entries = await ctx.service.audit.list({ action: 'request.records_purged', limit: 5 })
  t.equal(entries.length, 2)
  t.match(entries[1]?.details, { requests: [], otherInboundMessages: { unattached: 0, ofPurgedRequests: 1 } })
})

await t.test('the API answers for a purged request: no identifiers, the record and its history; discovery is 410', async (t) => {
  const ctx = await setUp(t)
  const ids = await requests(ctx)
  ctx.clock.advance(RETENTION_DAYS * DAY + SECOND)
  await purge(ctx)
  const one = await ctx.app.inject({ url: `/v1/requests/${ids.denied}`, headers: ctx.auth.auditor })
  t.equal(one.statusCode, 200, one.body)
  t.match(one.json(), {
    state: 'denied',
    requester: { email: null, phone: null, name: null, orderRefs: [], purgedAt: ctx.clock.now().toISOString() },
    verification: { method: 'manual' },
    denial: { reason: 'manifestly_unfounded' }
  })
  t.ok(one.json<RequestBody>().history?.some((event) => event.action === 'identifiers_purged'), 'the history says when')
  const list = await ctx.app.inject({ url: '/v1/requests?limit=10', headers: ctx.auth.agent })
  t.equal(list.statusCode, 200, list.body)
  t.match(list.json<{ items: RequestBody[] }>().items.find((item) => item.id === ids.withdrawn), { requester: { email: null, purgedAt: String } })
  t.match(list.json<{ items: RequestBody[] }>().items.find((item) => item.id === ids.open), { requester: { email: 's***@e***.org', purgedAt: null } })
  const subject = await ctx.app.inject({ url: `/v1/requests/${ids.denied}/subject`, headers: ctx.auth.agent })
  t.equal(subject.statusCode, 410)
  t.match(subject.json(), { type: 'urn:problem:identifiers-purged' })
  t.equal((await ctx.app.inject({ method: 'POST', url: `/v1/requests/${ids.denied}/withdraw`, headers: ctx.auth.agent })).statusCode, 409, 'a closed request still takes no action')
})

await t.test('an identifier that can no longer be opened (its key was dropped) is destroyed all the same', async (t) => {
  const ctx = await setUp(t)
  const ids = await requests(ctx)
  await ctx.pool.query("UPDATE rights_requests SET email = 'v1.retired-key.aaaa.bbbb' WHERE id = $1", [ids.withdrawn])
  ctx.clock.advance(RETENTION_DAYS * DAY + SECOND)
  t.match(await purge(ctx), { requests: 2 })
  t.match(await requestRow(ctx, ids.withdrawn), { email: null, identifiers_purged_at: ctx.clock.now() })
  const [entry] = await ctx.service.audit.list({ action: 'request.records_purged', limit: 1 })
  const hints = (entry?.details as { requests: { requestId: string }[] }).requests
  t.match(hints.find((r) => r.requestId === ids.withdrawn), { requester: { email: 'unreadable', name: 'J. M.' } })
})
