import t from 'tap'
import { checkOdooConnection, formatOdooCheckReport } from '../src/odoo/connection-check.ts'
import { OdooUnavailableError, OdooUnknownModelError } from '../src/odoo/errors.ts'
import type { OdooGateway } from '../src/odoo/gateway.ts'

/** Only what the check asks of a gateway: Odoo without Inventory installed. */
function gatewayWithoutInventory(overrides: Partial<OdooGateway> = {}): OdooGateway {
  const stub: Partial<OdooGateway> = {
    version: () => Promise.resolve({ serverVersion: '18.0', major: 18 }),
    protocol: () => Promise.resolve('jsonrpc'),
    authenticate: () => Promise.resolve(2),
    read: () => Promise.resolve([{ id: 2, login: 'admin', name: 'Administrator' }]),
    hasAccess: (model) => (model === 'stock.picking' ? Promise.reject(new OdooUnknownModelError("Object stock.picking doesn't exist")) : Promise.resolve(true)),
    ...overrides
  }
  return stub as OdooGateway
}

await t.test('a right on a model the server lacks is reported missing, with the reason, and the check goes on', async (t) => {
  const report = await checkOdooConnection(gatewayWithoutInventory())
  t.equal(report.ok, false)
  t.same(report.rights.filter((right) => !right.granted).map((right) => [right.model, right.problem]), [['stock.picking', "Object stock.picking doesn't exist"]])
  t.ok(report.rights.length > 4, 'the check went on after it')
  t.match(formatOdooCheckReport(report), /MISSING read {3}stock\.picking\s+breaks sync: shipping dates from the deliveries \(Object stock\.picking doesn't exist\)/)
})

await t.test('Odoo going away during the check stops it with the failure reported', async (t) => {
  const report = await checkOdooConnection(gatewayWithoutInventory({ hasAccess: async () => Promise.reject(new OdooUnavailableError('Odoo did not answer in time')) }))
  t.match(report, { ok: false, user: { login: 'admin' }, rights: [], failure: { kind: 'unavailable', message: 'Odoo did not answer in time' } })
  t.match(formatOdooCheckReport(report), /Failed \(unavailable\): Odoo did not answer in time\nOdoo connection NOT OK$/)
})
