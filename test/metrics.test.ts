import t from 'tap'
import type { Test } from 'tap'
import pg from 'pg'
import { buildTestApp, startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import type { OdooSimulator } from './odoo-simulator/index.ts'
import { createMetrics } from '../src/metrics/metrics.ts'
import { deadLetterQueueOf } from '../src/jobs/job.ts'
import { REDACT_QUEUE } from '../src/retention/retention-jobs.ts'
import type { Pool } from '../src/db/database.ts'
import type { DocumentedPaths } from '../src/http/role-table.ts'
import type { RetentionReport } from '../src/retention/retention-report.ts'
import type { Json } from './support/json.ts'

const DAY = 86_400_000
const P = 'odoo_privacy_bridge_'

interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

/** The samples of a Prometheus text exposition (no escapes in our label values). */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
      if (!match) throw new Error(`not a sample line: ${line}`)
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m): [string, string] => [m[1] as string, m[2] as string]))
      const raw = match[3] as string
      return { name: match[1] as string, labels, value: raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw) }
    })
}

function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === `${P}${name}` && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value
}

function perLabel(samples: Sample[], name: string, label: string): Record<string, number> {
  return Object.fromEntries(samples.filter((s) => s.name === `${P}${name}`).map((s) => [String(s.labels[label]), s.value]))
}

async function scrape(t: Test, ctx: { app: TestService['app'] }): Promise<{ text: string; samples: Sample[] }> {
  const res = await ctx.app.inject({ url: '/metrics' })
  t.equal(res.statusCode, 200, 'scrape answers 200')
  return { text: res.body, samples: parse(res.body) }
}

async function setUp(t: Test): Promise<TestService & { sim: OdooSimulator }> {
  const clock = fixedClock(new Date())
  const sim = await simulator(t, { orders: 40, now: () => clock.now() })
  const ctx = await startTestService(t, { odoo: sim, clock })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  return { ...ctx, sim }
}

/** The per-channel figures computed here, independently of the retention report (these tests place no holds). */
async function channelFigures(pool: Pool, now: Date) {
  const orders = await pool.query<{ channel: string; n: number }>('SELECT channel, count(*)::int AS n FROM mirror_orders WHERE redacted_at IS NULL GROUP BY channel')
  const contacts = await pool.query<{ channel: string; with_pii: number; overdue: number }>(
    `SELECT channel, count(*) FILTER (WHERE redacted_at IS NULL)::int AS with_pii,
            count(*) FILTER (WHERE redacted_at IS NULL AND retention_due_at <= $1)::int AS overdue
       FROM (SELECT DISTINCT o.channel, p.odoo_id, p.redacted_at, p.retention_due_at
               FROM mirror_orders o JOIN mirror_partners p ON p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id)) c
      GROUP BY channel`,
    [now]
  )
  return {
    orders: Object.fromEntries(orders.rows.map((r) => [r.channel, r.n])),
    contacts: Object.fromEntries(contacts.rows.map((r) => [r.channel, r.with_pii])),
    overdue: Object.fromEntries(contacts.rows.map((r) => [r.channel, r.overdue]))
  }
}

function withoutZeros(figures: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(figures).filter(([, n]) => n !== 0))
}

