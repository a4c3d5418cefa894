import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts'
import type { EmbeddedDatabase } from '../../src/db/embedded-postgres.ts'
import { createLogger } from '../../src/log/logger.ts'
import { createApiKeys } from '../../src/auth/api-keys.ts'
import { systemClock } from '../../src/clock.ts'
import { simulator } from '../support/simulator.ts'
import { freePort } from '../support/database.ts'
import { finished } from '../support/cli.ts'
import { serviceEnv, startServiceProcess } from '../support/reliability-harness.ts'
import { until } from '../support/until.ts'
import { createPrivacyBridgeClient } from '../../src/client/index.ts'

interface Outcome {
  kind: 'list' | 'create'
  phase: Phase
  /** HTTP status, or what went wrong without one */
  status: number | 'timeout' | 'network'
  contentType?: string
  id?: string
}

type Phase = 'before' | 'outage' | 'after'

/** A request that has not been answered in this time counts as hung. */
const HANG_MS = 15_000
const CLIENTS = 4
/** Bound on the requests each client sends, whatever happens. */
const MAX_PER_CLIENT = 1500

await t.test('PostgreSQL restarted under load: the service reports not-ready, answers problem details, recovers, and loses no acknowledged request', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pb-reliability-pg-'))
  t.teardown(() => {
    rmSync(dataDir, { recursive: true, force: true })
  })
  const pgPort = await freePort()
  const pgLog = createLogger({ level: 'warn' })
  // Our own PostgreSQL, stopped and started by the test; the service reaches it through DATABASE_URL.
  let database: EmbeddedDatabase | undefined = await startEmbeddedPostgres({ dataDir, port: pgPort, log: pgLog })
  t.teardown(async () => {
    await database?.stop()
  })
  const databaseUrl = database.url

  const sim = await simulator(t, { orders: 60 })
  // Small pages: the sync started below is still running when PostgreSQL stops.
  const env = await serviceEnv(sim, { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', SYNC_PAGE_SIZE: '10' })
  const service = await startServiceProcess(t, 'service', 'all', env)
  const base = `http://127.0.0.1:${service.port}`
  const keyPool = new pg.Pool({ connectionString: databaseUrl, max: 1 })
  const key = await createApiKeys({ pool: keyPool, clock: systemClock }).create({ name: 'reliability-agent', role: 'agent' })
  const admin = await createApiKeys({ pool: keyPool, clock: systemClock }).create({ name: 'reliability-admin', role: 'admin' })
  await keyPool.end()
  const agentApi = createPrivacyBridgeClient({ baseUrl: base, apiKey: key.secret })
  const adminApi = createPrivacyBridgeClient({ baseUrl: base, apiKey: admin.secret })
  const probe = () => createPrivacyBridgeClient({ baseUrl: base }).GET('/health/ready', { signal: AbortSignal.timeout(HANG_MS) }).catch(() => undefined)
  const ready = async () => (await probe())?.response.status
  t.equal(await ready(), 200, 'ready before the outage')

  let phase: Phase = 'before'
  let stop = false
  t.teardown(() => void (stop = true))
  const outcomes: Outcome[] = []
  // Each outcome counts in the phase it was answered in: a request sent just before the stop and
  // answered after it belongs to the outage.
  const send = async (kind: Outcome['kind']): Promise<void> => {
    try {
      const answer = kind === 'list'
        ? await agentApi.GET('/v1/orders', { params: { query: { limit: 5 } }, signal: AbortSignal.timeout(HANG_MS) })
        : await agentApi.POST('/v1/requests', { body: { type: 'access', email: `load-${randomUUID()}@example.com` }, signal: AbortSignal.timeout(HANG_MS) })
      const { response } = answer
      outcomes.push({ kind, phase, status: response.status, contentType: response.headers.get('content-type') ?? '', ...(answer.data && 'id' in answer.data ? { id: answer.data.id } : {}) })
    } catch (error) {
      outcomes.push({ kind, phase, status: (error as Error).name === 'TimeoutError' ? 'timeout' : 'network' })
    }
  }
  const clients = Array.from({ length: CLIENTS }, async (_, client) => {
    for (let i = 0; i < MAX_PER_CLIENT && !stop; i++) {
      await send((i + client) % 2 === 0 ? 'list' : 'create')
      await sleep(20)
    }
  })

  await until(() => outcomes.length >= 40, { what: 'some traffic before the outage', timeoutMs: 20_000, intervalMs: 100 })
  // A sync in progress too (the worker half of the process), slowed down by Odoo's latency.
  sim.faults.latency(150)
  const sync = await adminApi.POST('/v1/sync')
  if (!sync.data) throw new Error(`POST /v1/sync: ${sync.response.status}`)
  const syncId = sync.data.id
  await until(async () => {
    const run = await adminApi.GET('/v1/sync/runs/{id}', { params: { path: { id: syncId } } })
    return run.data?.state === 'running'
  }, { what: 'the sync to be running', timeoutMs: 10_000, intervalMs: 100 })
  const stopping = database.stop()
  phase = 'outage'
  await stopping
  database = undefined
  await until(async () => {
    service.assertRunning()
    const answer = await probe()
    if (!answer) return false
    return answer.response.status === 503 && answer.error?.status === 'not_ready' && answer.error.checks.database.status === 'down'
  }, { what: 'readiness to report not_ready', timeoutMs: 10_000, intervalMs: 200 })
  t.pass('readiness is 503 not_ready while PostgreSQL is down')
  const outageStart = outcomes.length
  await until(() => {
    service.assertRunning()
    return outcomes.length >= outageStart + 20
  }, { what: 'requests answered during the outage', timeoutMs: 10_000, intervalMs: 100 })

  database = await startEmbeddedPostgres({ dataDir, port: pgPort, log: pgLog })
  await until(async () => {
    service.assertRunning()
    return (await ready()) === 200
  }, { what: 'readiness to recover', timeoutMs: 20_000, intervalMs: 200 })
  t.pass('ready again once PostgreSQL is back')
  phase = 'after'
  const recovered = outcomes.length
  await until(() => outcomes.length >= recovered + 40, { what: 'traffic after the recovery', timeoutMs: 20_000, intervalMs: 100 })
  stop = true
  await Promise.all(clients)

  const by = (p: Phase) => outcomes.filter((o) => o.phase === p)
  t.same(outcomes.filter((o) => typeof o.status !== 'number'), [], 'no request hung or lost its connection')
  t.ok(by('before').every((o) => o.status === 200 || o.status === 201), 'all answered before the outage')
  const failed = outcomes.filter((o) => typeof o.status === 'number' && o.status >= 400)
  t.ok(by('outage').some((o) => typeof o.status === 'number' && o.status >= 500), 'requests failed during the outage')
  t.same(failed.filter((o) => (o.status as number) < 500 || !o.contentType?.startsWith('application/problem+json')), [], 'every failure is a 5xx problem details document')
  const lastFailure = Math.max(...outcomes.map((o, i) => (typeof o.status === 'number' && o.status >= 500 ? i : -1)))
  t.ok(lastFailure < recovered + CLIENTS, 'nothing fails once readiness is back (beyond requests already in flight)')
  t.ok(by('after').slice(CLIENTS).every((o) => o.status === 200 || o.status === 201), 'all answered after the recovery')

  const acknowledged = outcomes.filter((o) => o.kind === 'create' && o.id).map((o) => o.id as string)
  const check = new pg.Pool({ connectionString: databaseUrl, max: 1 })
  const stored = (await check.query<{ id: string }>('SELECT id FROM rights_requests WHERE id = ANY($1::text[])', [acknowledged])).rows.map((r) => r.id)
  await check.end()
  t.ok(acknowledged.length > 40, `${acknowledged.length} requests acknowledged`)
  t.same(acknowledged.filter((id) => !stored.includes(id)), [], 'every acknowledged request is in the database')
  t.comment(`${outcomes.length} requests: ${JSON.stringify(Object.groupBy(outcomes, (o) => `${o.phase} ${o.status}`), (k, v: unknown) => (Array.isArray(v) ? v.length : v))}`)

  service.kill('SIGTERM')
  t.equal((await finished(service)).code, 0, 'the service still shuts down cleanly')
})
