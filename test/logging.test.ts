import t from 'tap'
import { buildTestApp } from './support/app.ts'
import { capturedLogger } from './support/logs.ts'

const PII = ['jane.doe@example.com', '+49 170 1234567', 'Jane Doe', 'Hauptstraße 5', '10115'] as const

await t.test('PII sent through requests never reaches the log output', async (t) => {
  const captured = capturedLogger('trace')
  const { app, auth } = await buildTestApp(t, { log: captured.log })
  const requests = [
    // in a body that fails validation (logged as a rejected request)
    app.inject({ method: 'POST', url: '/v1/keys', headers: auth.admin, payload: { name: PII[2], role: PII[0], street: PII[3], phone: PII[1] } }),
    // in a query string and path of an unknown route
    app.inject({ method: 'GET', url: `/v1/partners/${encodeURIComponent(PII[0])}?phone=${encodeURIComponent(PII[1])}&zip=${PII[4]}` }),
    // in a query string of a real route
    app.inject({ method: 'GET', url: `/v1/audit?subjectId=${encodeURIComponent(PII[0])}`, headers: auth.auditor }),
    // in headers
    app.inject({ method: 'GET', url: '/health/live', headers: { 'x-customer-email': PII[0], cookie: `name=${PII[2]}` } })
  ]
  await Promise.all(requests)
  const output = captured.output()
  t.ok(output.length > 0, 'requests were logged')
  for (const value of PII) t.notOk(output.includes(value), `"${value}" is not in the logs`)
  for (const role of ['admin', 'auditor'] as const) {
    t.notOk(output.includes(auth[role].authorization.slice(7)), `the ${role} API key is not in the logs`)
  }
})

await t.test('secrets and PII in logged objects are redacted by key', (t) => {
  const captured = capturedLogger()
  captured.log.info({ odoo: { password: 's3cret', apiKey: 'k3y' }, partner: { email: PII[0], phone: PII[1], street: PII[3] }, headers: { authorization: 'Bearer x' } }, 'something happened')
  const output = captured.output()
  for (const value of ['s3cret', 'k3y', PII[0], PII[1], PII[3], 'Bearer x']) t.notOk(output.includes(value), value)
  t.match(output, /\[redacted\]/)
  t.end()
})

await t.test('a logged error shows its class, code and stack frames, never its message, which may quote a value', (t) => {
  const captured = capturedLogger()
  const refused = Object.assign(new Error(`invalid input syntax for type integer: "${PII[0]}"`), { code: '22P02', table: 'mirror_partners' })
  captured.log.error(refused)
  captured.log.warn({ err: new TypeError(`${PII[2]} is not a function`, { cause: refused }) }, 'step failed')
  const [first, second] = captured.output().trim().split('\n').map((line) => JSON.parse(line) as unknown)
  t.match(first, { msg: /^Error 22P02 on mirror_partners/, err: { type: 'Error', kind: 'internal', code: '22P02', stack: /^ {4}at .*logging\.test\.ts/ } })
  t.match(second, { msg: 'step failed', err: { exceptionName: 'TypeError', cause: { code: '22P02' } } })
  for (const value of PII) t.notOk(captured.output().includes(value), `"${value}" is not in the logs`)
  t.end()
})
