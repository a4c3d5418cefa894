import t from 'tap'
import { runCli } from './support/cli.ts'
import { TEST_PII_KEY } from './support/config.ts'
import { simulator } from './support/simulator.ts'
import type { Json } from './support/json.ts'
import type { OdooSetupReport } from '../src/odoo/odoo-setup.ts'

const TOKEN = 'cli-webhook-token-0123456789abcdef'

await t.test('`odoo setup` with an admin key: dry run, setup, nothing more the second time, check, remove', async (t) => {
  const sim = await simulator(t, { version: 17, orders: 5 })
  const env = {
    PII_ENCRYPTION_KEY: TEST_PII_KEY,
    ODOO_URL: sim.url,
    ODOO_DB: sim.db,
    ODOO_USERNAME: sim.limitedUser.login,
    ODOO_API_KEY: sim.limitedUser.apiKey,
    ODOO_WEBHOOK_TOKEN: TOKEN,
    PUBLIC_URL: 'https://bridge.example.com'
  }
  const withoutKey = await runCli(['odoo', 'setup'], env)
  t.equal(withoutKey.code, 2)
  t.match(withoutKey.stderr, "odoo setup needs an Odoo administrator's API key: --admin-key KEY or ODOO_ADMIN_API_KEY")

  const dry = await runCli(['odoo', 'setup', '--dry-run', '--admin-key', sim.apiKey], env)
  t.equal(dry.code, 0, dry.stderr)
  t.match(dry.stdout, /would create\s+res\.groups\s+group "Privacy Bridge"/)
  t.match(dry.stdout, /would add to group\s+res\.users/)
  t.match(dry.stdout, /would create\s+base\.automation\s+rule "Privacy Bridge: Contact to webhook" on res\.partner, on create and edit/)
  t.match(dry.stdout, 'https://bridge.example.com/v1/odoo/webhook/<ODOO_WEBHOOK_TOKEN>')
  t.equal(sim.store.records('res.groups').filter((g) => g.name === 'Privacy Bridge').length, 0, 'nothing made')

  const before = await runCli(['odoo', 'check'], env)
  t.equal(before.code, 1)

  const setup = await runCli(['odoo', 'setup'], { ...env, ODOO_ADMIN_API_KEY: sim.apiKey })
  t.equal(setup.code, 0, setup.stderr)
  t.match(setup.stdout, /created\s+ir\.model\.access\s+privacy_bridge_mail_tracking_value: read, unlink on mail\.tracking\.value \(id \d+\)/)
  t.match(setup.stdout, /\d+ changes made\. Next: `privacy-bridge odoo check`/)
  for (const output of [dry, setup]) t.notMatch(output.stdout + output.stderr, new RegExp(`${TOKEN}|${sim.apiKey}`), 'neither the webhook token nor the admin key is printed')

  const again = await runCli(['odoo', 'setup', '--json', '--admin-key', sim.apiKey], env)
  t.equal(again.code, 0, again.stderr)
  t.same((JSON.parse(again.stdout) as Json<OdooSetupReport>).changes, [])

  const after = await runCli(['odoo', 'check'], env)
  t.equal(after.code, 0, after.stdout)
  t.match(after.stdout, /ok\s+unlink mail\.tracking\.value/)

  const removed = await runCli(['odoo', 'setup', '--remove', '--admin-key', sim.apiKey], env)
  t.equal(removed.code, 0, removed.stderr)
  t.match(removed.stdout, /deleted\s+res\.groups\s+group "Privacy Bridge"/)
  t.equal((await runCli(['odoo', 'check'], env)).code, 1)
})

await t.test('`odoo setup` for a login Odoo does not have says what to do and exits 1', async (t) => {
  const sim = await simulator(t, { version: 16, orders: 5 })
  const env = { PII_ENCRYPTION_KEY: TEST_PII_KEY, ODOO_URL: sim.url, ODOO_DB: sim.db, ODOO_USERNAME: 'privacy-bot', ODOO_API_KEY: 'not-created-yet', ODOO_ADMIN_API_KEY: sim.apiKey }
  const result = await runCli(['odoo', 'setup'], env)
  t.equal(result.code, 1)
  t.match(result.stderr, 'Odoo has no user with login "privacy-bot" (ODOO_USERNAME): create it first')
  const badKey = await runCli(['odoo', 'setup', '--admin-key', 'not-an-admin-key'], env)
  t.equal(badKey.code, 1)
  t.notMatch(badKey.stdout + badKey.stderr, 'not-an-admin-key')
})
