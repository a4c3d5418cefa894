import t from 'tap'
import { readFileSync } from 'node:fs'
import { freePort } from './support/database.ts'
import { finished, startCli } from './support/cli.ts'
import { until } from './support/until.ts'
import { createPrivacyBridgeClient } from '../src/client/index.ts'
import type { ApiSchema } from '../src/client/index.ts'

await t.test('`demo` runs a simulated Odoo, an embedded database and the service, syncs, and prints keys and the plan', async (t) => {
  const port = await freePort()
  const demo = startCli(['demo', '--port', String(port), '--orders', '60'], {})
  t.teardown(() => void demo.kill('SIGKILL'))
  // Up to 90 s: initdb of the embedded PostgreSQL is slow while other suites load the machine.
  await until(() => demo.output.stdout.includes('Ctrl-C'), { what: 'the demo to be up (its "Ctrl-C" line)', timeoutMs: 90_000, intervalMs: 250 })
  t.match(demo.output.stdout, /First sync: \d+ records read, 60 mirrored/)
  t.match(demo.output.stdout, new RegExp(`Swagger UI +http://127\\.0\\.0\\.1:${port}/docs`))
  t.match(demo.output.stdout, new RegExp(`Privacy desk +http://127\\.0\\.0\\.1:${port}/console/`))
  const agentKey = /agent key +(pbk_\S+)/.exec(demo.output.stdout)?.[1]
  t.ok(agentKey, 'an agent key is printed')
  t.match(demo.output.stdout, /Retention plan for the next 30 days/)
  const baseUrl = `http://127.0.0.1:${port}`
  const orders = await createPrivacyBridgeClient({ baseUrl, apiKey: agentKey }).GET('/v1/orders', { params: { query: { limit: 5 } } })
  t.equal(orders.response.status, 200, 'the printed key works against the running service')
  // The demo has no ForwardEmail key: it sets INTAKE_ALLOW_UNSIGNED itself, and says so.
  t.match(demo.output.stdout, /INTAKE_ALLOW_UNSIGNED is set and FORWARDEMAIL_WEBHOOK_KEY is not/)
  const message = JSON.parse(readFileSync(new URL('./fixtures/forwardemail-webhook.json', import.meta.url), 'utf8')) as ApiSchema<'ForwardEmailMessageInput'>
  const webhook = await createPrivacyBridgeClient({ baseUrl }).POST('/v1/intake/forwardemail', { body: message })
  t.same(webhook.data, { status: 'accepted' }, 'an unsigned webhook is taken')
  demo.kill('SIGINT')
  const result = await finished(demo)
  t.equal(result.code, 0, 'Ctrl-C stops everything cleanly')
})
