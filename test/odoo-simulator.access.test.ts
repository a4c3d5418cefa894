import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startOdooSimulator } from './odoo-simulator/index.ts'
import type { OdooSimulator, Version } from './odoo-simulator/index.ts'
import { executeKw, executeKwError } from './support/odoo-simulator-rpc.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const contract = resolve(root, '../shared/odoo-contract')
const DATABASES = { 16: 'shop16', 17: 'shop17', 18: 'shop', 19: 'shop19' } as const

interface Transcript {
  request: { method: string; path: string; headers?: Record<string, string>; body: string }
  response: { status: number; body: string }
}

/** The exchanges the contract checker skips: they were made as the recorded servers' clerk. */
function limitedUserTranscripts(version: Version): [string, Transcript][] {
  const folder = resolve(contract, `odoo${version}`)
  return readdirSync(folder)
    .filter((name) => name.includes('limited-user') || name.includes('access-error'))
    .map((name) => [name, JSON.parse(readFileSync(resolve(folder, name), 'utf8')) as Transcript])
}

/** The recorded request, made as the simulator's clerk (its uid and secret in place of the recorded ones). */
async function replay(sim: OdooSimulator, { request }: Transcript): Promise<{ status: number; body: string }> {
  const { uid, password, apiKey } = sim.limitedUser
  let body = request.body.replaceAll('<password>', password)
  if (request.path.startsWith('/xmlrpc/')) body = body.replace(/(<methodName>execute_kw<\/methodName>\s*<params>\s*<param>[\s\S]*?<\/param>\s*<param>\s*<value><int>)\d+/, `$1${uid}`)
  if (request.path === '/jsonrpc') {
    const call = JSON.parse(body) as { params: { method: string; args: unknown[] } }
    if (call.params.method === 'execute_kw') call.params.args[1] = uid
    body = JSON.stringify(call)
  }
  const headers = { ...request.headers }
  if (headers.Authorization) headers.Authorization = `bearer ${apiKey}`
  const response = await fetch(`${sim.url}${request.path}`, { method: request.method, headers, body })
  return { status: response.status, body: await response.text() }
}

const xmlFault = (body: string) => ({
  code: /<name>faultCode<\/name>\s*<value><int>(\d+)<\/int>/.exec(body)?.[1],
  text: /<name>faultString<\/name>\s*<value><string>([\s\S]*?)<\/string>/.exec(body)?.[1]
})

const jsonError = (body: string) => {
  const parsed = JSON.parse(body) as { error?: { code: number; data: { name: string; message: string; arguments: unknown[] } }; result?: unknown; name?: string; message?: string }
  return parsed.error ? { code: parsed.error.code, name: parsed.error.data.name, message: parsed.error.data.message, arguments: parsed.error.data.arguments } : parsed.name ? { name: parsed.name, message: parsed.message } : { result: parsed.result }
}

for (const version of [16, 17, 18, 19] as const) {
  await t.test(`Odoo ${version}: the clerk's AccessErrors are the recorded ones, word for word`, { skip: existsSync(contract) ? false : `no transcripts at ${contract}` }, async (t) => {
    const sim = await startOdooSimulator({ version, db: DATABASES[version], orders: 30 })
    t.teardown(() => sim.close())
    const transcripts = limitedUserTranscripts(version)
    t.ok(transcripts.length >= 4, 'the limited-user transcripts are there')
    for (const [name, transcript] of transcripts) {
      const got = await replay(sim, transcript)
      t.equal(got.status, transcript.response.status, `${name}: status`)
      if (transcript.request.path.startsWith('/xmlrpc/')) {
        const want = xmlFault(transcript.response.body)
        if (want.code === undefined) t.match(got.body, /<value><int>\d+<\/int><\/value>/, `${name}: a uid`)
        else t.same(xmlFault(got.body), want, name)
      } else {
        const want = jsonError(transcript.response.body)
        const answer = jsonError(got.body)
        if ('result' in want) t.type(answer.result, 'number', `${name}: a uid`)
        else t.same(answer, want, name)
      }
    }
  })
}

