import t from 'tap'
import { startOdooSimulator } from './odoo-simulator/index.ts'
import type { OdooFaultKind } from './odoo-simulator/index.ts'
import { executeKw, faultCode, json2, jsonRpc, xmlExecuteKw } from './support/odoo-simulator-rpc.ts'

const EMPTY_DOMAIN = '<value><array><data><value><array><data></data></array></value></data></array></value>'
const searchCount = (sim: Awaited<ReturnType<typeof startOdooSimulator>>): Promise<unknown> => executeKw(sim, 'sale.order', 'search_count', [[]])

await t.test('latency holds every answer back until it is cleared', async (t) => {
  const sim = await startOdooSimulator({ orders: 5 })
  t.teardown(() => sim.close())
  const settled: string[] = []
  sim.faults.latency(400)
  const slow = searchCount(sim).then(() => settled.push('slow'))
  while (sim.calls.length === 0) await new Promise((resolve) => setImmediate(resolve))
  sim.faults.latency(0)
  await searchCount(sim).then(() => settled.push('fast'))
  await slow
  t.same(settled, ['fast', 'slow'])
})

await t.test('failNext answers with the HTML error page of a reverse proxy', async (t) => {
  const sim = await startOdooSimulator({ orders: 5 })
  t.teardown(() => sim.close())
  for (const status of [502, 503, 504] as const) {
    sim.faults.failNext({ status })
    const response = await fetch(`${sim.url}/jsonrpc`, { method: 'POST', body: '{}' })
    t.equal(response.status, status)
    t.match(response.headers.get('content-type'), 'text/html')
    t.match(await response.text(), new RegExp(`<title>${status} .*</title>[\\s\\S]*nginx`))
  }
  t.equal(await searchCount(sim), 5, 'the next request is served again')
})

await t.test('failNext fails as many matching requests as asked, leaving the others alone', async (t) => {
  const sim = await startOdooSimulator({ orders: 5 })
  t.teardown(() => sim.close())
  sim.faults.failNext({ status: 503, times: 2, match: { model: 'res.partner', protocol: 'json2' } })
  t.equal(await searchCount(sim), 5, 'another model passes')
  const statuses = []
  for (let i = 0; i < 3; i++) statuses.push((await json2(sim, 'res.partner', 'search_count', { domain: [] })).status)
  t.same(statuses, [404, 404, 404], 'JSON-2 does not exist on 18, so nothing matched')
  const sim19 = await startOdooSimulator({ version: 19, orders: 5 })
  t.teardown(() => sim19.close())
  sim19.faults.failNext({ status: 503, times: 2, match: { model: 'res.partner', method: 'search_count' } })
  const answers = []
  for (let i = 0; i < 3; i++) answers.push((await json2(sim19, 'res.partner', 'search_count', { domain: [] })).status)
  t.same(answers, [503, 503, 200])
})

await t.test('hangNext accepts a request and never answers it while others are served', async (t) => {
  const sim = await startOdooSimulator({ orders: 5 })
  t.teardown(() => sim.close())
  sim.faults.hangNext({ match: { method: 'search_count' } })
  const abort = new AbortController()
  let answered = false
  const hanging = fetch(`${sim.url}/jsonrpc`, {
    method: 'POST',
    signal: abort.signal,
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service: 'object', method: 'execute_kw', args: [sim.db, 2, sim.apiKey, 'sale.order', 'search_count', [[]]] } }),
  }).then(() => (answered = true))
  t.same(await executeKw(sim, 'sale.order', 'search', [[['id', '=', 1]]]), [1])
  t.equal(answered, false)
  abort.abort()
  await t.rejects(hanging)
})

await t.test('a hanging request ends when the simulator closes', async (t) => {
  const sim = await startOdooSimulator({ orders: 5 })
  sim.faults.hangNext()
  const hanging = searchCount(sim)
  while (sim.calls.length === 0) await new Promise((resolve) => setImmediate(resolve))
  await sim.close()
  await t.rejects(hanging)
})

const XMLRPC_FAULTS: Record<OdooFaultKind, number> = { AccessError: 4, ValidationError: 2, UserError: 2, MissingError: 2, SerializationFailure: 1 }
const EXCEPTION_NAMES: Record<OdooFaultKind, string> = {
  AccessError: 'odoo.exceptions.AccessError',
  ValidationError: 'odoo.exceptions.ValidationError',
  UserError: 'odoo.exceptions.UserError',
  MissingError: 'odoo.exceptions.MissingError',
  SerializationFailure: 'psycopg2.errors.SerializationFailure',
}
const JSON2_STATUS: Record<OdooFaultKind, number> = { AccessError: 403, ValidationError: 422, UserError: 422, MissingError: 404, SerializationFailure: 500 }

