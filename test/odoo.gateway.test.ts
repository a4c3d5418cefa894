import t from 'tap'
import type { Test } from 'tap'
import {
  OdooAccessError,
  OdooAuthError,
  OdooMissingError,
  OdooUnknownFieldError,
  OdooUnknownModelError,
  OdooValidationError
} from '../src/odoo/errors.ts'
import type { OdooSimulator } from './odoo-simulator/index.ts'
import { failureOf } from './support/odoo-nock.ts'
import { callsTo, expectedProtocol, gateway, PROTOCOL_MATRIX, simulator, type ConfiguredProtocol } from './support/odoo-simulated.ts'

const customerOf = (sim: OdooSimulator) => {
  const customer = sim.store.records('res.partner').find((partner) => partner.type === 'contact' && partner.id > 6)
  if (!customer) throw new Error('the simulator has no customer')
  return customer.id
}
const deliveryContactsOf = (sim: OdooSimulator) =>
  sim.store
    .records('res.partner')
    .filter((partner) => partner.type === 'delivery')
    .map((partner) => partner.id)

// Each combination has its own simulators, so they run side by side.
t.jobs = PROTOCOL_MATRIX.length

for (const { version, protocol } of PROTOCOL_MATRIX) {
  await t.test(`Odoo ${version} over ${protocol}`, async (t) => {
    async function setup(t: Test, options: { protocol?: ConfiguredProtocol; secret?: (sim: OdooSimulator) => string; username?: (sim: OdooSimulator) => string } = {}) {
      const sim = await simulator(t, { version, orders: 12 })
      const odoo = gateway(t, sim, options.protocol ?? protocol, {
        ...(options.secret ? { secret: options.secret(sim) } : {}),
        ...(options.username ? { username: options.username(sim) } : {})
      })
      return { sim, odoo }
    }

    await t.test('the server version and the protocol in use are reported', async (t) => {
      const { odoo } = await setup(t)
      t.match(await odoo.version(), { serverVersion: new RegExp(`^${version}\\.0`), major: version })
      t.equal(await odoo.protocol(), expectedProtocol(version, protocol))
    })

    await t.test('authenticate answers the uid of the API key owner', async (t) => {
      const { odoo } = await setup(t)
      t.equal(await odoo.authenticate(), 2)
    })

    await t.test(expectedProtocol(version, protocol) === 'json2' ? 'a password is refused: JSON-2 takes API keys only' : 'a password works as well as an API key', async (t) => {
      const { odoo } = await setup(t, { secret: (sim) => sim.password })
      if (expectedProtocol(version, protocol) === 'json2') await t.rejects(odoo.authenticate(), OdooAuthError)
      else t.equal(await odoo.authenticate(), 2)
    })

    await t.test('a wrong API key is an OdooAuthError', async (t) => {
      const { odoo } = await setup(t, { secret: () => 'not-the-key' })
      await t.rejects(odoo.authenticate(), OdooAuthError)
      await t.rejects(odoo.searchCount('sale.order', []), OdooAuthError)
    })

    await t.test('searchRead honours domain, fields, limit, offset and order, and searchCount agrees', async (t) => {
      const { sim, odoo } = await setup(t)
      const confirmed = sim.store.records('sale.order').filter((order) => order.state === 'sale')
      const page = await odoo.searchRead('sale.order', [['state', '=', 'sale']], { fields: ['name', 'state'], limit: 3, offset: 1, order: 'id asc' })
      t.same(
        page.map((order) => order.id),
        confirmed.map((order) => order.id).sort((a, b) => a - b).slice(1, 4)
      )
      t.same(Object.keys(page[0] ?? {}).sort(), ['id', 'name', 'state'])
      t.equal(await odoo.searchCount('sale.order', [['state', '=', 'sale']]), confirmed.length)
    })

    await t.test('read leaves out ids that do not exist', async (t) => {
      const { sim, odoo } = await setup(t)
      const customer = customerOf(sim)
      const records = await odoo.read('res.partner', [customer, 99_999_999], ['name', 'type'])
      t.same(records.map((record) => record.id), [customer])
      t.equal(records[0]?.type, 'contact')
    })

    await t.test('write changes many records in one call, passing its context', async (t) => {
      const { sim, odoo } = await setup(t)
      const contacts = deliveryContactsOf(sim).slice(0, 3)
      await odoo.write('res.partner', contacts, { street: false, phone: false }, { context: { tracking_disable: true } })
      const writes = sim.calls.filter((call) => call.model === 'res.partner' && call.method === 'write')
      t.equal(writes.length, 1)
      t.same(writes[0]?.ids, contacts)
      t.match(writes[0]?.context, { tracking_disable: true })
      t.ok(contacts.every((id) => sim.store.get('res.partner', id)?.street === false))
    })

    await t.test('create answers the new id and unlink deletes it', async (t) => {
      const { sim, odoo } = await setup(t)
      const id = await odoo.create('res.partner', { name: 'Created Through The Gateway', type: 'contact' })
      t.equal(sim.store.get('res.partner', id)?.name, 'Created Through The Gateway')
      await odoo.unlink('res.partner', [id])
      t.equal(sim.store.get('res.partner', id), undefined)
    })

    await t.test('writing a record that does not exist is an OdooMissingError', async (t) => {
      const { odoo } = await setup(t)
      const error = await failureOf(odoo.write('res.partner', [99_999_999], { street: false }))
      t.type(error, OdooMissingError)
      t.match(error, { model: 'res.partner', method: 'write', transient: false })
    })

    await t.test('emptying the name of a customer is an OdooValidationError', async (t) => {
      const { sim, odoo } = await setup(t)
      await t.rejects(odoo.write('res.partner', [customerOf(sim)], { name: false }), OdooValidationError)
    })

    await t.test('an unknown model is an OdooUnknownModelError', async (t) => {
      const { odoo } = await setup(t)
      await t.rejects(odoo.searchRead('no.such.model', [], { fields: ['name'], limit: 1 }), OdooUnknownModelError)
    })

    await t.test('an unknown field, asked for or in a domain, is an OdooUnknownFieldError', async (t) => {
      const { odoo } = await setup(t)
      await t.rejects(odoo.searchRead('sale.order', [], { fields: ['name', 'no_such_field'], limit: 1 }), OdooUnknownFieldError)
      await t.rejects(odoo.searchRead('sale.order', [['no_such_field', '=', 1]], { fields: ['name'], limit: 1 }), OdooUnknownFieldError)
    })

    await t.test('a user without Sales rights gets OdooAccessError on orders and on writing contacts', async (t) => {
      const { sim, odoo } = await setup(t, { username: (sim) => sim.limitedUser.login, secret: (sim) => sim.limitedUser.apiKey })
      await t.rejects(odoo.searchRead('sale.order', [], { fields: ['name'], limit: 1 }), OdooAccessError)
      t.equal((await odoo.read('res.partner', [customerOf(sim)], ['name'])).length, 1, 'contacts stay readable')
      await t.rejects(odoo.write('res.partner', [customerOf(sim)], { street: false }), OdooAccessError)
    })

    await t.test('hasAccess tells which rights the user has', async (t) => {
      const { odoo } = await setup(t, { username: (sim) => sim.limitedUser.login, secret: (sim) => sim.limitedUser.apiKey })
      t.equal(await odoo.hasAccess('res.partner', 'read'), true)
      t.equal(await odoo.hasAccess('res.partner', 'write'), false)
      t.equal(await odoo.hasAccess('sale.order', 'read'), false)
    })

    await t.test('fieldsGet describes the fields with the attributes asked for', async (t) => {
      const { odoo } = await setup(t)
      const fields = await odoo.fieldsGet('res.partner', ['type', 'string'])
      t.match(fields.name, { type: 'char', string: String })
      t.match(fields.parent_id, { type: 'many2one' })
    })

    await t.test(version >= 19 ? 'mobile is not requested: Odoo 19 removed it' : 'mobile is kept: Odoo below 19 has it', async (t) => {
      const { sim, odoo } = await setup(t)
      const wanted = await odoo.availableFields('res.partner', ['name', 'mobile', 'phone'])
      t.same(wanted, version >= 19 ? ['name', 'phone'] : ['name', 'mobile', 'phone'])
      t.equal((await odoo.read('res.partner', [customerOf(sim)], wanted)).length, 1)
      await odoo.availableFields('res.partner', ['email'])
      t.equal(callsTo(sim, 'res.partner', 'fields_get'), 1, 'fields_get asked once per connection')
    })
  })
}
