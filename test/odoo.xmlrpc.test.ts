import nock from 'nock'
import t from 'tap'
import {
  OdooAccessError,
  OdooAuthError,
  OdooConflictError,
  OdooMissingError,
  OdooUnavailableError,
  OdooUnknownFieldError,
  OdooUnknownModelError,
  OdooValidationError
} from '../src/odoo/errors.ts'
import { encodeMethodCall } from '../src/odoo/xmlrpc-codec.ts'
import { createXmlRpcTransport } from '../src/odoo/xmlrpc-transport.ts'
import {
  failureOf,
  HTML,
  odoo,
  PROXY_502_PAGE,
  SECRET,
  signal,
  traceback,
  transportOptions,
  XML,
  xmlFault,
  xmlResult
} from './support/odoo-nock.ts'

nock.disableNetConnect()
const options = transportOptions()
const transport = createXmlRpcTransport(options)
t.afterEach(() => {
  nock.cleanAll()
})
t.teardown(() => options.http.close())

const partnerWrite = { model: 'res.partner', method: 'write', ids: [8, 12], params: { vals: { name: 'Redacted', street: false }, context: { tracking_disable: true } } }

await t.test('execute_kw is posted under the URL path prefix with db, uid, secret, positional args and kwargs', async (t) => {
  let body = ''
  odoo()
    .post('/erp/xmlrpc/2/object', (sent: string) => ((body = sent), true))
    .reply(200, xmlResult('<boolean>1</boolean>'), XML)

  t.equal(await transport.execute(partnerWrite, 2, signal()), true)
  const params = [...body.matchAll(/<param><value>(.*?)<\/value><\/param>/g)].map((match) => match[1])
  t.match(body, '<methodName>execute_kw</methodName>')
  t.same(params.slice(0, 5), ['<string>shop</string>', '<int>2</int>', `<string>${SECRET}</string>`, '<string>res.partner</string>', '<string>write</string>'])
  t.match(params[5], '<array><data><value><array><data><value><int>8</int></value><value><int>12</int></value></data></array></value><value><struct>')
  t.match(params[5], '<member><name>street</name><value><boolean>0</boolean></value></member>')
  t.equal(params[6], '<struct><member><name>context</name><value><struct><member><name>tracking_disable</name><value><boolean>1</boolean></value></member></struct></value></member></struct>')
})

await t.test('text is escaped on the way out and entities are decoded on the way back', async (t) => {
  let body = ''
  odoo()
    .post('/erp/xmlrpc/2/object', (sent: string) => ((body = sent), true))
    .reply(200, xmlResult('<array><data><value><struct><member><name>name</name><value><string>Smith &amp; Söhne &lt;GmbH&gt; &#8364;</string></value></member></struct></value></data></array>'), XML)

  const records = await transport.execute({ model: 'res.partner', method: 'search_read', params: { domain: [['name', 'ilike', 'a<b&c']] } }, 2, signal())
  t.match(body, '<string>a&lt;b&amp;c</string>')
  t.same(records, [{ name: 'Smith & Söhne <GmbH> €' }])
})

await t.test('a search_read result decodes false, many2one pairs, doubles, nil and untyped values', async (t) => {
  odoo()
    .post('/erp/xmlrpc/2/object')
    .reply(
      200,
      xmlResult(
        '<array><data>\n<value><struct>\n' +
          '<member>\n<name>id</name>\n<value><int>1</int></value>\n</member>\n' +
          '<member>\n<name>partner_id</name>\n<value><array><data>\n<value><int>13</int></value>\n<value><string>Hugo Smith</string></value>\n</data></array></value>\n</member>\n' +
          '<member>\n<name>email</name>\n<value><boolean>0</boolean></value>\n</member>\n' +
          '<member>\n<name>amount_total</name>\n<value><double>39.1</double></value>\n</member>\n' +
          '<member>\n<name>note</name>\n<value><nil/></value>\n</member>\n' +
          '<member>\n<name>origin</name>\n<value>Amazon</value>\n</member>\n' +
          '<member>\n<name>tag_ids</name>\n<value><array><data>\n</data></array></value>\n</member>\n' +
          '</struct></value>\n</data></array>'
      ),
      XML
    )

  const records = await transport.execute({ model: 'sale.order', method: 'search_read', params: { domain: [] } }, 2, signal())
  t.same(records, [{ id: 1, partner_id: [13, 'Hugo Smith'], email: false, amount_total: 39.1, note: null, origin: 'Amazon', tag_ids: [] }])
})