for (const kind of Object.keys(XMLRPC_FAULTS) as OdooFaultKind[]) {
  await t.test(`an injected ${kind} travels as Odoo sends it over each protocol`, async (t) => {
    const sim = await startOdooSimulator({ version: 19, orders: 5 })
    t.teardown(() => sim.close())
    sim.faults.odooFaultNext({ kind, times: 3, message: kind === 'SerializationFailure' ? undefined : `injected ${kind}` })

    const xml = await xmlExecuteKw(sim, 'sale.order', 'search_count', EMPTY_DOMAIN)
    t.equal(faultCode(xml.body), XMLRPC_FAULTS[kind])
    if (kind === 'SerializationFailure') t.match(xml.body, /Traceback[\s\S]*psycopg2\.errors\.SerializationFailure: could not serialize access due to concurrent update/)
    else t.match(xml.body, `<string>injected ${kind}</string>`)

    const answer = await jsonRpc(sim, 'object', 'execute_kw', [sim.db, 2, sim.apiKey, 'sale.order', 'search_count', [[]]])
    t.equal(answer.error?.data.name, EXCEPTION_NAMES[kind])
    t.equal(answer.error?.code, 0)

    const reply = await json2(sim, 'sale.order', 'search_count', { domain: [] })
    t.equal(reply.status, JSON2_STATUS[kind])
    t.match(reply.body, { name: EXCEPTION_NAMES[kind] })

    t.equal((await json2(sim, 'sale.order', 'search_count', { domain: [] })).body, 5, 'used up after three requests')
  })
}

await t.test('an injected MissingError names the records of the call by default', async (t) => {
  const sim = await startOdooSimulator({ orders: 5 })
  t.teardown(() => sim.close())
  sim.faults.odooFaultNext({ kind: 'MissingError', match: { model: 'res.partner', method: 'write' } })
  const answer = await jsonRpc(sim, 'object', 'execute_kw', [sim.db, 2, sim.apiKey, 'res.partner', 'write', [[8, 12], { street: false }]])
  t.equal(answer.error?.data.message, 'Record does not exist or has been deleted.\n(Record: res.partner(8, 12), User: 2)')
  t.equal(sim.store.get('res.partner', 8)?.street === false, false, 'the write did not happen')
})

await t.test('an echoing fault quotes the name and e-mail of the records the call names, over each protocol', async (t) => {
  const sim = await startOdooSimulator({ version: 19, orders: 5 })
  t.teardown(() => sim.close())
  sim.store.update('res.partner', 8, { name: 'Zelda Echo', email: 'zelda.echo@example.com' })
  sim.faults.odooFaultNext({ kind: 'ValidationError', echo: true, times: 3, match: { model: 'res.partner', method: 'write' } })

  const answer = await jsonRpc(sim, 'object', 'execute_kw', [sim.db, 2, sim.apiKey, 'res.partner', 'write', [[8], { street: false }]])
  t.equal(answer.error?.data.name, 'odoo.exceptions.ValidationError')
  t.match(answer.error?.data.message, /\n\nRecords: Zelda Echo <zelda\.echo@example\.com> \(res\.partner: 8\)$/)
  const xml = await xmlExecuteKw(sim, 'res.partner', 'write', '<value><array><data><value><int>8</int></value></data></array></value><value><struct></struct></value>')
  t.equal(faultCode(xml.body), 2)
  t.match(xml.body, 'Zelda Echo &lt;zelda.echo@example.com&gt;')
  const reply = await json2(sim, 'res.partner', 'write', { ids: [8], vals: { street: false } })
  t.equal(reply.status, 422)
  t.match(reply.body, { name: 'odoo.exceptions.ValidationError', message: /Zelda Echo/ })
  t.not(sim.store.get('res.partner', 8)?.street, false, 'nothing was written')
})

await t.test('a fault without echo quotes nothing of the records', async (t) => {
  const sim = await startOdooSimulator({ orders: 5 })
  t.teardown(() => sim.close())
  sim.store.update('res.partner', 8, { name: 'Zelda Echo' })
  sim.faults.odooFaultNext({ kind: 'AccessError', match: { model: 'res.partner' } })
  const answer = await jsonRpc(sim, 'object', 'execute_kw', [sim.db, 2, sim.apiKey, 'res.partner', 'read', [[8], ['name']]])
  t.equal(answer.error?.data.name, 'odoo.exceptions.AccessError')
  t.notMatch(answer.error?.data.message, 'Zelda')
})

await t.test('clear drops pending faults and latency', async (t) => {
  const sim = await startOdooSimulator({ orders: 5 })
  t.teardown(() => sim.close())
  sim.faults.failNext({ status: 502, times: 5 })
  sim.faults.odooFaultNext({ kind: 'UserError' })
  sim.faults.hangNext()
  sim.faults.latency(60_000)
  sim.faults.clear()
  t.equal(await searchCount(sim), 5)
})
