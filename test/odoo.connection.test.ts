import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { ODOO_ACCESS_NEEDS } from '../src/odoo/access-needs.ts'
import { checkOdooConnection, formatOdooCheckReport } from '../src/odoo/connection-check.ts'
import { OdooUnavailableError } from '../src/odoo/errors.ts'
import { createOdooGateway } from '../src/odoo/gateway.ts'
import { startOdooSimulator } from './odoo-simulator/index.ts'
import { callsTo, expectedProtocol, gateway, PROTOCOL_MATRIX, simulator } from './support/odoo-simulated.ts'
import { recordingLogger } from './support/odoo-gateway.ts'

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

await t.test('creating the gateway calls nothing, and the protocol is detected once Odoo answers', async (t) => {
  const port = await freePort()
  const { log, entries } = recordingLogger()
  // Detection and the ping need no credentials: the simulator's key is not known before it starts.
  const config = { url: `http://127.0.0.1:${port}`, db: 'shop', username: 'admin', secret: 'unused', protocol: 'auto' as const, timeoutMs: 2_000, maxConcurrency: 2, retries: 0, retryBaseMs: 5 }
  const odoo = createOdooGateway(config, { log })
  t.teardown(() => odoo.close())
  t.same(entries(), [], 'no call while nobody asks')

  await t.rejects(odoo.protocol(), OdooUnavailableError)
  await t.rejects(odoo.ping(), OdooUnavailableError)

  const sim = await startOdooSimulator({ version: 19, port, orders: 4 })
  t.teardown(() => sim.close())
  await odoo.ping()
  t.equal(await odoo.protocol(), 'json2', 'detection is tried again after a failure')
})

await t.test('the readiness ping answers while the call limit is taken by a hung call', async (t) => {
  const sim = await simulator(t, { version: 18, orders: 4 })
  const odoo = gateway(t, sim, 'jsonrpc', { maxConcurrency: 1, timeoutMs: 5_000, retries: 0 })
  await odoo.authenticate()
  sim.faults.hangNext({ match: { model: 'sale.order' } })
  const hung = odoo.searchCount('sale.order', []).catch(() => 'gave up')
  await odoo.ping()
  t.pass('ping answered')
  await sim.restart()
  t.equal(await hung, 'gave up')
})

await t.test("a caller's abort ends the ping with the caller's reason, not as Odoo being down", async (t) => {
  const sim = await simulator(t, { version: 18, orders: 4 })
  const odoo = gateway(t, sim, 'jsonrpc')
  sim.faults.hangNext()
  const shutdown = new AbortController()
  const ping = odoo.ping(shutdown.signal)
  shutdown.abort(new Error('shutting down'))
  await t.rejects(ping, { message: 'shutting down' })
})

await t.test('the ping fails fast while Odoo is down and passes once it is back', async (t) => {
  const sim = await simulator(t, { version: 16, orders: 4 })
  const odoo = gateway(t, sim, 'auto')
  await odoo.ping()
  sim.faults.failNext({ status: 503 })
  await t.rejects(odoo.ping(), OdooUnavailableError)
  await odoo.ping()
})

t.jobs = 4

for (const { version, protocol } of PROTOCOL_MATRIX) {
  await t.test(`Odoo ${version} over ${protocol}: the connection check reports server, protocol, user and rights`, async (t) => {
    const sim = await simulator(t, { version, orders: 4 })

    const admin = await checkOdooConnection(gateway(t, sim, protocol))
    t.match(admin, {
      ok: true,
      server: { major: version, protocol: expectedProtocol(version, protocol) },
      user: { uid: 2, login: sim.login, name: String }
    })
    t.same(
      admin.rights.map((right) => `${right.operation} ${right.model}`),
      ODOO_ACCESS_NEEDS.map((need) => `${need.operation} ${need.model}`),
      'every right every feature needs is asked'
    )
    t.ok(admin.rights.every((right) => right.granted))
    t.match(formatOdooCheckReport(admin), /Odoo connection OK$/)

    const limited = await checkOdooConnection(gateway(t, sim, protocol, { username: sim.limitedUser.login, secret: sim.limitedUser.apiKey }))
    t.match(limited, { ok: false, user: { login: sim.limitedUser.login } })
    t.same(
      limited.rights.filter((right) => !right.granted).map((right) => `${right.operation} ${right.model}`),
      ['read sale.order', 'read stock.picking', 'write res.partner', 'read mail.tracking.value', 'unlink mail.tracking.value', 'create res.partner.category']
    )
    const printed = formatOdooCheckReport(limited)
    t.match(printed, /MISSING read\s+sale\.order\s+breaks sync: /)
    t.match(printed, /MISSING unlink mail\.tracking\.value\s+breaks redaction: delete them from the chatter/)
    t.match(printed, /privacy-bridge odoo setup[\s\S]*NOT OK$/)

    const refused = await checkOdooConnection(gateway(t, sim, protocol, { secret: 'not-the-key' }))
    t.match(refused, { ok: false, failure: { kind: 'auth' } })
  })
}

await t.test('a granted right is remembered for a minute; a missing one is asked again each time', async (t) => {
  const sim = await simulator(t, { version: 17, orders: 4 })
  let now = 0
  const odoo = gateway(t, sim, 'jsonrpc', { username: sim.limitedUser.login, secret: sim.limitedUser.apiKey }, { now: () => now })
  const asked = () => callsTo(sim, 'res.partner', 'check_access_rights') + callsTo(sim, 'mail.tracking.value', 'check_access_rights')
  t.equal(await odoo.hasAccess('res.partner', 'read'), true)
  t.equal(await odoo.hasAccess('res.partner', 'read'), true)
  t.equal(asked(), 1, 'granted: asked once')
  t.equal(await odoo.hasAccess('mail.tracking.value', 'unlink'), false)
  t.equal(await odoo.hasAccess('mail.tracking.value', 'unlink'), false)
  t.equal(asked(), 3, 'missing: asked every time, so that granting it counts at once')
  now += 61_000
  await odoo.hasAccess('res.partner', 'read')
  t.equal(asked(), 4, 'a minute later the granted one is asked again')
})
