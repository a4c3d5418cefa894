import t from 'tap'
import type { Test } from 'tap'
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { startTestService } from '../support/app.ts'
import type { TestService } from '../support/app.ts'
import { simulator } from '../support/simulator.ts'
import { realClock } from '../support/reliability-harness.ts'
import { bodyFor, nastyString, pathFor, queryFor } from '../support/reliability-arbitraries.ts'
import type { Body, OpenApiDocument, Operation } from '../support/reliability-arbitraries.ts'
import type { RequestView } from '../../src/rights/request-view.ts'
import type { Hold } from '../../src/retention/holds.ts'
import type { SyncRun } from '../../src/mirror/sync-runs.ts'

/** Runs per operation; FUZZ_RUNS raises it for a longer local session, FUZZ_SEED replays a failure. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 50)
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED)
/** FUZZ_ONLY=<substring of "METHOD /path"> fuzzes only the matching operations. */
const ONLY = process.env.FUZZ_ONLY
const READ_ACTIONS = ['orders.listed', 'order.viewed']
const doc = JSON.parse(readFileSync(new URL('../../openapi/openapi.json', import.meta.url), 'utf8')) as OpenApiDocument

/**
 * One hash per table the API writes to. A 4xx must leave every one unchanged. Two deliberate
 * writes on a refusal are kept apart so they can be allowed where the design calls for them: a
 * wrong verification code (422) counts an attempt and is audited.
 */
async function fingerprint(ctx: TestService): Promise<Record<string, string>> {
  const tables: Record<string, string> = {
    rights_requests: 'SELECT * FROM rights_requests',
    rights_request_events: 'SELECT * FROM rights_request_events',
    verification_codes: 'SELECT request_id, code_hash, sent_at, expires_at FROM verification_codes',
    verification_attempts: 'SELECT request_id, attempts FROM verification_codes',
    rights_exports: 'SELECT * FROM rights_exports',
    subject_flags: 'SELECT * FROM subject_flags',
    outbox: 'SELECT * FROM outbox',
    inbound_messages: 'SELECT * FROM inbound_messages',
    holds: 'SELECT * FROM holds',
    api_keys: 'SELECT * FROM api_keys',
    retention_policies: 'SELECT * FROM retention_policies',
    retention_policy_versions: 'SELECT * FROM retention_policy_versions',
    mirror_orders: 'SELECT * FROM mirror_orders',
    mirror_partners: 'SELECT * FROM mirror_partners',
    sync_runs: 'SELECT * FROM sync_runs',
    audit_log: `SELECT * FROM audit_log WHERE action <> ALL ('{${[...READ_ACTIONS, 'request.verification_failed'].join(',')}}')`,
    audit_verification_failed: `SELECT * FROM audit_log WHERE action = 'request.verification_failed'`,
    jobs: `SELECT id, name, state, data FROM pgboss.job WHERE name NOT LIKE '\\_\\_pgboss%'`
  }
  const sql = Object.entries(tables).map(([name, query]) => `SELECT '${name}' AS name, md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) AS hash FROM (${query}) r`).join(' UNION ALL ')
  const rows = (await ctx.pool.query<{ name: string; hash: string }>(sql)).rows
  return Object.fromEntries(rows.map((r) => [r.name, r.hash]))
}

function changed(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before).filter((name) => before[name] !== after[name])
}

function rolesOf(operation: Operation): string[] {
  return /Roles: ([a-z, ]+)/.exec(operation.description ?? '')?.[1]?.split(', ') ?? []
}

async function fixtures(t: Test, ctx: TestService, email: string) {
  const created = async (body: object) => {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: body })
    if (res.statusCode !== 201) throw new Error(`fixture request: ${res.statusCode} ${res.body}`)
    return res.json<Pick<RequestView, 'id'>>().id
  }
  const requests: string[] = []
  for (const type of ['access', 'erasure', 'rectification', 'portability', 'restriction', 'ccpa_opt_out', 'objection', 'ccpa_delete']) {
    requests.push(await created({ type, email }))
  }
  // Some waiting for a code, some verified, so the later steps are reachable.
  for (const id of requests.slice(0, 3)) await ctx.app.inject({ method: 'POST', url: `/v1/requests/${id}/verification`, headers: ctx.auth.agent })
  for (const id of requests.slice(3, 6)) await ctx.app.inject({ method: 'POST', url: `/v1/requests/${id}/verification/manual`, headers: ctx.auth.agent, payload: { evidence: 'Called back the number on the order.' } })
  const holds: string[] = []
  for (const payload of [{ subjectType: 'email', email, reason: 'Fuzz hold' }, { subjectType: 'order', orderId: 1, reason: 'Fuzz hold' }]) {
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/holds', headers: ctx.auth.admin, payload })
    if (res.statusCode === 201) holds.push(res.json<Pick<Hold, 'id'>>().id)
  }
  const keys: string[] = []
  for (const name of ['fuzz-a', 'fuzz-b']) keys.push((await ctx.service.apiKeys.create({ name, role: 'agent' })).id)
  const sync = await ctx.app.inject({ method: 'POST', url: '/v1/sync', headers: ctx.auth.admin })
  const orders = (await ctx.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_orders ORDER BY odoo_id LIMIT 5')).rows.map((r) => String(r.odoo_id))
  t.ok(requests.length > 0 && holds.length > 0 && orders.length > 0, 'fixtures in place')
  return { requests, holds, keys, runs: [sync.json<Pick<SyncRun, 'id'>>().id], orders }
}

