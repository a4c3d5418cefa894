import t from 'tap'
import { startOdooSimulator } from './odoo-simulator/index.ts'
import { executeKw, executeKwError, faultCode, json2, jsonRpc, xmlExecuteKw, xmlInt, xmlRpc, xmlString } from './support/odoo-simulator-rpc.ts'

const sim = await startOdooSimulator({ version: 18, orders: 30 })
const sim19 = await startOdooSimulator({ version: 19, orders: 30 })
t.teardown(() => Promise.all([sim.close(), sim19.close()]))

const ids = (list: number[]): string => `<value><array><data>${list.map(xmlInt).join('')}</data></array></value>`
const fields = (names: string[]): string => `<value><struct><member><name>fields</name><value><array><data>${names.map(xmlString).join('')}</data></array></value></member></struct></value>`
const limitedUid = Number(sim.store.records('res.users').find((u) => u.login === sim.limitedUser.login)?.id)

await t.test('XML-RPC answers False as <boolean>0</boolean> and floats as doubles, like Odoo', async (t) => {
  const { body } = await xmlExecuteKw(sim, 'res.partner', 'read', `<value><array><data>${ids([14])}</data></array></value>`, fields(['street2', 'parent_id']))
  t.match(body, '<name>street2</name>\n<value><boolean>0</boolean></value>')
  t.match(body, '<name>parent_id</name>\n<value><boolean>0</boolean></value>')
  const order = await xmlExecuteKw(sim, 'sale.order', 'read', `<value><array><data>${ids([1])}</data></array></value>`, fields(['amount_total']))
  t.match(order.body, /<name>amount_total<\/name>\n<value><double>\d+\.\d+<\/double><\/value>/)
  t.match(order.body, /^<\?xml version="1\.0"\?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n/)
  t.match(order.body, /<\/params>\n\n<\/methodResponse>\n$/)
})

await t.test('XML-RPC accepts untyped strings, <nil/>, i4 and CDATA in requests', async (t) => {
  const { body } = await xmlRpc(sim, 'object', 'execute_kw', [
    `<value>${sim.db}</value>`,
    '<value><i4>2</i4></value>',
    `<value><string><![CDATA[${sim.apiKey}]]></string></value>`,
    xmlString('sale.order'),
    xmlString('search_count'),
    '<value><array><data><value><array><data><value><array><data><value>origin</value><value>=</value><value><nil/></value></data></array></value></data></array></value></data></array></value>',
  ])
  const manual = sim.store.records('sale.order').filter((o) => o.origin === false).length
  t.match(body, `<value><int>${manual}</int></value>`)
})

await t.test('XML-RPC fault codes: 1 traceback, 2 user error, 3 access denied, 4 access error', async (t) => {
  const invalid = await xmlExecuteKw(sim, 'sale.order', 'search_read', '<value><array><data><value><array><data></data></array></value></data></array></value>', fields(['no_such_field']))
  t.equal(faultCode(invalid.body), 1)
  t.match(invalid.body, /Traceback \(most recent call last\):[\s\S]*ValueError: Invalid field 'no_such_field' on model 'sale.order'/)
  const missing = await xmlExecuteKw(sim, 'res.partner', 'write', `<value><array><data>${ids([99999999])}<value><struct><member><name>street</name><value><boolean>0</boolean></value></member></struct></value></data></array></value>`)
  t.equal(faultCode(missing.body), 2)
  t.match(missing.body, '<string>Record does not exist or has been deleted.\n(Record: res.partner(99999999,), User: 2)</string>')
  const denied = await xmlRpc(sim, 'object', 'execute_kw', [xmlString(sim.db), xmlInt(2), xmlString('not-the-key'), xmlString('sale.order'), xmlString('search_count'), '<value><array><data><value><array><data></data></array></value></data></array></value>'])
  t.equal(faultCode(denied.body), 3)
  const privateMethod = await xmlExecuteKw(sim, 'res.partner', '_compute_display_name', `<value><array><data>${ids([14])}</data></array></value>`)
  t.equal(faultCode(privateMethod.body), 4)
  t.match(privateMethod.body, 'Private methods (such as _compute_display_name) cannot be called remotely.')
})

await t.test('authenticate accepts the password or the API key and answers False to a wrong secret', async (t) => {
  for (const secret of [sim.password, sim.apiKey]) t.equal((await jsonRpc(sim, 'common', 'authenticate', [sim.db, sim.login, secret, {}])).result, 2)
  t.equal((await jsonRpc(sim, 'common', 'authenticate', [sim.db, sim.login, 'wrong', {}])).result, false)
  t.equal((await jsonRpc(sim, 'common', 'authenticate', ['nodb', sim.login, sim.apiKey, {}])).error?.data.name, 'psycopg2.OperationalError')
})

