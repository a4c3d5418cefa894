import { readFileSync } from 'node:fs'
import t from 'tap'
import type { Test } from 'tap'
import { ODOO_ACCESS_NEEDS } from '../src/odoo/access-needs.ts'
import { OdooAccessError } from '../src/odoo/errors.ts'
import { checkOdooConnection } from '../src/odoo/connection-check.ts'
import { formatOdooSetupReport, OdooSetupError, setUpOdoo, SETUP_GROUP_NAME } from '../src/odoo/odoo-setup.ts'
import type { OdooSetupOptions } from '../src/odoo/odoo-setup.ts'
import type { OdooSimulator, Version } from './odoo-simulator/index.ts'
import { gateway, simulator } from './support/odoo-simulated.ts'

const TOKEN = 'webhook-token-0123456789abcdef0123'
const PUBLIC_URL = 'https://bridge.example.com/privacy'

const options = (sim: OdooSimulator, overrides: Partial<OdooSetupOptions> = {}): OdooSetupOptions => ({
  serviceLogin: sim.limitedUser.login,
  webhook: { publicUrl: PUBLIC_URL, token: TOKEN },
  mode: 'apply',
  remove: false,
  ...overrides
})

/** The service's own view: `odoo check` as the clerk, with a gateway of its own (no remembered rights). */
const checkAsService = (t: Test, sim: OdooSimulator) => checkOdooConnection(gateway(t, sim, 'auto', { username: sim.limitedUser.login, secret: sim.limitedUser.apiKey }))

const groupCount = (sim: OdooSimulator) => sim.store.records('res.groups').filter((g) => g.name === SETUP_GROUP_NAME).length
const neededModels = new Set(ODOO_ACCESS_NEEDS.map((need) => need.model))

t.jobs = 4

for (const version of [16, 17, 18, 19] as const satisfies readonly Version[]) {
  await t.test(`Odoo ${version}: setup gives the service's user exactly the rights it needs, once`, async (t) => {
    const sim = await simulator(t, { version, orders: 6 })
    const admin = gateway(t, sim, 'auto')
    t.match(await checkAsService(t, sim), { ok: false }, 'the clerk alone cannot do what the service does')

    const first = await setUpOdoo(admin, options(sim))
    const groups = sim.store.records('res.groups').filter((g) => g.name === SETUP_GROUP_NAME)
    t.equal(groups.length, 1, 'one group')
    const groupId = groups[0]?.id as number
    const access = sim.store.records('ir.model.access').filter((row) => row.group_id === groupId)
    const modelOf = (id: unknown) => sim.store.get('ir.model', id as number)?.model
    t.same(new Set(access.map((row) => modelOf(row.model_id))), neededModels, 'a row per model the service calls')
    for (const need of ODOO_ACCESS_NEEDS) t.ok(access.some((row) => modelOf(row.model_id) === need.model && row[`perm_${need.operation}`] === true), `${need.operation} ${need.model}`)
    const granted = access.flatMap((row) => (['read', 'write', 'create', 'unlink'] as const).filter((op) => row[`perm_${op}`] === true).map((op) => `${op} ${String(modelOf(row.model_id))}`))
    t.same(granted.sort(), ODOO_ACCESS_NEEDS.map((need) => `${need.operation} ${need.model}`).sort(), 'and nothing more')
    const user = sim.store.get('res.users', sim.limitedUser.uid)
    t.ok((user?.[version === 19 ? 'group_ids' : 'groups_id'] as number[]).includes(groupId), 'the service user is in the group')
    t.notOk((user?.[version === 19 ? 'group_ids' : 'groups_id'] as number[]).some((id) => /Settings|Administrator/.test(String(sim.store.get('res.groups', id)?.name))), 'and not an administrator')

    const check = await checkAsService(t, sim)
    t.equal(check.ok, true, 'odoo check passes as the service user')

    if (version >= 17) {
      const rules = sim.store.records('base.automation').filter((rule) => String(rule.name).startsWith(SETUP_GROUP_NAME))
      t.same(rules.map((rule) => modelOf(rule.model_id)).sort(), ['res.partner', 'sale.order', 'stock.picking'])
      t.ok(rules.every((rule) => rule.trigger === 'on_create_or_write' && rule.active === true))
      const actions = sim.store.records('ir.actions.server').filter((action) => rules.some((rule) => rule.id === action.base_automation_id))
      t.equal(actions.length, 3)
      t.ok(actions.every((action) => action.state === 'webhook' && action.webhook_url === `${PUBLIC_URL}/v1/odoo/webhook/${TOKEN}`))
      t.same(first.notes, [])
    } else {
      t.match(first.notes, [/Odoo 16 has no "Send Webhook Notification" action: the scheduled sync \(SYNC_CRON\) alone keeps the mirror current/])
    }
    t.notMatch(JSON.stringify(first) + formatOdooSetupReport(first), TOKEN, 'the webhook token is never printed')

    const again = await setUpOdoo(admin, options(sim))
    t.same(again.changes, [], 'a second run changes nothing')
    t.match(formatOdooSetupReport(again), 'Nothing changed: Odoo is already set up for the service.')

    const removed = await setUpOdoo(admin, options(sim, { remove: true }))
    t.ok(removed.changes.length > 0)
    t.equal(groupCount(sim), 0, 'the group is gone')
    t.equal(sim.store.records('ir.model.access').filter((row) => row.group_id === groupId).length, 0, 'with its rights')
    if (version >= 17) t.equal(sim.store.records('base.automation').filter((rule) => String(rule.name).startsWith(SETUP_GROUP_NAME)).length, 0, 'and the webhook rules')
    t.match(await checkAsService(t, sim), { ok: false }, 'the service user is back to what it had')
    t.match(formatOdooSetupReport(await setUpOdoo(admin, options(sim, { remove: true }))), 'Nothing changed: there was nothing to remove.')
  })
}