await t.test('every endpoint answers arbitrary input with a 4xx problem, never a 5xx, and a 4xx writes nothing', async (t) => {
  const sim = await simulator(t, { orders: 20 })
  // Unsigned webhooks taken on purpose, so arbitrary bodies reach the intake's validation instead of its 503.
  const ctx = await startTestService(t, { odoo: sim, role: 'api', clock: realClock(), env: { INTAKE_ALLOW_UNSIGNED: 'true' } })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  const email = String(sim.store.records('res.partner').find((p) => typeof p.email === 'string' && p.email.includes('@'))?.email)
  const known = await fixtures(t, ctx, email)
  const token = 'test-webhook-token-0123456789abcdef'
  const knownIds = (param: string, path: string): string[] => {
    if (path.startsWith('/v1/keys/')) return known.keys
    if (path.startsWith('/v1/holds/')) return known.holds
    if (path.startsWith('/v1/requests/')) return known.requests
    if (path.startsWith('/v1/sync/runs/')) return known.runs
    if (path.startsWith('/v1/orders/')) return known.orders
    if (param === 'token') return [token]
    return []
  }

  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (ONLY && !`${method.toUpperCase()} ${path}`.includes(ONLY)) continue
      await t.test(`${method.toUpperCase()} ${path}`, async (t) => {
        const roles = rolesOf(operation)
        const permitted = roles.filter((r): r is 'admin' | 'agent' => r === 'admin' || r === 'agent')
        const auth = permitted.length > 0
          ? fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...permitted) }, { weight: 1, arbitrary: fc.constantFrom<'admin' | 'agent'>('admin', 'agent') })
          : fc.constantFrom<'admin' | 'agent' | 'none'>('none', 'agent')
        const input = fc.record({
          url: fc.tuple(pathFor(path, operation, doc, knownIds), queryFor(operation, doc)).map(([p, q]) => p + q),
          body: bodyFor(operation, doc),
          role: auth,
          signature: fc.option(nastyString, { nil: undefined })
        })
        let answered = 0
        await fc.assert(
          fc.asyncProperty(input, async ({ url, body, role, signature }) => {
            const headers: Record<string, string> = role === 'none' ? {} : { ...ctx.auth[role] }
            if (signature !== undefined && path === '/v1/intake/forwardemail') headers['x-webhook-signature'] = signature.replace(/[^\x20-\x7e]/g, '')
            const payload = encode(body, headers)
            const before = await fingerprint(ctx)
            const res = await ctx.app.inject({ method: method.toUpperCase() as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) })
            answered++
            const where = `${method.toUpperCase()} ${url} (${role}) body ${describe(body)}`
            if (res.statusCode >= 500) throw new Error(`${where} → ${res.statusCode} ${res.body.slice(0, 500)}`)
            if (res.statusCode < 400) return
            if (!String(res.headers['content-type']).startsWith('application/problem+json')) throw new Error(`${where} → ${res.statusCode} as ${res.headers['content-type']}, not problem details`)
            const allowed = res.statusCode === 422 && path.endsWith('/verification/confirm') ? ['verification_attempts', 'audit_verification_failed'] : []
            const wrote = changed(before, await fingerprint(ctx)).filter((name) => !allowed.includes(name))
            if (wrote.length > 0) throw new Error(`${where} → ${res.statusCode} but changed ${wrote.join(', ')}`)
          }),
          { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), interruptAfterTimeLimit: 60_000 }
        )
        t.ok(answered >= RUNS, `${answered} requests`)
      })
    }
  }
})

function encode(body: Body, headers: Record<string, string>): string | undefined {
  if (body.kind === 'none') return undefined
  if (body.kind === 'raw') {
    headers['content-type'] = body.contentType
    return body.text
  }
  headers['content-type'] = 'application/json'
  return JSON.stringify(body.value)
}

function describe(body: Body): string {
  const text = body.kind === 'none' ? '(none)' : body.kind === 'raw' ? `${body.contentType} ${JSON.stringify(body.text)}` : JSON.stringify(body.value)
  return text.slice(0, 400)
}