await t.test('the limited user may read contacts but not sale orders, nor write contacts', async (t) => {
  t.equal((await jsonRpc(sim, 'common', 'authenticate', [sim.db, sim.limitedUser.login, sim.limitedUser.apiKey, {}])).result, limitedUid)
  const caller = { uid: limitedUid, secret: sim.limitedUser.password }
  t.same(await executeKw(sim, 'res.partner', 'read', [[14]], { fields: ['name'] }, caller), [{ id: 14, name: sim.store.get('res.partner', 14)?.name }])
  const orders = await executeKwError(sim, 'sale.order', 'search_read', [[]], { fields: ['name'], limit: 1 }, caller)
  t.equal(orders.data.name, 'odoo.exceptions.AccessError')
  t.match(orders.data.message, /^You are not allowed to access 'Sales Order' \(sale\.order\) records\.\n\nThis operation is allowed for the following groups:\n\t- Inventory\/User/)
  const write = await executeKwError(sim, 'res.partner', 'write', [[15], { street: false }], {}, caller)
  t.match(write.data.message, "You are not allowed to modify 'Contact' (res.partner) records.")
  t.equal(await executeKw(sim, 'res.partner', 'check_access_rights', ['write'], { raise_exception: false }, caller), false)
})

await t.test('the limited user gets 403 on JSON-2 for what it may not do', async (t) => {
  const reply = await json2(sim19, 'sale.order', 'search_read', { domain: [], fields: ['name'], limit: 1 }, { key: sim19.limitedUser.apiKey })
  t.equal(reply.status, 403)
  t.match(reply.body, { name: 'odoo.exceptions.AccessError' })
})

await t.test('a web session cookie from /web/session/authenticate opens /web/dataset/call_kw', async (t) => {
  const unauthenticated = await fetch(`${sim.url}/web/dataset/call_kw/sale.order/search_count`, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { model: 'sale.order', method: 'search_count', args: [[]], kwargs: {} } }),
  })
  t.match(await unauthenticated.json(), { error: { code: 100, data: { name: 'odoo.http.SessionExpiredException' } } })
  const login = await fetch(`${sim.url}/web/session/authenticate`, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { db: sim.db, login: sim.login, password: sim.password } }),
  })
  t.match(await login.json(), { result: { uid: 2 } })
  const cookie = String(login.headers.get('set-cookie')).split(';')[0] ?? ''
  const call = await fetch(`${sim.url}/web/dataset/call_kw/sale.order/search_count`, {
    method: 'POST',
    headers: { Cookie: cookie },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { model: 'sale.order', method: 'search_count', args: [[]], kwargs: {} } }),
  })
  t.match(await call.json(), { result: 30 })
})

await t.test('a wrong password at /web/session/authenticate is an AccessDenied error', async (t) => {
  const login = await fetch(`${sim.url}/web/session/authenticate`, {
    method: 'POST',
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { db: sim.db, login: sim.login, password: 'wrong' } }),
  })
  t.match(await login.json(), { error: { data: { name: 'odoo.exceptions.AccessDenied' } } })
})

await t.test('JSON-2 takes named arguments, ids and context from the body and answers the bare result', async (t) => {
  const reply = await json2(sim19, 'res.partner', 'read', { ids: [13], fields: ['name', 'type'] })
  t.same(reply.body, [{ id: 13, name: sim19.store.get('res.partner', 13)?.name, type: 'contact' }])
  t.equal((await json2(sim19, 'res.partner', 'write', { ids: [14], vals: { phone: false }, context: { tracking_disable: true } })).body, true)
  t.equal(sim19.store.count('mail.tracking.value'), 0)
  t.same((await json2(sim19, 'res.users', 'context_get')).body, { lang: 'en_US', tz: false, uid: 2 })
})