await t.test('authenticate answered with false (a wrong password or key) is an OdooAuthError', async (t) => {
  odoo().post('/erp/xmlrpc/2/common').reply(200, xmlResult('<boolean>0</boolean>'), XML)
  await t.rejects(transport.authenticate(signal()), OdooAuthError)
})

await t.test('fault code 2 "Record does not exist" is an OdooMissingError naming model and method', async (t) => {
  odoo()
    .post('/erp/xmlrpc/2/object')
    .reply(200, xmlFault(2, 'Record does not exist or has been deleted.\n(Record: res.partner(99999999,), User: 2)'), XML)
  const error = await failureOf(transport.execute(partnerWrite, 2, signal()))
  t.type(error, OdooMissingError)
  t.match(error, { model: 'res.partner', method: 'write', exceptionName: 'odoo.exceptions.MissingError', code: 'XML-RPC fault 2', transient: false })
  t.equal(error.message, 'A record no longer exists in Odoo: odoo.exceptions.MissingError (XML-RPC fault 2) in res.partner.write', "Odoo's text is not kept")
})

await t.test('fault code 2 with any other message is an OdooValidationError, except an unknown model', async (t) => {
  odoo().post('/erp/xmlrpc/2/object').reply(200, xmlFault(2, 'The operation cannot be completed: Contacts require a name'), XML)
  await t.rejects(transport.execute(partnerWrite, 2, signal()), OdooValidationError)
  odoo().post('/erp/xmlrpc/2/object').reply(200, xmlFault(2, "Object no.such.model doesn't exist"), XML)
  await t.rejects(transport.execute({ model: 'no.such.model', method: 'search_read', params: { domain: [] } }, 2, signal()), OdooUnknownModelError)
})

await t.test('fault code 3 "Access Denied" is an OdooAuthError and code 4 an OdooAccessError', async (t) => {
  odoo().post('/erp/xmlrpc/2/object').reply(200, xmlFault(3, 'Access Denied'), XML)
  await t.rejects(transport.execute(partnerWrite, 2, signal()), OdooAuthError)
  odoo().post('/erp/xmlrpc/2/object').reply(200, xmlFault(4, "You are not allowed to access 'Sales Order' (sale.order) records."), XML)
  t.type(await failureOf(transport.execute(partnerWrite, 2, signal())), OdooAccessError)
})

await t.test('fault code 1 is read from the last line of its traceback', async (t) => {
  odoo().post('/erp/xmlrpc/2/object').reply(200, xmlFault(1, traceback("ValueError: Invalid field 'mobile' on 'res.partner'")), XML)
  const invalidField = await failureOf(transport.execute(partnerWrite, 2, signal()))
  t.type(invalidField, OdooUnknownFieldError)
  t.match(invalidField, { message: 'Odoo has no such field: builtins.ValueError (XML-RPC fault 1) in res.partner.write', exceptionName: 'builtins.ValueError' })

  odoo().post('/erp/xmlrpc/2/object').reply(200, xmlFault(1, traceback("KeyError: 'mobile'")), XML)
  t.match(await failureOf(transport.execute(partnerWrite, 2, signal())), { name: 'OdooUnknownFieldError', exceptionName: 'builtins.KeyError' })

  odoo()
    .post('/erp/xmlrpc/2/object')
    .reply(200, xmlFault(1, traceback('psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update')), XML)
  const conflict = await failureOf(transport.execute(partnerWrite, 2, signal()))
  t.type(conflict, OdooConflictError)
  t.match(conflict, { message: 'Odoo gave up on a concurrent update: psycopg2.errors.SerializationFailure (XML-RPC fault 1) in res.partner.write', transient: true })
})

