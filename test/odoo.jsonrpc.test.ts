import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import nock from 'nock'
import t from 'tap'
import { OdooAuthError, OdooMissingError, OdooUnavailableError, OdooUnknownFieldError, OdooUnknownModelError, OdooValidationError } from '../src/odoo/errors.ts'
import { createJsonRpcTransport } from '../src/odoo/jsonrpc-transport.ts'
import { failureOf, HTML, JSON_TYPE, odoo, SECRET, signal, transportOptions } from './support/odoo-nock.ts'

nock.disableNetConnect()
const options = transportOptions()
const transport = createJsonRpcTransport(options)
t.afterEach(() => {
  nock.cleanAll()
})
t.teardown(() => options.http.close())

/** A JSON-RPC error envelope as Odoo sends it (`code` is 200 on 16 and 18, 0 on 19). */
function odooError(name: string, message: string, code = 200) {
  return { jsonrpc: '2.0', id: 1, error: { code, message: 'Odoo Server Error', data: { name, debug: 'Traceback (most recent call last):\n…', message, arguments: [message], context: {} } } }
}

const searchRead = { model: 'sale.order', method: 'search_read', params: { domain: [['state', '=', 'sale']], fields: ['name'], limit: 3, order: 'id asc', offset: undefined } }

await t.test('execute_kw travels in the "object" service envelope under the URL path prefix', async (t) => {
  let body: unknown
  odoo()
    .post('/erp/jsonrpc', (sent: unknown) => ((body = sent), true))
    .reply(200, { jsonrpc: '2.0', id: 1, result: [{ id: 1, name: 'S00001' }] }, JSON_TYPE)

  t.same(await transport.execute(searchRead, 2, signal()), [{ id: 1, name: 'S00001' }])
  t.match(body, {
    jsonrpc: '2.0',
    method: 'call',
    params: {
      service: 'object',
      method: 'execute_kw',
      args: ['shop', 2, SECRET, 'sale.order', 'search_read', [[['state', '=', 'sale']]], { fields: ['name'], limit: 3, order: 'id asc' }]
    },
    id: Number
  })
  t.notOk('offset' in ((body as { params: { args: Record<string, unknown>[] } }).params.args[6] ?? {}), 'options left out are not sent')
})

await t.test('a write passes its context as a keyword argument', async (t) => {
  let body: { params: { args: unknown[] } } | undefined
  odoo()
    .post('/erp/jsonrpc', (sent: typeof body) => ((body = sent), true))
    .reply(200, { jsonrpc: '2.0', id: 1, result: true }, JSON_TYPE)

  await transport.execute({ model: 'res.partner', method: 'write', ids: [8, 12], params: { vals: { phone: false }, context: { mail_notrack: true } } }, 2, signal())
  t.same(body?.params.args.slice(5), [[[8, 12], { phone: false }], { context: { mail_notrack: true } }])
})

await t.test('authenticate asks the "common" service and answers the uid', async (t) => {
  odoo()
    .post('/erp/jsonrpc', { jsonrpc: '2.0', method: 'call', params: { service: 'common', method: 'authenticate', args: ['shop', 'admin', SECRET, {}] }, id: /\d+/ })
    .reply(200, { jsonrpc: '2.0', id: 1, result: 2 }, JSON_TYPE)
  t.equal(await transport.authenticate(signal()), 2)
})

await t.test('authenticate answered with false is an OdooAuthError, and so is AccessDenied on an object call', async (t) => {
  odoo().post('/erp/jsonrpc').reply(200, { jsonrpc: '2.0', id: 1, result: false }, JSON_TYPE)
  await t.rejects(transport.authenticate(signal()), OdooAuthError)
  odoo().post('/erp/jsonrpc').reply(200, odooError('odoo.exceptions.AccessDenied', 'Access Denied'), JSON_TYPE)
  await t.rejects(transport.execute(searchRead, 2, signal()), OdooAuthError)
})

await t.test('errors are told apart by data.name, whatever the envelope code', async (t) => {
  odoo()
    .post('/erp/jsonrpc')
    .reply(200, odooError('odoo.exceptions.MissingError', 'Record does not exist or has been deleted.\n(Record: res.partner(99999999,), User: 2)', 0), JSON_TYPE)
  const missing = await failureOf(transport.execute(searchRead, 2, signal()))
  t.type(missing, OdooMissingError)
  t.match(missing, { model: 'sale.order', method: 'search_read', exceptionName: 'odoo.exceptions.MissingError', code: 'JSON-RPC error 0' })

  odoo().post('/erp/jsonrpc').reply(200, odooError('odoo.exceptions.ValidationError', 'The operation cannot be completed: Contacts require a name'), JSON_TYPE)
  await t.rejects(transport.execute(searchRead, 2, signal()), OdooValidationError)

  odoo().post('/erp/jsonrpc').reply(200, odooError('odoo.exceptions.UserError', "Object no.such.model doesn't exist"), JSON_TYPE)
  await t.rejects(transport.execute(searchRead, 2, signal()), OdooUnknownModelError)

  odoo()
    .post('/erp/jsonrpc')
    .reply(200, odooError('builtins.ValueError', "Invalid field sale.order.no_such_field in leaf ('no_such_field', '=', 1)"), JSON_TYPE)
  await t.rejects(transport.execute(searchRead, 2, signal()), OdooUnknownFieldError)
})

await t.test('a 503 from a proxy and a non-JSON answer are OdooUnavailableError', async (t) => {
  odoo().post('/erp/jsonrpc').reply(503, '<html><body>Service Unavailable</body></html>', HTML)
  t.match(await failureOf(transport.execute(searchRead, 2, signal())), { name: 'OdooUnavailableError', message: /HTTP 503/ })
  odoo().post('/erp/jsonrpc').reply(200, '<html>login</html>', HTML)
  await t.rejects(transport.execute(searchRead, 2, signal()), OdooUnavailableError)
})

await t.test('a refused connection is an OdooUnavailableError', async (t) => {
  const closedPort = await portNobodyListensOn()
  nock.enableNetConnect('127.0.0.1')
  t.teardown(() => {
    nock.disableNetConnect()
  })
  const unreachable = createJsonRpcTransport({ ...options, baseUrl: new URL(`http://127.0.0.1:${closedPort}/`) })
  t.match(await failureOf(unreachable.serverVersion(signal())), { name: 'OdooUnavailableError', message: /ECONNREFUSED/, transient: true })
})

async function portNobodyListensOn(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}