await t.test('JSON-2 refuses what Odoo 19 refuses, with its status and exception name', async (t) => {
  const cases: [Promise<{ status: number; body: unknown }>, number, string][] = [
    [json2(sim19, 'sale.order', 'search_count', { domain: [] }, { key: '' }), 401, 'werkzeug.exceptions.Unauthorized'],
    [json2(sim19, 'sale.order', 'search_count', { domain: [] }, { key: 'wrong' }), 401, 'werkzeug.exceptions.Unauthorized'],
    [json2(sim19, 'sale.order', 'search_count', {}, { rawBody: '{"domain": [' }), 400, 'werkzeug.exceptions.BadRequest'],
    [json2(sim19, 'sale.order', 'search_count', { args: [[]] }), 422, 'werkzeug.exceptions.UnprocessableEntity'],
    [json2(sim19, 'sale.order', 'search_count', { domain: [], bogus: 1 }), 422, 'werkzeug.exceptions.UnprocessableEntity'],
    [json2(sim19, 'sale.order', 'search_count', {}, { httpMethod: 'GET' }), 404, 'werkzeug.exceptions.NotFound'],
    [json2(sim19, 'no.such.model', 'search_read', { domain: [] }), 404, 'werkzeug.exceptions.NotFound'],
    [json2(sim19, 'res.partner', 'no_such_method'), 404, 'werkzeug.exceptions.NotFound'],
    [json2(sim19, 'res.partner', '_compute_display_name', { ids: [13] }), 403, 'odoo.exceptions.AccessError'],
    [json2(sim19, 'res.partner', 'write', { ids: [99999999], vals: { street: false } }), 404, 'odoo.exceptions.MissingError'],
    [json2(sim19, 'res.partner', 'write', { ids: [13], vals: { name: false } }), 422, 'odoo.exceptions.ValidationError'],
    [json2(sim19, 'sale.order', 'search_read', { domain: [['no_such_field', '=', 1]] }), 500, 'builtins.ValueError'],
  ]
  for (const [reply, status, name] of cases) {
    const { status: got, body } = await reply
    t.same([got, (body as { name?: string } | undefined)?.name], [status, name])
  }
  const wrongDatabase = await json2(sim19, 'sale.order', 'search_count', { domain: [] }, { database: 'nodb' })
  t.equal(wrongDatabase.status, 404)
  t.match(wrongDatabase.text, 'No database is selected')
})

await t.test('a delivery contact may lose its name, a customer may not', async (t) => {
  t.equal(await executeKw(sim, 'res.partner', 'write', [[15], { name: false }]), true)
  const error = await executeKwError(sim, 'res.partner', 'write', [[14], { name: false }])
  t.same([error.data.name, error.data.message], ['odoo.exceptions.ValidationError', 'The operation cannot be completed: Contacts require a name'])
  const [delivery] = (await executeKw(sim, 'res.partner', 'read', [[15]], { fields: ['display_name'] })) as { display_name: string }[]
  t.equal(delivery?.display_name, `${String(sim.store.get('res.partner', 14)?.name)}, Delivery Address`)
})

await t.test('create answers an id for one record and a list for a list, with required fields enforced', async (t) => {
  const id = await executeKw(sim, 'res.partner', 'create', [{ name: 'New Customer', email: 'new@example.com' }])
  t.type(id, 'number')
  const many = await executeKw(sim, 'crm.tag', 'create', [[{ name: 'Wholesale' }, { name: 'Retail' }]])
  t.equal((many as number[]).length, 2)
  const error = await executeKwError(sim, 'sale.order', 'create', [{ origin: 'Amazon' }])
  t.match(error.data.message, 'Field: Customer (partner_id)')
  t.equal((await executeKwError(sim, 'res.partner', 'create', [{ email: 'nameless@example.com' }])).data.message, 'The operation cannot be completed: Contacts require a name')
})

await t.test('read_group counts orders per channel team', async (t) => {
  const groups = (await executeKw(sim, 'sale.order', 'read_group', [[], ['team_id'], ['team_id']], { lazy: false })) as { team_id: [number, string] | false; __count: number; __domain: unknown[] }[]
  const total = groups.reduce((sum, g) => sum + g.__count, 0)
  t.equal(total, 30)
  const amazon = groups.find((g) => g.team_id && g.team_id[1] === 'Amazon')
  t.same(amazon?.__domain, [['team_id', '=', amazon?.team_id && amazon.team_id[0]]])
  t.equal(groups[groups.length - 1]?.team_id, false, 'orders without a team come last')
})

await t.test('fields_get describes fields with the asked attributes', async (t) => {
  const described = await executeKw(sim, 'sale.order', 'fields_get', [['partner_id', 'state']], { attributes: ['type', 'relation', 'required'] })
  t.same(described, { partner_id: { relation: 'res.partner', required: true, type: 'many2one' }, state: { required: false, type: 'selection' } })
})

await t.test('every object call is recorded with its protocol, model, method, ids and context', async (t) => {
  const before = sim19.calls.length
  await json2(sim19, 'res.partner', 'write', { ids: [18], vals: { phone: false }, context: { mail_notrack: true } })
  await xmlExecuteKw(sim19, 'res.partner', 'read', `<value><array><data>${ids([18])}</data></array></value>`)
  await executeKw(sim19, 'sale.order', 'search_count', [[]])
  const recorded = sim19.calls.slice(before)
  t.match(recorded, [
    { protocol: 'json2', model: 'res.partner', method: 'write', ids: [18], context: { mail_notrack: true } },
    { protocol: 'xmlrpc', model: 'res.partner', method: 'read', ids: [18] },
    { protocol: 'jsonrpc', model: 'sale.order', method: 'search_count' },
  ])
  t.ok(recorded.every((call) => call.at instanceof Date))
  t.notOk('ids' in (recorded[2] ?? {}))
})
