/**
 * API load: requests per second and p50/p99 latency of `GET /v1/requests/{id}` and of the
 * ForwardEmail intake, each against a bare fastify route doing the same database work in the same
 * run, so the result is a ratio: what authentication, validation, sealing, auditing and the
 * service's own logic cost on top of the database. Then the privacy desk's charts, over a year of
 * requests and 90 daily retention snapshots: `GET /v1/requests/stats?weeks=52` and
 * `GET /v1/retention/history` for 90 days.
 * Last, the first calls of each page of the privacy desk (console/) as one user makes them: the
 * page's calls at once (one to four), page load after page load, each checked against 100 ms at p99.
 *   node bench/api.ts [--seconds 10] [--connections 10] [--requests 1000]
 */
import { parseArgs } from 'node:util'
import { createHmac, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import type { AddressInfo } from 'node:net'
import autocannon from 'autocannon'
import Fastify from 'fastify'
import { loadConfig } from '../src/config/env.ts'
import { createLogger } from '../src/log/logger.ts'
import { createOdooGateway } from '../src/odoo/gateway.ts'
import { startService } from '../src/service.ts'
import { takeRetentionSnapshot, utcDay } from '../src/retention/retention-history.ts'
import { describeMachine, startSimulatorProcess, withBenchDatabase } from './support.ts'

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '10' }, requests: { type: 'string', default: '1000' } } })
const duration = Number(values.seconds)
const connections = Number(values.connections)
const CONSOLE_P99_MS = 100
const yearOfRequests = Number(values.requests)
const DAY_MS = 86_400_000
const SNAPSHOT_DAYS = 90
const log = createLogger({ level: 'silent' })
const WEBHOOK_KEY = 'bench-webhook-key-0123456789abcdef'