await t.test('/metrics answers Prometheus text with every family, unauthenticated and outside the OpenAPI document', async (t) => {
  const ctx = await startTestService(t)
  const res = await ctx.app.inject({ url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  for (const family of [
    'http_request_duration_seconds', 'sync_last_success_timestamp_seconds', 'sync_lag_seconds', 'sync_last_duration_seconds', 'sync_runs',
    'orders_with_pii', 'contacts_with_pii', 'redactions_overdue', 'jobs_failed', 'jobs_dead_lettered',
    'rights_requests_open', 'rights_requests_overdue', 'audit_chain_entries', 'audit_chain_head_hash_prefix', 'process_cpu_seconds_total', 'nodejs_eventloop_lag_seconds'
  ]) {
    t.match(res.body, new RegExp(`^# TYPE ${P}${family} `, 'm'), `${family} is exposed`)
  }
  const samples = parse(res.body)
  t.ok(samples.every((s) => s.name.startsWith(P)), 'every metric has the prefix')
  t.equal(value(samples, 'sync_lag_seconds'), Infinity, 'never synced: infinite lag')
  t.equal(value(samples, 'sync_last_success_timestamp_seconds'), 0)
  t.same(perLabel(samples, 'sync_runs', 'state'), { queued: 0, running: 0, succeeded: 0, failed: 0 })
  t.same(Object.keys(perLabel(samples, 'orders_with_pii', 'channel')).sort(), ['amazon', 'bol', 'ebay', 'etsy', 'other', 'shopify', 'tiktok_shop'], 'every channel, even without orders')
  t.ok(Object.keys(perLabel(samples, 'jobs_failed', 'queue')).includes(REDACT_QUEUE), 'queues are listed')
  t.notOk(Object.keys(perLabel(samples, 'jobs_failed', 'queue')).some((q) => q.endsWith('-dead-letter')), 'dead-letter queues are not queues of their own here')
  const document = (await ctx.app.inject({ url: '/openapi.json' })).json<DocumentedPaths>()
  t.notOk(document.paths['/metrics'], 'hidden from the OpenAPI document')
})

await t.test('after a sync and a redaction, the sync, PII, job and request figures match the database', async (t) => {
  const ctx = await setUp(t)
  const [synced] = (await ctx.pool.query<{ finished_at: Date; started_at: Date }>("SELECT finished_at, started_at FROM sync_runs WHERE state = 'succeeded'")).rows
  if (!synced) throw new Error('the set-up sync did not succeed')

  // A rights request from a customer the simulator knows, then time moves on past deadlines.
  const email = String(ctx.sim.store.records('res.partner').find((p) => typeof p.email === 'string' && p.email.includes('@'))?.email)
  t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: { type: 'access', email } })).statusCode, 201)
  ctx.clock.set(new Date(ctx.clock.now().getTime() + 400 * DAY))

  let { samples } = await scrape(t, ctx)
  t.equal(value(samples, 'sync_runs', { state: 'succeeded' }), 1)
  t.equal(value(samples, 'sync_last_success_timestamp_seconds'), synced.finished_at.getTime() / 1000)
  t.equal(value(samples, 'sync_lag_seconds'), (ctx.clock.now().getTime() - synced.finished_at.getTime()) / 1000, 'lag: now − last successful finish')
  t.equal(value(samples, 'sync_last_duration_seconds'), (synced.finished_at.getTime() - synced.started_at.getTime()) / 1000)
  t.equal(value(samples, 'rights_requests_open', { state: 'received' }), 1)
  t.equal(value(samples, 'rights_requests_overdue'), 1, 'past its legal deadline')

  let expected = await channelFigures(ctx.pool, ctx.clock.now())
  t.same(withoutZeros(perLabel(samples, 'orders_with_pii', 'channel')), withoutZeros(expected.orders), 'orders holding PII per channel')
  t.same(withoutZeros(perLabel(samples, 'contacts_with_pii', 'channel')), withoutZeros(expected.contacts), 'contacts holding PII per channel')
  t.same(withoutZeros(perLabel(samples, 'redactions_overdue', 'channel')), withoutZeros(expected.overdue), 'overdue redactions per channel')
  const overdueBefore = Object.values(perLabel(samples, 'redactions_overdue', 'channel')).reduce((a, b) => a + b, 0)
  t.ok(overdueBefore > 0, 'some redactions are overdue')

  const [partner] = (await ctx.pool.query<{ odoo_id: number }>("SELECT odoo_id FROM mirror_partners WHERE retention_due_at <= $1 AND NOT is_user AND NOT is_company_partner AND type = 'contact' ORDER BY odoo_id LIMIT 1", [ctx.clock.now()])).rows
  if (!partner) throw new Error('no contact is overdue')
  t.same((await ctx.service.redact([partner.odoo_id])).redacted, [partner.odoo_id])
  // A failed job, and a redaction job that exhausted its retries.
  const failedId = await ctx.service.jobs.boss.send(REDACT_QUEUE, { v: 1, partnerId: 999_999 })
  await ctx.pool.query("UPDATE pgboss.job SET state = 'failed' WHERE id = $1", [failedId])
  await ctx.service.jobs.boss.send(deadLetterQueueOf(REDACT_QUEUE), { v: 1, partnerId: 999_998 })

  samples = (await scrape(t, ctx)).samples
  expected = await channelFigures(ctx.pool, ctx.clock.now())
  t.same(withoutZeros(perLabel(samples, 'orders_with_pii', 'channel')), withoutZeros(expected.orders), 'after the redaction: orders')
  t.same(withoutZeros(perLabel(samples, 'contacts_with_pii', 'channel')), withoutZeros(expected.contacts), 'after the redaction: contacts')
  t.same(withoutZeros(perLabel(samples, 'redactions_overdue', 'channel')), withoutZeros(expected.overdue), 'after the redaction: overdue')
  const [channels] = (await ctx.pool.query<{ n: number }>('SELECT count(DISTINCT channel)::int AS n FROM mirror_orders WHERE $1 IN (partner_id, partner_invoice_id, partner_shipping_id)', [partner.odoo_id])).rows
  if (!channels) throw new Error('a count without a row')
  t.equal(Object.values(perLabel(samples, 'redactions_overdue', 'channel')).reduce((a, b) => a + b, 0), overdueBefore - channels.n, 'one fewer overdue in each of its channels')
  const report = (await ctx.app.inject({ url: '/v1/retention/report', headers: ctx.auth.auditor })).json<Json<RetentionReport>>()
  for (const c of report.channels) t.equal(value(samples, 'redactions_overdue', { channel: c.channel }), c.overdue, `${c.channel}: as the retention report says`)
  const failed = (await ctx.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state = 'failed'", [REDACT_QUEUE])).rows[0]?.n
  t.equal(value(samples, 'jobs_failed', { queue: REDACT_QUEUE }), failed)
  t.equal(failed, 1)
  t.equal(value(samples, 'jobs_dead_lettered', { queue: REDACT_QUEUE }), 1)
  t.equal(value(samples, 'jobs_dead_lettered', { queue: REDACT_QUEUE }), report.deadLettered, 'as the retention report says')
})

