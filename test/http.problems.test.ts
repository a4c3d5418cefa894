import t from 'tap'
import { buildTestApp } from './support/app.ts'
import type { Problem } from '../src/http/schemas/problem.ts'

/** What these tests read of the OpenAPI document. */
interface OpenApiDocument {
  openapi: string
  components: { securitySchemes: Record<string, unknown> }
  paths: Record<string, Record<string, { security?: unknown[] }>>
}

await t.test('a validation error is 400 problem details with the field errors', async (t) => {
  const { app, auth } = await buildTestApp(t)
  const res = await app.inject({ method: 'POST', url: '/v1/keys', headers: auth.admin, payload: { name: '', role: 'wizard' } })
  t.equal(res.statusCode, 400)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
  const body = res.json<Problem>()
  t.match(body, { type: 'urn:problem:validation', title: 'Validation failed', status: 400, requestId: String })
  t.same(body.errors?.map((e) => e.path).sort(), ['body.name', 'body.role'])
})

await t.test('malformed JSON is a 400 problem, not a 500', async (t) => {
  const { app, auth } = await buildTestApp(t)
  const res = await app.inject({ method: 'POST', url: '/v1/keys', headers: { ...auth.admin, 'content-type': 'application/json' }, payload: '{"name": ' })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { status: 400, type: /^urn:problem:/ })
})

await t.test('an unknown route is a 404 problem', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/nothing-here?email=a@b.c' })
  t.equal(res.statusCode, 404)
  t.match(res.json(), { type: 'urn:problem:not-found', detail: 'No route GET /v1/nothing-here.' })
})

await t.test('a query parameter of the wrong type is a 400 naming it', async (t) => {
  const { app, auth } = await buildTestApp(t)
  const res = await app.inject({ method: 'GET', url: '/v1/audit?limit=lots', headers: auth.admin })
  t.equal(res.statusCode, 400)
  t.match(res.json<Problem>().errors, [{ path: 'querystring.limit' }])
})

await t.test('every response carries a request id; a sane incoming one is kept', async (t) => {
  const { app } = await buildTestApp(t)
  const generated = await app.inject({ method: 'GET', url: '/health/live' })
  t.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/)
  const kept = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'trace-123' } })
  t.equal(kept.headers['x-request-id'], 'trace-123')
  const replaced = await app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'bad id with spaces <script>' } })
  t.match(replaced.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})

await t.test('Swagger UI and the OpenAPI document are served', async (t) => {
  const { app } = await buildTestApp(t)
  const doc = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(doc.statusCode, 200)
  const document = doc.json<OpenApiDocument>()
  t.equal(document.openapi, '3.1.0')
  t.ok(document.components.securitySchemes.apiKey)
  t.same(document.paths['/v1/keys']?.get?.security, [{ apiKey: [] }])
  const ui = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(ui.statusCode, 200)
  t.match(ui.body, /swagger/i)
})

await t.test('values the schemas allow but PostgreSQL cannot store are a 400, not a 500', async (t) => {
  const { app, auth } = await buildTestApp(t)
  for (const url of ['/v1/orders/2147483648', '/v1/orders?after=2147483648', '/v1/audit?subjectId=a%00b', '/v1/sync/runs?before=-200000-01-01T00:00:00Z']) {
    const res = await app.inject({ url, headers: url.startsWith('/v1/orders') ? auth.agent : auth.admin })
    t.equal(res.statusCode, 400, url)
    t.match(res.json(), { type: 'urn:problem:validation', status: 400 })
  }
})

await t.test('a path too long for the router is problem details too', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: `/v1/keys/${'x'.repeat(200)}` })
  t.ok(res.statusCode >= 400 && res.statusCode < 500)
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8')
})