await t.test('a dry run lists every record it would create and changes nothing', async (t) => {
  const sim = await simulator(t, { version: 18, orders: 4 })
  const admin = gateway(t, sim, 'auto')
  const before = { access: sim.store.count('ir.model.access'), rules: sim.store.count('base.automation'), actions: sim.store.count('ir.actions.server') }
  const dry = await setUpOdoo(admin, options(sim, { mode: 'dry-run' }))
  t.same({ access: sim.store.count('ir.model.access'), rules: sim.store.count('base.automation'), actions: sim.store.count('ir.actions.server') }, before)
  t.equal(groupCount(sim), 0)
  t.same(
    dry.changes.map((change) => `${change.action} ${change.model}`),
    ['create res.groups', ...[...neededModels].map(() => 'create ir.model.access'), 'add to group res.users', ...['sale.order', 'stock.picking', 'res.partner'].flatMap(() => ['create base.automation', 'create ir.actions.server'])]
  )
  const printed = formatOdooSetupReport(dry)
  t.match(printed, /would create\s+ir\.model\.access\s+privacy_bridge_mail_tracking_value: read, unlink on mail\.tracking\.value/)
  t.match(printed, `to ${PUBLIC_URL}/v1/odoo/webhook/<ODOO_WEBHOOK_TOKEN>`)
  t.match(printed, /Dry run: \d+ changes listed, none made\./)
  t.notMatch(printed + JSON.stringify(dry), TOKEN)
  const applied = await setUpOdoo(admin, options(sim))
  t.same(applied.changes.map((c) => c.description), dry.changes.map((c) => c.description), 'the dry run listed what the run then did')
})