await t.test('the HTTP histogram counts requests by route pattern, never by URL', async (t) => {
  const ctx = await startTestService(t)
  const email = 'jane.doe+metrics@example.org'
  t.equal((await ctx.app.inject({ url: `/v1/requests?email=${encodeURIComponent(email)}&state=received`, headers: ctx.auth.agent })).statusCode, 200)
  t.equal((await ctx.app.inject({ url: '/v1/requests/REQ-jane.doe@example.org', headers: ctx.auth.agent })).statusCode, 400)
  t.equal((await ctx.app.inject({ url: `/nowhere/${encodeURIComponent(email)}` })).statusCode, 404)
  t.equal((await ctx.app.inject({ url: '/health/live' })).statusCode, 200)
  t.equal((await ctx.app.inject({ url: '/health/live' })).statusCode, 200)
  const { text, samples } = await scrape(t, ctx)
  t.equal(value(samples, 'http_request_duration_seconds_count', { method: 'GET', route: '/v1/requests', status_code: '200' }), 1)
  t.equal(value(samples, 'http_request_duration_seconds_count', { method: 'GET', route: '/v1/requests/:id', status_code: '400' }), 1)
  t.equal(value(samples, 'http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_code: '404' }), 1)
  t.equal(value(samples, 'http_request_duration_seconds_count', { method: 'GET', route: '/health/live', status_code: '200' }), 2)
  t.equal(value(samples, 'http_request_duration_seconds_bucket', { route: '/health/live', le: '+Inf' }), 2)
  for (const leak of ['jane', 'example.org', 'nowhere', 'REQ-']) t.notOk(text.includes(leak), `"${leak}" is in no label`)
  const routes = new Set(samples.filter((s) => s.name.startsWith(`${P}http_`)).map((s) => s.labels.route))
  t.ok([...routes].every((route) => route === 'unmatched' || route?.startsWith('/')), `route labels are patterns: ${[...routes].join(' ')}`)
})

await t.test('no name, e-mail, phone or street of the simulator appears in a scrape', async (t) => {
  const ctx = await setUp(t)
  const partners = ctx.sim.store.records('res.partner')
  const someone = partners.find((p) => typeof p.email === 'string' && p.email.includes('@'))
  await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: { type: 'erasure', email: someone?.email, name: someone?.name } })
  await ctx.app.inject({ url: `/v1/orders?email=${encodeURIComponent(String(someone?.email))}`, headers: ctx.auth.agent })
  const { text } = await scrape(t, ctx)
  let checked = 0
  for (const partner of partners) {
    for (const field of ['email', 'name', 'phone', 'street'] as const) {
      const pii = partner[field]
      if (typeof pii !== 'string' || pii.length < 5) continue
      checked++
      if (text.includes(pii)) t.fail(`the scrape holds a ${field}: "${pii}"`)
    }
  }
  t.ok(checked > 50, `${checked} values checked`)
})

