import t from 'tap'
import { buildTestApp } from './support/app.ts'

const refused = () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:8069'))

await t.test('readiness reports the database and Odoo separately', async (t) => {
  const { app } = await buildTestApp(t, { health: { database: () => Promise.resolve(), odoo: refused } })
  const degraded = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(degraded.statusCode, 200, 'the API still serves while Odoo is down')
  t.same(degraded.json(), { status: 'degraded', checks: { database: { status: 'up' }, odoo: { status: 'down' } } })
})

await t.test('readiness is 503 when the database does not answer', async (t) => {
  const never = () => new Promise<void>(() => undefined)
  const { app } = await buildTestApp(t, { health: { database: never, odoo: () => Promise.resolve() } })
  const res = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(res.statusCode, 503)
  t.same(res.json(), { status: 'not_ready', checks: { database: { status: 'down' }, odoo: { status: 'up' } } })
})

await t.test('readiness tells a caller only up or down; why a dependency is down goes to the log', async (t) => {
  const { app, logs, auth } = await buildTestApp(t, { health: { database: () => Promise.resolve(), odoo: refused } })
  for (const headers of [{}, auth.admin]) {
    const res = await app.inject({ method: 'GET', url: '/health/ready', headers })
    t.notMatch(res.body, /ECONNREFUSED|10\.0\.0\.7|8069|latency/i, 'no error text, address or timing in the answer')
  }
  const warnings = logs().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'readiness check failed')
  t.equal(warnings.length, 2, 'each failed check is logged')
  t.match(warnings[0], { level: 40, dependency: 'odoo', reason: 'connect ECONNREFUSED 10.0.0.7:8069' })
})

await t.test('Odoo answering without every right the service needs is degraded, and says nothing more', async (t) => {
  const { app, logs } = await buildTestApp(t, { health: { database: () => Promise.resolve(), odoo: () => Promise.resolve('degraded' as const) } })
  const res = await app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'degraded', checks: { database: { status: 'up' }, odoo: { status: 'degraded' } } })
  t.match(logs(), /"dependency":"odoo","msg":"readiness check degraded/)
})