await t.test('setup puts back what someone changed by hand, and takes away rights the service does not use', async (t) => {
  const sim = await simulator(t, { version: 17, orders: 4 })
  const admin = gateway(t, sim, 'auto')
  await setUpOdoo(admin, options(sim))
  const groupId = sim.store.records('res.groups').find((g) => g.name === SETUP_GROUP_NAME)?.id as number
  const trackingModel = sim.store.records('ir.model').find((m) => m.model === 'mail.tracking.value')?.id
  const tracking = sim.store.records('ir.model.access').find((row) => row.group_id === groupId && row.model_id === trackingModel)
  sim.store.update('ir.model.access', tracking?.id as number, { perm_unlink: false })
  const currencyModel = sim.store.records('ir.model').find((m) => m.model === 'res.currency')?.id as number
  sim.store.create('ir.model.access', { name: 'someone_added', model_id: currencyModel, group_id: groupId, perm_read: true, perm_write: true })
  const action = sim.store.records('ir.actions.server').find((a) => a.state === 'webhook')
  sim.store.update('ir.actions.server', action?.id as number, { webhook_url: 'https://old.example.com/v1/odoo/webhook/x' })

  const repaired = await setUpOdoo(admin, options(sim, { webhook: { publicUrl: `${PUBLIC_URL}/`, token: TOKEN } }))
  t.same(repaired.changes.map((change) => `${change.action} ${change.model}`).sort(), ['delete ir.model.access', 'update ir.actions.server', 'update ir.model.access'])
  t.equal(sim.store.get('ir.model.access', tracking?.id as number)?.perm_unlink, true)
  t.equal(sim.store.records('ir.model.access').filter((row) => row.name === 'someone_added').length, 0)
  t.equal(sim.store.get('ir.actions.server', action?.id as number)?.webhook_url, `${PUBLIC_URL}/v1/odoo/webhook/${TOKEN}`)
})

await t.test('without PUBLIC_URL or the token no webhook rule is made, and setup says why', async (t) => {
  const sim = await simulator(t, { version: 19, orders: 4 })
  const report = await setUpOdoo(gateway(t, sim, 'auto'), options(sim, { webhook: { publicUrl: undefined, token: TOKEN } }))
  t.equal(sim.store.count('base.automation'), 0)
  t.match(report.notes, [/set PUBLIC_URL .* and ODOO_WEBHOOK_TOKEN/])
})

await t.test('setup refuses a service user Odoo does not have, or the administrator itself', async (t) => {
  const sim = await simulator(t, { version: 18, orders: 4 })
  const admin = gateway(t, sim, 'auto')
  await t.rejects(setUpOdoo(admin, options(sim, { serviceLogin: 'nobody' })), new OdooSetupError('Odoo has no user with login "nobody" (ODOO_USERNAME): create it first (Settings → Users → New, an internal user), then run setup again'))
  await t.rejects(setUpOdoo(admin, options(sim, { serviceLogin: sim.login })), /is the administrator whose key runs setup/)
  t.equal(groupCount(sim), 0, 'nothing was made')
})

await t.test("a user who is no administrator cannot run setup: Odoo refuses, and nothing is half made", async (t) => {
  const sim = await simulator(t, { version: 18, orders: 4 })
  const seller = sim.createUser('seller', ['sales_team.group_sale_manager'])
  const notAdmin = gateway(t, sim, 'auto', { username: seller.login, secret: seller.apiKey })
  await t.rejects(setUpOdoo(notAdmin, options(sim)), OdooAccessError)
  t.equal(groupCount(sim), 0)
})

await t.test("the README's table of rights, for admins who set them by hand, is the list setup grants", (t) => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const table = readme.slice(readme.indexOf('<!-- access-rights:begin'), readme.indexOf('<!-- access-rights:end'))
  const columns = ['read', 'write', 'create', 'unlink'] as const
  const documented = [...table.matchAll(/^\| `([a-z_.]+)` \([^)]*\) \|([^|]*)\|([^|]*)\|([^|]*)\|([^|]*)\|/gm)].flatMap((row) =>
    columns.filter((_, i) => row[i + 2]?.includes('✓')).map((operation) => `${operation} ${row[1]}`)
  )
  t.ok(documented.length > 0, 'the table was found')
  t.same(documented.sort(), ODOO_ACCESS_NEEDS.map((need) => `${need.operation} ${need.model}`).sort())
  t.end()
})
