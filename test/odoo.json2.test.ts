import nock from 'nock'
import t from 'tap'
import {
  OdooAccessError,
  OdooAuthError,
  OdooMissingError,
  OdooUnavailableError,
  OdooUnexpectedError,
  OdooUnknownFieldError,
  OdooUnknownModelError,
  OdooValidationError
} from '../src/odoo/errors.ts'
import { createJson2Transport } from '../src/odoo/json2-transport.ts'
import { failureOf, HTML, JSON_TYPE, odoo, SECRET, signal, transportOptions } from './support/odoo-nock.ts'

nock.disableNetConnect()
const options = transportOptions()
const transport = createJson2Transport(options)
t.afterEach(() => {
  nock.cleanAll()
})
t.teardown(() => options.http.close())

/** A JSON-2 error body as Odoo 19 sends it, with the HTTP status as the class. */
function odooError(name: string, message: string) {
  return { name, message, arguments: [message], context: {}, debug: 'Traceback (most recent call last):\n…' }
}

const write = { model: 'res.partner', method: 'write', ids: [14, 18], params: { vals: { name: 'Redacted customer', phone: false }, context: { tracking_disable: true } } }

await t.test('a record method posts its ids and named arguments to /json/2/<model>/<method> with the key as bearer', async (t) => {
  odoo()
    .matchHeader('authorization', `bearer ${SECRET}`)
    .matchHeader('x-odoo-database', 'shop')
    .post('/erp/json/2/res.partner/write', { ids: [14, 18], vals: { name: 'Redacted customer', phone: false }, context: { tracking_disable: true } })
    .reply(200, 'true', JSON_TYPE)
  t.equal(await transport.execute(write, 2, signal()), true)
})

await t.test('a model method sends only the named arguments it was given', async (t) => {
  odoo()
    .post('/erp/json/2/sale.order/search_read', { domain: [['write_date', '>=', '2026-01-01 00:00:00']], fields: ['name', 'write_date'], limit: 3, order: 'write_date asc, id asc' })
    .reply(200, [{ id: 1, name: 'S00001', write_date: '2026-11-23 05:03:10' }], JSON_TYPE)
  const records = await transport.execute(
    { model: 'sale.order', method: 'search_read', params: { domain: [['write_date', '>=', '2026-01-01 00:00:00']], fields: ['name', 'write_date'], limit: 3, offset: undefined, order: 'write_date asc, id asc' } },
    2,
    signal()
  )
  t.same(records, [{ id: 1, name: 'S00001', write_date: '2026-11-23 05:03:10' }])
})

await t.test('authenticate asks res.users/context_get whose key it is', async (t) => {
  odoo().post('/erp/json/2/res.users/context_get', {}).reply(200, { lang: 'en_US', tz: false, uid: 2 }, JSON_TYPE)
  t.equal(await transport.authenticate(signal()), 2)
})

await t.test('401 is an OdooAuthError that says JSON-2 needs an API key', async (t) => {
  odoo().post('/erp/json/2/res.users/context_get').reply(401, odooError('werkzeug.exceptions.Unauthorized', 'Invalid apikey'), { ...JSON_TYPE, 'WWW-Authenticate': 'Bearer ' })
  const error = await failureOf(transport.authenticate(signal()))
  t.type(error, OdooAuthError)
  t.match(error, { message: /API key/, exceptionName: 'werkzeug.exceptions.Unauthorized', code: 'HTTP 401' })
})

await t.test('the HTTP status and exception name map to the typed errors', async (t) => {
  const cases = [
    { status: 403, name: 'odoo.exceptions.AccessError', message: "You are not allowed to modify 'Contact' (res.partner) records.", expected: OdooAccessError },
    { status: 404, name: 'odoo.exceptions.MissingError', message: 'Record does not exist or has been deleted.', expected: OdooMissingError },
    { status: 404, name: 'werkzeug.exceptions.NotFound', message: "the model 'no.such.model' does not exist", expected: OdooUnknownModelError },
    { status: 404, name: 'werkzeug.exceptions.NotFound', message: "The method 'res.partner.no_such_method' does not exist", expected: OdooUnexpectedError },
    { status: 422, name: 'odoo.exceptions.ValidationError', message: 'The operation cannot be completed: Contacts require a name', expected: OdooValidationError },
    { status: 500, name: 'builtins.ValueError', message: "Invalid field 'mobile' on 'res.partner'", expected: OdooUnknownFieldError }
  ]
  for (const { status, name, message, expected } of cases) {
    odoo().post('/erp/json/2/res.partner/write').reply(status, odooError(name, message), JSON_TYPE)
    const error = await failureOf(transport.execute(write, 2, signal()))
    t.type(error, expected, `${status} ${name}`)
    t.match(error, { exceptionName: name, code: `HTTP ${status}`, model: 'res.partner', method: 'write' })
    t.notOk(error.message.includes(message), "Odoo's text is not kept")
  }
})

await t.test('an HTML answer (a wrong X-Odoo-Database gets a 404 page) and a 504 are OdooUnavailableError', async (t) => {
  odoo().post('/erp/json/2/res.partner/write').reply(404, '<!DOCTYPE html>\n<title>404 Not Found</title>', HTML)
  t.match(await failureOf(transport.execute(write, 2, signal())), { name: 'OdooUnavailableError', message: /HTTP 404 \(text\/html/ })
  odoo().post('/erp/json/2/res.partner/write').reply(504, 'Gateway Timeout', { 'Content-Type': 'text/plain' })
  await t.rejects(transport.execute(write, 2, signal()), OdooUnavailableError)
})

await t.test('the server version is read from GET /web/version', async (t) => {
  odoo().get('/erp/web/version').reply(200, { version_info: [19, 0, 0, 'final', 0, ''], version: '19.0' }, JSON_TYPE)
  t.same(await transport.serverVersion(signal()), { serverVersion: '19.0', major: 19 })
})
