import t from 'tap'
import type { Test } from 'tap'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { freePort } from './support/database.ts'
import { TEST_PII_KEY } from './support/config.ts'
import { finished, runCli, startCli } from './support/cli.ts'
import { until } from './support/until.ts'
import type { Json } from './support/json.ts'
import type { PlanEntry } from '../src/retention/retention-report.ts'
import { createPrivacyBridgeClient } from '../src/client/index.ts'

/** What `keys create --json` prints of the key it made. */
const createdKeySchema = z.object({ id: z.string(), key: z.string() })

async function embeddedEnv(t: Test): Promise<Record<string, string>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pb-smoke-'))
  t.teardown(() => {
    rmSync(dataDir, { recursive: true, force: true })
  })
  return {
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    PII_ENCRYPTION_KEY: TEST_PII_KEY,
    ODOO_URL: `http://127.0.0.1:${await freePort()}`,
    ODOO_DB: 'shop',
    ODOO_USERNAME: 'admin',
    ODOO_API_KEY: 'not-used',
    LOG_LEVEL: 'info'
  }
}

function waitForReady(baseUrl: string) {
  return until(() => createPrivacyBridgeClient({ baseUrl }).GET('/health/ready').catch(() => undefined), { what: `${baseUrl}/health/ready to answer`, timeoutMs: 30_000, intervalMs: 250 })
}

await t.test('with no DATABASE_URL the service runs on an embedded PostgreSQL and shuts down cleanly', async (t) => {
  const env = await embeddedEnv(t)
  const service = startCli(['serve'], env)
  t.teardown(() => void service.kill('SIGKILL'))
  const ready = await waitForReady(`http://127.0.0.1:${env.PORT}`)
  t.equal(ready.response.status, 200)
  t.match(ready.data, { status: 'degraded', checks: { database: { status: 'up' }, odoo: { status: 'down' } } }, 'Odoo is reported down, the database up')
  t.ok(existsSync(join(env.DATA_DIR ?? '', 'postgres', 'postmaster.pid')), 'the embedded server runs in DATA_DIR')

  const keys = await runCli(['keys', 'create', '--role', 'admin', '--name', 'smoke', '--json'], env)
  t.equal(keys.code, 0, 'a command beside the running service uses its embedded database')
  const { key } = createdKeySchema.parse(JSON.parse(keys.stdout))
  const listed = await createPrivacyBridgeClient({ baseUrl: `http://127.0.0.1:${env.PORT}`, apiKey: key }).GET('/v1/keys')
  t.equal(listed.response.status, 200, 'the key created from the CLI works against the service')

  service.kill('SIGTERM')
  const result = await finished(service)
  t.equal(result.code, 0, 'exits 0 on SIGTERM')
  t.match(result.stdout, /shutting down/)
  t.match(result.stdout, /embedded PostgreSQL stopped/)
  t.notOk(existsSync(join(env.DATA_DIR ?? '', 'postgres', 'postmaster.pid')), 'the embedded server is stopped')
})

await t.test('a bad configuration stops start-up with one line naming the variable', async (t) => {
  const env = await embeddedEnv(t)
  const result = await runCli(['serve'], { ...env, PORT: 'eighty', ODOO_URL: '' })
  t.equal(result.code, 2)
  t.equal(result.stderr.trim(), 'Invalid configuration: PORT must be a number; ODOO_URL is required')
  t.notMatch(result.stderr, /\n\s+at /, 'no stack trace')
})

