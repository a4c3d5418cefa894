import t from 'tap'
import { ConfigError, loadConfig } from '../src/config/env.ts'

const valid = {
  PII_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  ODOO_URL: 'http://odoo.internal:8069',
  ODOO_DB: 'shop',
  ODOO_USERNAME: 'privacy-bot',
  ODOO_API_KEY: 'secret-api-key'
}

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env)
  } catch (error) {
    if (error instanceof ConfigError) return error.message
    throw error
  }
  throw new Error('expected a ConfigError')
}

await t.test('a complete environment gives defaults for everything optional', (t) => {
  const config = loadConfig(valid)
  t.equal(config.http.port, 8080)
  t.equal(config.http.host, '0.0.0.0')
  t.equal(config.database.url, undefined, 'no DATABASE_URL means the embedded database')
  t.equal(config.database.dataDir, '.data')
  t.equal(config.odoo.protocol, 'auto')
  t.equal(config.odoo.secret, 'secret-api-key')
  t.equal(config.crypto.piiKey.length, 32)
  t.end()
})

await t.test('a missing variable is named in one line', (t) => {
  const { ODOO_URL: _omitted, ...env } = valid
  const message = errorOf(env)
  t.equal(message, 'Invalid configuration: ODOO_URL is required')
  t.notMatch(message, /\n/)
  t.end()
})

await t.test('an empty variable counts as missing', (t) => {
  t.match(errorOf({ ...valid, ODOO_DB: '' }), /ODOO_DB is required/)
  t.end()
})

await t.test('a bad value is named with what is wrong with it', (t) => {
  t.match(errorOf({ ...valid, PORT: 'eighty' }), /PORT must be a number/)
  t.match(errorOf({ ...valid, PORT: '70000' }), /PORT/)
  t.match(errorOf({ ...valid, ODOO_PROTOCOL: 'soap' }), /ODOO_PROTOCOL/)
  t.match(errorOf({ ...valid, LOG_LEVEL: 'loud' }), /LOG_LEVEL/)
  t.match(errorOf({ ...valid, DATABASE_URL: 'mysql://x/y' }), /DATABASE_URL must be a postgres:\/\/ URL/)
  t.end()
})

await t.test('the PII key must be 32 bytes of base64', (t) => {
  t.match(errorOf({ ...valid, PII_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }), /PII_ENCRYPTION_KEY must be 32 bytes/)
  t.match(errorOf({ ...valid, PII_ENCRYPTION_KEY: 'not base64 at all!' }), /PII_ENCRYPTION_KEY must be 32 bytes/)
  t.end()
})

await t.test('an Odoo password is accepted where no API key is set', (t) => {
  const { ODOO_API_KEY: _omitted, ...env } = valid
  t.equal(loadConfig({ ...env, ODOO_PASSWORD: 'pw' }).odoo.secret, 'pw')
  t.match(errorOf(env), /ODOO_API_KEY is required \(or set ODOO_PASSWORD\)/)
  t.end()
})

await t.test('the metrics token is optional, and at least 16 characters when set', (t) => {
  t.equal(loadConfig(valid).http.metricsToken, undefined)
  t.equal(loadConfig({ ...valid, METRICS_TOKEN: 'a'.repeat(16) }).http.metricsToken, 'a'.repeat(16))
  t.match(errorOf({ ...valid, METRICS_TOKEN: 'short-token' }), /METRICS_TOKEN must be at least 16 characters/)
  t.end()
})

await t.test('error messages never echo secret values', (t) => {
  const message = errorOf({ ...valid, PII_ENCRYPTION_KEY: 'c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3QtbGVhaw==' })
  t.notMatch(message, /c2VjcmV0/)
  t.end()
})

await t.test('.env.example is a valid configuration that documents every variable the schema reads', async (t) => {
  const { readFileSync } = await import('node:fs')
  const { parseEnv } = await import('node:util')
  const text = readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
  const config = loadConfig(parseEnv(text))
  t.equal(config.mirror.syncCron, '*/10 * * * *')
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const source = readFileSync(new URL('../src/config/env.ts', import.meta.url), 'utf8')
  const variables = [...source.matchAll(/^\s{4}([A-Z][A-Z0-9_]+):/gm)].map((m) => String(m[1]))
  t.ok(variables.length > 20)
  for (const name of variables) {
    t.ok(text.includes(name), `${name} is in .env.example`)
    t.ok(readme.includes(`\`${name}\``), `${name} is in the README`)
  }
})

await t.test('cron expressions are read as pg-boss reads them: a bad one is named with the field at fault', (t) => {
  t.equal(loadConfig({ ...valid, SYNC_CRON: '*/15 * * * *' }).mirror.syncCron, '*/15 * * * *')
  t.equal(loadConfig({ ...valid, RECONCILE_CRON: '30 0 2 * * MON-FRI' }).mirror.reconcileCron, '30 0 2 * * MON-FRI', 'six fields: seconds first')
  t.equal(errorOf({ ...valid, SYNC_CRON: '61 * * * *' }), 'Invalid configuration: SYNC_CRON must be a cron expression, e.g. "*/10 * * * *" (Constraint error, got value 61 expected range 0-59)')
  t.match(errorOf({ ...valid, RETENTION_SWEEP_CRON: '0 0 30 2 *' }), /^Invalid configuration: RETENTION_SWEEP_CRON must be a cron expression/, 'the 30th of February never comes')
  t.match(errorOf({ ...valid, MAIL_SWEEP_CRON: 'every minute' }), /MAIL_SWEEP_CRON must be a cron expression/)
  t.match(errorOf({ ...valid, RECONCILE_CRON: '* * * * * * *' }), /RECONCILE_CRON must be a cron expression, .*too many fields/)
  t.end()
})

await t.test('channel rules are checked when the configuration is read', (t) => {
  t.same(loadConfig({ ...valid, CHANNEL_RULES: '[{"channel":"etsy","tag":"Handmade"}]' }).mirror.channelRules, [{ channel: 'etsy', tag: 'Handmade' }])
  t.match(errorOf({ ...valid, CHANNEL_RULES: '[{"channel":"myspace","team":"x"}]' }), /^Invalid configuration: CHANNEL_RULES\.0\.channel /)
  t.match(errorOf({ ...valid, CHANNEL_RULES: '[{"channel":"amazon","origin":"("}]' }), /CHANNEL_RULES\.0 origin and clientOrderRef must be valid regular expressions/)
  t.match(errorOf({ ...valid, CHANNEL_RULES: 'not json' }), /CHANNEL_RULES must be valid JSON/)
  t.end()
})
