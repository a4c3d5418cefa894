import t from 'tap'
import { ConfigError, loadConfig } from '../src/config/env.ts'
import type { App } from '../src/http/app.ts'
import { buildTestApp } from './support/app.ts'

const env = {
  PII_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  ODOO_URL: 'http://odoo.internal:8069',
  ODOO_DB: 'shop',
  ODOO_USERNAME: 'privacy-bot',
  ODOO_API_KEY: 'secret-api-key'
}

await t.test('TRUST_PROXY names the proxies whose X-Forwarded-For is believed; none by default', (t) => {
  t.equal(loadConfig(env).http.trustProxy, false)
  t.same(loadConfig({ ...env, TRUST_PROXY: 'loopback, 10.0.0.0/8,2001:db8::1' }).http.trustProxy, ['loopback', '10.0.0.0/8', '2001:db8::1'])
  t.equal(loadConfig({ ...env, TRUST_PROXY: 'true' }).http.trustProxy, true)
  for (const bad of ['2', 'proxy.example', '10.0.0.0/33', '10.0.0.1,', 'uniquelocal;loopback']) {
    t.throws(() => loadConfig({ ...env, TRUST_PROXY: bad }), new ConfigError('Invalid configuration: TRUST_PROXY must be false, true, or comma-separated addresses and CIDR ranges of the proxies (or loopback, linklocal, uniquelocal)'), bad)
  }
  t.end()
})

async function clientAddress(app: App, remoteAddress: string): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/client-address', remoteAddress, headers: { 'x-forwarded-for': '203.0.113.9' } })
  return res.body
}

function withAddressRoute(app: App): App {
  app.get('/client-address', (request) => request.ip)
  return app
}

await t.test("behind a trusted proxy the client's address is the forwarded one; any other peer's header is ignored", async (t) => {
  const { app } = await buildTestApp(t, { trustProxy: ['127.0.0.1'] })
  withAddressRoute(app)
  t.equal(await clientAddress(app, '127.0.0.1'), '203.0.113.9', 'the proxy tells the client address')
  t.equal(await clientAddress(app, '198.51.100.2'), '198.51.100.2', 'a client cannot pose as another')
})

await t.test('without TRUST_PROXY, X-Forwarded-For is never believed', async (t) => {
  const { app } = await buildTestApp(t)
  withAddressRoute(app)
  t.equal(await clientAddress(app, '127.0.0.1'), '127.0.0.1')
})
