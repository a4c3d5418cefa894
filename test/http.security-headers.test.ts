import t from 'tap'
import { buildTestApp } from './support/app.ts'

const EXPECTED = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin'
}

await t.test('every response carries the security headers: API answers, problems, 404s and Swagger UI', async (t) => {
  const { app, auth } = await buildTestApp(t)
  const responses = {
    'an API answer': await app.inject({ method: 'GET', url: '/v1/keys', headers: auth.admin }),
    'a 401 problem': await app.inject({ method: 'GET', url: '/v1/keys' }),
    'a 404': await app.inject({ method: 'GET', url: '/nothing-here' }),
    'a probe': await app.inject({ method: 'GET', url: '/health/live' }),
    'Swagger UI': await app.inject({ method: 'GET', url: '/docs/' }),
    'its script': await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' })
  }
  for (const [what, res] of Object.entries(responses)) {
    t.match(res.headers, EXPECTED, what)
    const csp = String(res.headers['content-security-policy'])
    t.match(csp, /(^|;)default-src 'self'(;|$)/, `${what}: only this origin by default`)
    t.match(csp, /(^|;)script-src 'self'(;|$)/, `${what}: no inline or foreign scripts`)
    t.match(csp, /(^|;)frame-ancestors 'none'(;|$)/, `${what}: never framed`)
    t.notMatch(csp, /unsafe-inline|unsafe-eval|upgrade-insecure-requests/, `${what}: nothing unsafe, and plain HTTP still works behind the proxy`)
  }
})