await t.test("a proxy's 502 HTML page is an OdooUnavailableError that keeps the status", async (t) => {
  odoo().post('/erp/xmlrpc/2/object').reply(502, PROXY_502_PAGE, HTML)
  const error = await failureOf(transport.execute(partnerWrite, 2, signal()))
  t.type(error, OdooUnavailableError)
  t.match(error, { message: /HTTP 502/, transient: true })
})

await t.test('an HTML page served with status 200 is an OdooUnavailableError, not a parse crash', async (t) => {
  odoo().post('/erp/xmlrpc/2/object').reply(200, '<!doctype html><html><body>Maintenance</body></html>', HTML)
  await t.rejects(transport.execute(partnerWrite, 2, signal()), OdooUnavailableError)
})

await t.test('the server version is read from common.version', async (t) => {
  odoo()
    .post('/erp/xmlrpc/2/common', /<methodName>version<\/methodName>/)
    .reply(
      200,
      xmlResult(
        '<struct><member><name>server_version</name><value><string>18.0+e-20241005</string></value></member>' +
          '<member><name>server_version_info</name><value><array><data><value><int>18</int></value><value><int>0</int></value></data></array></value></member></struct>'
      ),
      XML
    )
  t.same(await transport.serverVersion(signal()), { serverVersion: '18.0+e-20241005', major: 18 })
})

await t.test('a Date is sent as a dateTime in UTC to the second, and a Buffer as base64, as Python\'s xmlrpc.client reads them', (t) => {
  const body = encodeMethodCall('execute_kw', [new Date('2026-11-23T10:05:09.750+01:00'), Buffer.from('hello'), new Uint8Array([255, 0, 1])])
  t.match(body, '<param><value><dateTime.iso8601>20261123T09:05:09</dateTime.iso8601></value></param>')
  t.match(body, '<param><value><base64>aGVsbG8=</base64></value></param>')
  t.match(body, '<param><value><base64>/wAB</base64></value></param>')
  t.match(encodeMethodCall('m', [new Date('0099-01-02T03:04:05Z')]), '<dateTime.iso8601>00990102T03:04:05</dateTime.iso8601>', 'four-digit years')
  t.end()
})

await t.test('a value XML-RPC cannot carry is refused with its type named, before anything is sent', async (t) => {
  const refusals: Array<[unknown, RegExp]> = [
    [new Map([['name', 'Jane']]), /^XML-RPC cannot encode a Map: pass plain objects/],
    [new Set([1]), /cannot encode a Set/],
    [10n, /cannot encode a bigint/],
    [() => 1, /cannot encode a function/],
    [Symbol('s'), /cannot encode a symbol/],
    [new URL('http://x.test/jane@example.com'), /cannot encode a URL/],
    [new Date(Number.NaN), /cannot encode a Date outside the years 1 to 9999 \(or an invalid Date\)/],
    [new Date('+010000-01-01T00:00:00Z'), /cannot encode a Date outside the years 1 to 9999/]
  ]
  for (const [value, message] of refusals) {
    t.throws(() => encodeMethodCall('execute_kw', [{ vals: { field: value } }]), { name: 'TypeError', message }, String(message))
  }
  const error = (() => {
    try {
      encodeMethodCall('m', [new URL('http://x.test/jane@example.com')])
    } catch (caught) {
      return (caught as Error).message
    }
  })()
  t.notMatch(error, 'jane', 'the value itself is not in the message')
  await t.rejects(transport.execute({ model: 'res.partner', method: 'write', ids: [8], params: { vals: { tags: new Set([1]) } } }, 2, signal()), { name: 'TypeError', message: /cannot encode a Set/ })
})
