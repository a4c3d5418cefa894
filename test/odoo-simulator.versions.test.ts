import t from 'tap'
import { startOdooSimulator } from './odoo-simulator/index.ts'
import { executeKw, executeKwError, json2, jsonRpc } from './support/odoo-simulator-rpc.ts'

await t.test('res.partner has a mobile field up to 18, not on 19', async (t) => {
  for (const version of [16, 17, 18] as const) {
    const sim = await startOdooSimulator({ version, orders: 5 })
    t.teardown(() => sim.close())
    t.match(await executeKw(sim, 'res.partner', 'fields_get', [['mobile']], { attributes: ['type'] }), { mobile: { type: 'char' } })
  }
  const sim = await startOdooSimulator({ version: 19, orders: 5 })
  t.teardown(() => sim.close())
  t.same(await executeKw(sim, 'res.partner', 'fields_get', [['mobile']], { attributes: ['type'] }), {})
})

await t.test('naming mobile on 19 fails the whole call', async (t) => {
  const sim = await startOdooSimulator({ version: 19, orders: 5 })
  t.teardown(() => sim.close())
  const read = await executeKwError(sim, 'res.partner', 'read', [[8]], { fields: ['name', 'mobile'] })
  t.same([read.data.name, read.data.message], ['builtins.ValueError', "Invalid field 'mobile' on 'res.partner'"])
  const write = await executeKwError(sim, 'res.partner', 'write', [[8], { name: 'Someone', mobile: false }])
  t.same([write.data.name, write.data.arguments], ['builtins.KeyError', ['mobile']])
  t.not(sim.store.get('res.partner', 8)?.name, 'Someone')
})

await t.test('JSON-RPC errors carry code 200 on 16 to 18, and 0 on 19', async (t) => {
  for (const [version, code] of [[16, 200], [17, 200], [18, 200], [19, 0]] as const) {
    const sim = await startOdooSimulator({ version, orders: 5 })
    t.teardown(() => sim.close())
    const answer = await jsonRpc(sim, 'object', 'execute_kw', [sim.db, 2, 'wrong', 'sale.order', 'search_count', [[]]])
    t.equal(answer.error?.code, code, `Odoo ${version}`)
    t.equal(answer.error?.data.name, 'odoo.exceptions.AccessDenied')
  }
})

await t.test('JSON-2 exists on 19 only', async (t) => {
  for (const version of [16, 17, 18] as const) {
    const sim = await startOdooSimulator({ version, orders: 5 })
    t.teardown(() => sim.close())
    const reply = await json2(sim, 'sale.order', 'search_count', { domain: [] })
    t.equal(reply.status, 404)
    t.match(reply.text, '<title>404 Not Found</title>')
  }
  const sim = await startOdooSimulator({ version: 19, orders: 5 })
  t.teardown(() => sim.close())
  t.same((await json2(sim, 'sale.order', 'search_count', { domain: [] })).body, 5)
})

await t.test('the tracked field is `field` on 16 and `field_id` from 17 on', async (t) => {
  for (const [version, link] of [[16, 'field'], [17, 'field_id'], [18, 'field_id'], [19, 'field_id']] as const) {
    const sim = await startOdooSimulator({ version, orders: 5 })
    t.teardown(() => sim.close())
    const partnerId = version === 19 ? 7 : 8
    await executeKw(sim, 'res.partner', 'write', [[partnerId], { phone: false }])
    const [value] = (await executeKw(sim, 'mail.tracking.value', 'search_read', [[]], { fields: [link] })) as Record<string, unknown>[]
    t.match(value?.[link], [Number, /^Phone \((res\.partner|Contact)\)$/], `Odoo ${version}`)
  }
})

await t.test('checking access rights: check_access_rights on 16 to 18, has_access on 18 and 19', async (t) => {
  const sim16 = await startOdooSimulator({ version: 16, orders: 5 })
  const sim17 = await startOdooSimulator({ version: 17, orders: 5 })
  const sim18 = await startOdooSimulator({ version: 18, orders: 5 })
  const sim19 = await startOdooSimulator({ version: 19, orders: 5 })
  t.teardown(() => Promise.all([sim16.close(), sim17.close(), sim18.close(), sim19.close()]))
  t.equal(await executeKw(sim16, 'sale.order', 'check_access_rights', ['write'], { raise_exception: false }), true)
  t.equal(await executeKw(sim17, 'mail.tracking.value', 'check_access_rights', ['unlink'], { raise_exception: false }), true)
  t.equal((await executeKwError(sim17, 'sale.order', 'has_access', [[], 'read'])).data.message, "The method 'sale.order.has_access' does not exist")
  t.equal(await executeKw(sim18, 'sale.order', 'check_access_rights', ['read']), true)
  t.equal(await executeKw(sim18, 'sale.order', 'has_access', [[], 'read']), true)
  t.equal(await executeKw(sim19, 'sale.order', 'has_access', [[], 'unlink']), true)
  t.equal((await executeKwError(sim16, 'sale.order', 'has_access', [[], 'read'])).data.name, 'builtins.AttributeError')
  t.equal((await executeKwError(sim19, 'sale.order', 'check_access_rights', ['read'])).data.message, "The method 'sale.order.check_access_rights' does not exist")
})

await t.test('each version reports its own server version', async (t) => {
  for (const [version, serie] of [[16, '16.0'], [17, '17.0'], [18, '18.0'], [19, '19.0']] as const) {
    const sim = await startOdooSimulator({ version, orders: 5 })
    t.teardown(() => sim.close())
    t.match((await jsonRpc(sim, 'common', 'version', [])).result, { server_serie: serie, protocol_version: 1 })
  }
})

await t.test('Odoo 17 names the model in the private-method fault, as 19 does and 16 and 18 do not', async (t) => {
  for (const [version, named] of [[16, '_compute_display_name'], [17, "'res.partner._compute_display_name'"], [18, '_compute_display_name'], [19, "'res.partner._compute_display_name'"]] as const) {
    const sim = await startOdooSimulator({ version, orders: 5 })
    t.teardown(() => sim.close())
    const fault = await executeKwError(sim, 'res.partner', '_compute_display_name', [[8]])
    t.equal(fault.data.message, `Private methods (such as ${named}) cannot be called remotely.`, `Odoo ${version}`)
  }
})

await t.test("XML-RPC answers begin as Python's xmlrpc.client writes them up to 17, and as Odoo's own template from 18", async (t) => {
  for (const [version, declaration] of [[16, "<?xml version='1.0'?>"], [17, "<?xml version='1.0'?>"], [18, '<?xml version="1.0"?>'], [19, '<?xml version="1.0"?>']] as const) {
    const sim = await startOdooSimulator({ version, orders: 5 })
    t.teardown(() => sim.close())
    const reply = await fetch(`${sim.url}/xmlrpc/2/common`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: '<?xml version="1.0"?><methodCall><methodName>version</methodName><params></params></methodCall>' })
    t.ok((await reply.text()).startsWith(`${declaration}\n<methodResponse>\n`), `Odoo ${version}`)
  }
})