await t.test('rights follow the groups stored in Odoo: granting one through RPC works at the next call', async (t) => {
  const sim = await startOdooSimulator({ version: 17, orders: 5 })
  t.teardown(() => sim.close())
  const clerk = { uid: sim.limitedUser.uid, secret: sim.limitedUser.apiKey }
  t.equal(await executeKw(sim, 'mail.tracking.value', 'check_access_rights', ['unlink'], { raise_exception: false }, clerk), false)
  const denied = await executeKwError(sim, 'mail.tracking.value', 'search_read', [[]], { fields: ['id'] }, clerk)
  t.equal(denied.data.message, "You are not allowed to access 'Mail Tracking Value' (mail.tracking.value) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Settings\n\nContact your administrator to request access if necessary.")

  const group = (await executeKw(sim, 'res.groups', 'create', [{ name: 'Privacy Bridge' }])) as number
  const [model] = (await executeKw(sim, 'ir.model', 'search_read', [[['model', '=', 'mail.tracking.value']]], { fields: ['id'] })) as { id: number }[]
  await executeKw(sim, 'ir.model.access', 'create', [{ name: 'privacy_bridge_tracking', model_id: model?.id, group_id: group, perm_read: true, perm_unlink: true }])
  t.equal(await executeKw(sim, 'mail.tracking.value', 'check_access_rights', ['unlink'], { raise_exception: false }, clerk), false, 'a group nobody holds grants nothing')

  await executeKw(sim, 'res.users', 'write', [[sim.limitedUser.uid], { groups_id: [[4, group]] }])
  t.equal(await executeKw(sim, 'mail.tracking.value', 'check_access_rights', ['unlink'], { raise_exception: false }, clerk), true)
  t.equal(await executeKw(sim, 'mail.tracking.value', 'check_access_rights', ['write'], { raise_exception: false }, clerk), false)
  const write = await executeKwError(sim, 'mail.tracking.value', 'write', [[1], { old_value_char: false }], {}, clerk)
  t.match(write.data.message, /following groups:\n\t- Administration\/Settings\n\n/, 'only Settings may write tracking values')
  const read = await executeKwError(sim, 'sale.order', 'search_count', [[]], {}, clerk)
  t.notMatch(read.data.message, 'Privacy Bridge', 'a group without the right is not listed')
})

await t.test('a right a group of no category grants is listed after the categorized ones', async (t) => {
  const sim = await startOdooSimulator({ version: 18, orders: 5 })
  t.teardown(() => sim.close())
  const group = (await executeKw(sim, 'res.groups', 'create', [{ name: 'Privacy Bridge' }])) as number
  const [model] = (await executeKw(sim, 'ir.model', 'search_read', [[['model', '=', 'res.partner']]], { fields: ['id'] })) as { id: number }[]
  await executeKw(sim, 'ir.model.access', 'create', [{ name: 'privacy_bridge_partner', model_id: model?.id, group_id: group, perm_read: true, perm_write: true }])
  const clerk = { uid: sim.limitedUser.uid, secret: sim.limitedUser.apiKey }
  const write = await executeKwError(sim, 'res.partner', 'write', [[15], { street: false }], {}, clerk)
  t.match(write.data.message, "groups:\n\t- Extra Rights/Contact Creation\n\t- Inventory/Administrator\n\t- Sales/Administrator\n\t- Privacy Bridge\n\n")
})

await t.test('searching through a relation needs read access on the related model too', async (t) => {
  const sim = await startOdooSimulator({ version: 18, orders: 5 })
  t.teardown(() => sim.close())
  const user = sim.createUser('picker', ['stock.group_stock_user'])
  const caller = { uid: user.uid, secret: user.apiKey }
  t.type(await executeKw(sim, 'stock.picking', 'search_count', [[['state', '=', 'done']]], {}, caller), 'number')
  const through = await executeKwError(sim, 'res.partner', 'search_count', [[['sale_order_ids.state', '=', 'sale']]], {}, { uid: sim.limitedUser.uid, secret: sim.limitedUser.apiKey })
  t.match(through.data.message, "You are not allowed to access 'Sales Order' (sale.order) records.")
})

await t.test("the groups the README once listed (Sales / User: All Documents, Inventory / User, Contact Creation) may write contacts but not touch tracking values", async (t) => {
  for (const version of [16, 17, 18, 19] as const) {
    const sim = await startOdooSimulator({ version, orders: 5 })
    t.teardown(() => sim.close())
    const user = sim.createUser('documented', ['sales_team.group_sale_salesman_all_leads', 'stock.group_stock_user', 'base.group_partner_manager'])
    const caller = { uid: user.uid, secret: user.apiKey }
    const allowed = async (model: string, operation: string) =>
      version >= 18 ? executeKw(sim, model, 'has_access', [[], operation], {}, caller) : executeKw(sim, model, 'check_access_rights', [operation], { raise_exception: false }, caller)
    t.same(
      [await allowed('sale.order', 'read'), await allowed('stock.picking', 'read'), await allowed('res.partner', 'write'), await allowed('mail.tracking.value', 'read'), await allowed('mail.tracking.value', 'unlink')],
      [true, true, true, false, false],
      `Odoo ${version}`
    )
  }
})

await t.test('the admin may do everything on every model the simulator has', async (t) => {
  for (const version of [16, 17, 18, 19] as const) {
    const sim = await startOdooSimulator({ version, orders: 5 })
    t.teardown(() => sim.close())
    const models = (await executeKw(sim, 'ir.model', 'search_read', [[]], { fields: ['model'] })) as { model: string }[]
    const method = version >= 18 ? 'has_access' : 'check_access_rights'
    const refused: string[] = []
    for (const { model } of models) {
      for (const operation of ['read', 'write', 'create', 'unlink']) {
        const granted = method === 'has_access' ? await executeKw(sim, model, method, [[], operation]) : await executeKw(sim, model, method, [operation], { raise_exception: false })
        if (granted !== true) refused.push(`${operation} ${model}`)
      }
    }
    t.same(refused, [], `Odoo ${version}`)
  }
})