await t.test('keys are created, listed without secrets and revoked from the command line', async (t) => {
  const env = { ...(await embeddedEnv(t)), DATABASE_URL: process.env.DATABASE_URL ?? '' }
  if (!env.DATABASE_URL) delete (env as Record<string, string>).DATABASE_URL
  const created = await runCli(['keys', 'create', '--role', 'agent', '--name', 'desk', '--json'], env)
  t.equal(created.code, 0, created.stderr)
  const { id, key } = createdKeySchema.parse(JSON.parse(created.stdout))
  const listed = await runCli(['keys', 'list'], env)
  t.match(listed.stdout, id)
  t.notOk(listed.stdout.includes(key.slice(`pbk_${id}_`.length)), 'the secret is not listed')
  const revoked = await runCli(['keys', 'revoke', id], env)
  t.equal(revoked.code, 0)
  t.match((await runCli(['keys', 'list', '--json'], env)).stdout, /"revokedAt":"20/)
  const unknown = await runCli(['keys', 'revoke', 'ffffffffffff'], env)
  t.equal(unknown.code, 2)
  t.equal(unknown.stderr.trim(), 'No API key has the id ffffffffffff.')
  const badRole = await runCli(['keys', 'create', '--role', 'wizard', '--name', 'x'], env)
  t.not(badRole.code, 0)
  t.match(badRole.stderr, /Allowed choices are admin, agent, auditor/)
})

await t.test('audit verify exits 0 on an intact chain', async (t) => {
  const env = await embeddedEnv(t)
  if (process.env.DATABASE_URL) Object.assign(env, { DATABASE_URL: process.env.DATABASE_URL })
  const result = await runCli(['audit', 'verify'], env)
  t.equal(result.code, 0, result.stderr)
  t.match(result.stdout, /Audit trail intact/)
})

await t.test('`sync --json` runs one sync from the command line against Odoo and prints its summary', async (t) => {
  const { simulator } = await import('./support/simulator.ts')
  const { createTestDatabase } = await import('./support/database.ts')
  const sim = await simulator(t, { orders: 12 })
  const env = { ...(await embeddedEnv(t)), DATABASE_URL: await createTestDatabase(t), ODOO_URL: sim.url, ODOO_DB: sim.db, ODOO_USERNAME: sim.login, ODOO_API_KEY: sim.apiKey }
  const result = await runCli(['sync', '--json'], env)
  t.equal(result.code, 0, result.stderr)
  t.match(JSON.parse(result.stdout), { state: 'succeeded', trigger: 'cli', inserted: Number, failed: 0 })
  const again = await runCli(['sync'], env)
  t.match(again.stdout, /^Sync succeeded: \d+ records read, 0 new, 0 changed, 0 failed/)
})

await t.test('`odoo check` prints the server, protocol, user and rights, and fails on bad credentials', async (t) => {
  const { simulator } = await import('./support/simulator.ts')
  const sim = await simulator(t, { orders: 5, version: 19 })
  const env = { ...(await embeddedEnv(t)), ODOO_URL: sim.url, ODOO_DB: sim.db, ODOO_USERNAME: sim.login, ODOO_API_KEY: sim.apiKey }
  const ok = await runCli(['odoo', 'check'], env)
  t.equal(ok.code, 0, ok.stderr)
  t.match(ok.stdout, /Odoo 19\.0.*protocol json2/)
  t.match(ok.stdout, /ok\s+write\s+res\.partner/)
  t.match(ok.stdout, /Odoo connection OK/)
  const bad = await runCli(['odoo', 'check'], { ...env, ODOO_API_KEY: 'wrong' })
  t.equal(bad.code, 1)
  t.match(bad.stdout, /NOT OK/)
  t.notMatch(bad.stdout + bad.stderr, /wrong/, 'the key is not echoed')
})

await t.test('`retention plan` shows what would be redacted by a date and why, without personal data', async (t) => {
  const { simulator } = await import('./support/simulator.ts')
  const { createTestDatabase } = await import('./support/database.ts')
  const sim = await simulator(t, { orders: 15 })
  const env = { ...(await embeddedEnv(t)), DATABASE_URL: await createTestDatabase(t), ODOO_URL: sim.url, ODOO_DB: sim.db, ODOO_USERNAME: sim.login, ODOO_API_KEY: sim.apiKey }
  t.equal((await runCli(['sync', '--json'], env)).code, 0)
  const plan = await runCli(['retention', 'plan', '--as-of', '2030-01-01', '--json'], env)
  t.equal(plan.code, 0, plan.stderr)
  const parsed = JSON.parse(plan.stdout) as Json<{ asOf: Date; mode: string; contacts: PlanEntry[] }>
  t.ok(parsed.contacts.length > 0)
  t.match(parsed.contacts[0], { partnerId: Number, dueAt: String, channels: Array, startedBy: Array, fields: Array, held: false })
  for (const partner of sim.store.records('res.partner')) if (typeof partner.email === 'string') t.notOk(plan.stdout.includes(partner.email))
  const text = await runCli(['retention', 'plan'], env)
  t.match(text.stdout, /contacts due by/)
  const bad = await runCli(['retention', 'plan', '--as-of', 'soon'], env)
  t.equal(bad.code, 2)
})