await t.test('two apps in one process keep their own registries', async (t) => {
  const [one, two] = await Promise.all([startTestService(t), startTestService(t)])
  for (let i = 0; i < 3; i++) await one.app.inject({ url: '/health/live' })
  await two.app.inject({ url: '/health/live' })
  const count = (samples: Sample[]) => value(samples, 'http_request_duration_seconds_count', { route: '/health/live' })
  t.equal(count((await scrape(t, one)).samples), 3)
  t.equal(count((await scrape(t, two)).samples), 1)
  t.equal(count((await scrape(t, one)).samples), 3, 'the other app\'s traffic is not counted here')
})

await t.test('a scrape that cannot reach the database answers 503 at once or within its timeout', async (t) => {
  const clock = fixedClock('2026-11-23T10:00:00Z')
  const refused = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', connectionTimeoutMillis: 1000 })
  t.teardown(() => refused.end())
  const down = await buildTestApp(t, { metrics: createMetrics({ pool: refused, clock, scrapeTimeoutMs: 2000 }) })
  const res = await down.app.inject({ url: '/metrics' })
  t.equal(res.statusCode, 503)
  t.match(res.headers['content-type'], /application\/problem\+json/)
  t.match(res.json(), { type: 'urn:problem:metrics-unavailable', status: 503 })

  const hanging = { query: () => new Promise(() => undefined) } as unknown as Pool
  const stuck = await buildTestApp(t, { metrics: createMetrics({ pool: hanging, clock, scrapeTimeoutMs: 300 }) })
  const started = performance.now()
  const slow = await stuck.app.inject({ url: '/metrics' })
  t.equal(slow.statusCode, 503)
  t.ok(performance.now() - started < 2000, 'bounded by the scrape timeout')
  t.match(stuck.logs(), /metrics scrape failed/)
  t.equal((await stuck.app.inject({ url: '/health/live' })).statusCode, 200, 'the app still serves')
})

await t.test('the audit chain\'s head is exposed: its entry count, and its hash\'s first 12 hex digits as a number; a truncation shows', async (t) => {
  const ctx = await startTestService(t)
  const audit = ctx.service.audit
  for (let i = 0; i < 3; i++) await audit.record({ actor: 'system', action: 'test.metrics' })
  const head = await audit.head()
  let { samples } = await scrape(t, ctx)
  t.equal(value(samples, 'audit_chain_entries'), head.entries)
  const prefix = value(samples, 'audit_chain_head_hash_prefix') as number
  t.equal(prefix.toString(16).padStart(12, '0'), head.hash.slice(0, 12), 'the value turns back into the hash\'s first digits')

  // Someone able to switch the trigger off deletes the newest two entries.
  const client = new pg.Client({ connectionString: ctx.databaseUrl })
  await client.connect()
  await client.query('SET session_replication_role = replica')
  await client.query('DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log ORDER BY id DESC LIMIT 2)')
  await client.end()
  samples = (await scrape(t, ctx)).samples
  t.equal(value(samples, 'audit_chain_entries'), head.entries - 2, 'the count goes down')
  t.not(value(samples, 'audit_chain_head_hash_prefix'), prefix)
})

await t.test('with METRICS_TOKEN set, a scrape needs it as a bearer token; without it, 401 problem details', async (t) => {
  const token = 'scrape-token-0123456789'
  const ctx = await startTestService(t, { env: { METRICS_TOKEN: token } })
  for (const [label, headers] of [
    ['no header', {}],
    ['a wrong token', { authorization: 'Bearer scrape-token-0123456780' }],
    ['a prefix of the token', { authorization: `Bearer ${token.slice(0, 16)}` }],
    ['an API key', ctx.auth.admin],
    ['the token in another scheme', { authorization: `Basic ${token}` }]
  ] as const) {
    const res = await ctx.app.inject({ url: '/metrics', headers })
    t.equal(res.statusCode, 401, label)
    t.match(res.json(), { type: 'urn:problem:unauthorized', status: 401, detail: /METRICS_TOKEN/ }, `${label}: problem details`)
    t.notOk(res.body.includes(token), `${label}: the token is not echoed`)
  }
  const res = await ctx.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } })
  t.equal(res.statusCode, 200)
  t.match(res.body, new RegExp(`^# TYPE ${P}sync_runs `, 'm'))
  t.equal((await ctx.app.inject({ url: '/health/live' })).statusCode, 200, 'the probes stay open')
})

await t.test('a worker process serves no /metrics: only its probes', async (t) => {
  const ctx = await startTestService(t, { role: 'worker' })
  t.equal((await ctx.app.inject({ url: '/metrics' })).statusCode, 404)
})