console.log(`bench/api: ${duration} s per run, ${connections} connections, on ${describeMachine()}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)
const sim = await startSimulatorProcess({ orders: 100 })
try {
  await withBenchDatabase(log, async (url) => {
    const config = loadConfig({
      DATABASE_URL: url,
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
      ODOO_URL: sim.url,
      ODOO_DB: sim.db,
      ODOO_USERNAME: sim.login,
      ODOO_API_KEY: sim.apiKey,
      FORWARDEMAIL_WEBHOOK_KEY: WEBHOOK_KEY,
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: '0'
    })
    // The service's clock, moved back in time to lay down a year of requests and snapshots.
    const realNow = Date.now()
    let now = realNow
    const service = await startService({ config, log, role: 'api', clock: { now: () => new Date(now) }, connectOdoo: (c, l) => createOdooGateway(c, { log: l }) })
    await service.app.listen({ host: '127.0.0.1', port: 0 })
    const base = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}`
    const agent = await service.apiKeys.create({ name: 'bench', role: 'agent' })
    const auditor = await service.apiKeys.create({ name: 'bench-auditor', role: 'auditor' })

    await service.runSync({ trigger: 'cli', requestedBy: 'bench' })
    // A year of requests, evenly received; two in three withdrawn within 40 days, the rest left open to go overdue.
    for (let i = 0; i < yearOfRequests; i++) {
      now = realNow - (365 - (i * 365) / yearOfRequests) * DAY_MS
      const opened = await service.rights.create({ type: 'access', email: `bench-${i}@example.com` }, 'system')
      if (i % 3 === 0) continue
      now += (i % 40) * DAY_MS
      await service.rights.withdraw(opened.id, 'system')
    }
    for (let day = SNAPSHOT_DAYS - 1; day >= 0; day--) await takeRetentionSnapshot({ pool: service.pool, clock: { now: () => new Date(realNow - day * DAY_MS) } })
    now = realNow
    const request = await service.rights.create({ type: 'access', email: 'bench@example.com' }, 'system')

    // The bare routes: the same database work, nothing else. A request's page needs its row and its history.
    const bare = Fastify()
    bare.get<{ Params: { id: string } }>('/requests/:id', async (req) => {
      const row = (await service.pool.query('SELECT * FROM rights_requests WHERE id = $1', [req.params.id])).rows[0] as Record<string, unknown>
      const history = (await service.pool.query('SELECT at, actor, action, from_state, to_state, details FROM rights_request_events WHERE request_id = $1 ORDER BY id', [req.params.id])).rows
      return { ...row, history }
    })
    bare.post('/intake', async () => {
      await service.pool.query("INSERT INTO inbound_messages (id, message_key, received_at, outcome, message) VALUES ($1, $2, now(), 'ignored', 'x')", [randomUUID(), randomUUID()])
      return { ok: true }
    })
    await bare.listen({ host: '127.0.0.1', port: 0 })
    const bareBase = `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}`

    const fixture = JSON.parse(readFileSync(new URL('../test/fixtures/forwardemail-webhook.json', import.meta.url), 'utf8')) as Record<string, unknown>
    const webhookBody = () => {
      const body = JSON.stringify({ ...fixture, messageId: `<${randomUUID()}@bench.example>` })
      return { body, headers: { 'content-type': 'application/json', 'x-webhook-signature': createHmac('sha256', WEBHOOK_KEY).update(body).digest('hex') } }
    }

    const load = async (title: string, options: autocannon.Options) => {
      const result = await autocannon({ duration, connections, ...options })
      const errors = result.non2xx + result.errors
      console.log(`${title.padEnd(40)} ${Math.round(result.requests.average).toString().padStart(6)} req/s  p50 ${String(result.latency.p50).padStart(4)} ms  p99 ${String(result.latency.p99).padStart(4)} ms${errors ? `  (${errors} errors)` : ''}`)
      return result
    }

    // Both warmed up first, so that neither p99 holds the compilation of its first calls.
    const readRequest = { url: `${base}/v1/requests/${request.id}`, headers: { authorization: `Bearer ${agent.secret}` } }
    const bareRead = { url: `${bareBase}/requests/${request.id}` }
    for (const options of [readRequest, bareRead]) await autocannon({ ...options, duration: 1, connections })
    const service1 = await load('GET /v1/requests/{id} (service)', readRequest)
    const bare1 = await load('  same read, bare fastify', bareRead)
    const service2 = await load('POST /v1/intake/forwardemail', { url: `${base}/v1/intake/forwardemail`, method: 'POST', requests: [{ setupRequest: (req) => ({ ...req, ...webhookBody() }) }] })
    const bare2 = await load('  one insert, bare fastify', { url: `${bareBase}/intake`, method: 'POST' })
    const ratio = (a: autocannon.Result, b: autocannon.Result) => (a.requests.average / b.requests.average).toFixed(2)
    const p99Ratio = (a: autocannon.Result, b: autocannon.Result) => (a.latency.p99 / Math.max(1, b.latency.p99)).toFixed(2)
    console.log(`ratio service/bare: GET request ${ratio(service1, bare1)}, intake ${ratio(service2, bare2)} (throughput; 1.00 = no overhead)`)
    console.log(`ratio service/bare p99: GET request ${p99Ratio(service1, bare1)} (target ≤ 2), intake ${p99Ratio(service2, bare2)}`)

    console.log(`privacy desk: ${yearOfRequests} requests over a year, ${SNAPSHOT_DAYS} daily snapshots of 7 channels`)
    await load('GET /v1/requests/stats?weeks=52', { url: `${base}/v1/requests/stats?weeks=52`, headers: { authorization: `Bearer ${agent.secret}` } })
    const from = utcDay(new Date(realNow - (SNAPSHOT_DAYS - 1) * DAY_MS))
    await load(`GET /v1/retention/history (${SNAPSHOT_DAYS} d)`, { url: `${base}/v1/retention/history?from=${from}`, headers: { authorization: `Bearer ${auditor.secret}` } })

    // The first calls of each page of the privacy desk (console/), at this data size, as one console
    // user: a page fires its calls together (the dashboard four), and loads again once they are all answered.
    const admin = await service.apiKeys.create({ name: 'bench-admin', role: 'admin' })
    const get = (path: string, key: { secret: string }): PageCall => ({ path, headers: { authorization: `Bearer ${key.secret}` } })
    const rule = JSON.stringify({ clockEvent: 'shipped', periodDays: 10, fields: ['name', 'street', 'email', 'phone'] })
    const pages: [string, PageCall[]][] = [
      ['sign-in', [get('/v1/me', agent)]],
      ['inbox', [get('/v1/requests?open=true&sort=due&limit=50', agent)]],
      ['request', [get(`/v1/requests/${request.id}`, agent)]],
      ['dashboard', [get('/v1/retention/report', auditor), get('/v1/retention/backlog', auditor), get('/v1/retention/history', auditor), get('/v1/requests/stats?weeks=12', auditor)]],
      ['holds', [get('/v1/holds?active=true', auditor)]],
      ['policies', [get('/v1/retention/policies', auditor)]],
      ['policies, a rule edited', [{ path: '/v1/retention/policies/amazon/preview', method: 'POST', headers: { authorization: `Bearer ${admin.secret}`, 'content-type': 'application/json' }, body: rule }]],
      ['sync runs', [get('/v1/sync/runs?limit=20', auditor)]],
      ['audit trail', [get('/v1/audit/verification', auditor), get('/v1/audit?limit=100', auditor)]],
      ['API keys', [get('/v1/keys', admin)]],
      // Last: it searches Odoo (the simulator, answering at once) and each call is audited, adding to the trail.
      ['subject', [get(`/v1/requests/${request.id}/subject`, agent)]]
    ]
    console.log(`privacy desk pages, one user: each page's first calls fired together, page after page for ${duration} s; p99 must be under ${CONSOLE_P99_MS} ms`)
    for (const [name, calls] of pages) {
      const timings = await loadPage(base, calls, duration * 1000)
      timings.forEach((ms, i) => {
        const call = calls[i] as PageCall
        const p99 = percentile(ms, 0.99)
        console.log(`${`${call.method ?? 'GET'} ${call.path.replace(request.id, '{id}')}`.padEnd(48)} ${name.padEnd(24)} ${String(ms.length).padStart(5)} loads  p50 ${percentile(ms, 0.5).toFixed(1).padStart(6)} ms  p99 ${p99.toFixed(1).padStart(6)} ms${p99 < CONSOLE_P99_MS ? '' : `  over ${CONSOLE_P99_MS} ms`}`)
      })
    }
    console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`)

    await bare.close()
    await service.close()
  })
} finally {
  sim.stop()
}

interface PageCall {
  path: string
  method?: string
  headers: Record<string, string>
  body?: string
}

/** Loads the page again and again for `ms`: its calls at once, the next load when all are answered. The latencies of each call, in ms. */
async function loadPage(base: string, calls: PageCall[], ms: number): Promise<number[][]> {
  const timings = calls.map((): number[] => [])
  const until = performance.now() + ms
  while (performance.now() < until) {
    await Promise.all(
      calls.map(async (call, i) => {
        const started = performance.now()
        const res = await fetch(base + call.path, { method: call.method ?? 'GET', headers: call.headers, ...(call.body ? { body: call.body } : {}) })
        await res.arrayBuffer()
        if (!res.ok) throw new Error(`${call.path}: ${res.status}`)
        timings[i]?.push(performance.now() - started)
      })
    )
  }
  return timings
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN
}
