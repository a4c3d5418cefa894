import t from 'tap'
import pg from 'pg'
import { buildTestApp } from './support/app.ts'
import type { TestApp } from './support/app.ts'
import { capturedLogger } from './support/logs.ts'
import { runCli } from './support/cli.ts'
import { TEST_PII_KEY } from './support/config.ts'
import { formatAuditHead, parseAuditHead } from '../src/audit/audit-trail.ts'
import type { AuditEntry } from '../src/audit/audit-trail.ts'
import { GENESIS_HASH } from '../src/audit/hash-chain.ts'
import { publishAuditHead, publishAuditHeadJob } from '../src/audit/publish-audit-head.job.ts'
import { verifyAuditChainJob } from '../src/audit/verify-audit-chain.job.ts'
import { drainDueContacts } from '../src/retention/redaction-drain.ts'
import type { Json } from './support/json.ts'

/** A page of `GET /v1/audit`. */
type AuditPage = Json<{ items: AuditEntry[]; nextCursor: number | null }>

await t.test('entries chain: each links to the one before and the chain verifies', async (t) => {
  const { audit } = await buildTestApp(t)
  const first = await audit.record({ actor: 'system', action: 'test.first', subject: { type: 'partner', id: 7 }, details: { fields: ['street', 'city'] } })
  const second = await audit.record({ actor: 'key:abc', action: 'test.second', outcome: 'denied' })
  t.equal(second.prevHash, first.hash)
  const verdict = await audit.verify()
  t.same(verdict, { ok: true, entries: await countEntries(audit) })
})

await t.test('concurrent appends still form one unbroken chain', async (t) => {
  const { audit } = await buildTestApp(t)
  await Promise.all(Array.from({ length: 25 }, (_, i) => audit.record({ actor: 'system', action: 'test.concurrent', subject: { type: 'n', id: i } })))
  const verdict = await audit.verify(7)
  t.equal(verdict.ok, true)
})

await t.test('the table refuses UPDATE, DELETE and TRUNCATE', async (t) => {
  const { audit, pool } = await buildTestApp(t)
  const entry = await audit.record({ actor: 'system', action: 'test.immutable' })
  await t.rejects(pool.query("UPDATE audit_log SET action = 'rewritten' WHERE id = $1", [entry.id]), /append-only/)
  await t.rejects(pool.query('DELETE FROM audit_log WHERE id = $1', [entry.id]), /append-only/)
  await t.rejects(pool.query('TRUNCATE audit_log'), /append-only/)
})

await t.test('verify finds an edited row and names it', async (t) => {
  const { audit, databaseUrl } = await buildTestApp(t)
  await audit.record({ actor: 'system', action: 'test.a' })
  const edited = await audit.record({ actor: 'system', action: 'test.b', details: { partners: 1 } })
  await audit.record({ actor: 'system', action: 'test.c' })
  await tamper(databaseUrl, `UPDATE audit_log SET details = '{"partners": 2}' WHERE id = ${edited.id}`)
  const verdict = await audit.verify()
  t.equal(verdict.ok, false)
  t.match(verdict, { brokenAt: edited.id, reason: /edited/ })
})

await t.test('verify finds a removed row', async (t) => {
  const { audit, databaseUrl } = await buildTestApp(t)
  await audit.record({ actor: 'system', action: 'test.a' })
  const removed = await audit.record({ actor: 'system', action: 'test.b' })
  const next = await audit.record({ actor: 'system', action: 'test.c' })
  await tamper(databaseUrl, `DELETE FROM audit_log WHERE id = ${removed.id}`)
  t.match(await audit.verify(), { ok: false, brokenAt: next.id, reason: /removed/ })
})

await t.test('an auditor reads the trail and its verdict over the API', async (t) => {
  const { app, audit, auth } = await buildTestApp(t)
  await audit.record({ actor: 'system', action: 'test.visible', subject: { type: 'order', id: 42 } })
  const page = await app.inject({ method: 'GET', url: '/v1/audit?action=test.visible', headers: auth.auditor })
  t.equal(page.statusCode, 200)
  t.match(page.json(), { items: [{ action: 'test.visible', subjectType: 'order', subjectId: '42' }], nextCursor: null })
  const verdict = await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: auth.auditor })
  t.match(verdict.json(), { ok: true })
})

await t.test('the last recorded check: none before the nightly job, then its verdict, read from its entry and not by rehashing', async (t) => {
  const { app, audit, auth, databaseUrl } = await buildTestApp(t)
  const lastCheck = async () => (await app.inject({ method: 'GET', url: '/v1/audit/verification', headers: auth.auditor })).json<{ lastCheck: unknown }>()
  t.same(await lastCheck(), { lastCheck: null })
  await audit.record({ actor: 'system', action: 'test.a' })
  await verifyAuditChainJob({ audit, log: capturedLogger().log }).handle([])
  const first = await audit.verify()
  t.match(await lastCheck(), { lastCheck: { ok: true, entries: first.entries - 1, at: String } }, 'the entries the chain had when it was checked (the verdict\'s own entry came after)')
  await tamper(databaseUrl, 'UPDATE audit_log SET details = \'{"x":1}\' WHERE action = \'test.a\'')
  await verifyAuditChainJob({ audit, log: capturedLogger().log }).handle([])
  t.match(await lastCheck(), { lastCheck: { ok: false, brokenAt: Number } }, 'the newest check counts')
  const forbidden = await app.inject({ method: 'GET', url: '/v1/audit/verification', headers: auth.agent })
  t.equal(forbidden.statusCode, 403, 'agents do not read it')
})

await t.test('the audit trail pages with a cursor', async (t) => {
  const { app, audit, auth } = await buildTestApp(t)
  for (let i = 0; i < 5; i++) await audit.record({ actor: 'system', action: 'test.page' })
  const first = (await app.inject({ method: 'GET', url: '/v1/audit?action=test.page&limit=3', headers: auth.admin })).json<AuditPage>()
  t.equal(first.items.length, 3)
  const second = (await app.inject({ method: 'GET', url: `/v1/audit?action=test.page&limit=3&after=${String(first.nextCursor)}`, headers: auth.admin })).json<AuditPage>()
  t.equal(second.items.length, 2)
  t.equal(second.nextCursor, null)
})

await t.test('the head is the entry count and the newest hash; an empty chain\'s is the genesis hash', async (t) => {
  const { audit } = await buildTestApp(t)
  const before = await audit.head()
  t.equal(before.hash, before.entries === 0 ? GENESIS_HASH : (await audit.list({ afterId: 0, limit: 1000 })).at(-1)?.hash)
  const last = await audit.record({ actor: 'system', action: 'test.head' })
  t.same(await audit.head(), { entries: before.entries + 1, hash: last.hash })
  t.same(await audit.verifyHead({ entries: 0, hash: GENESIS_HASH }), { ok: true, entries: before.entries + 1 }, 'the empty head is in every chain')
})

await t.test('a head seen earlier is still in the chain as it grows, by its full hash or its first 12 digits', async (t) => {
  const { audit } = await buildTestApp(t)
  await audit.record({ actor: 'system', action: 'test.a' })
  const seen = await audit.head()
  for (let i = 0; i < 5; i++) await audit.record({ actor: 'system', action: 'test.later' })
  t.same(await audit.verifyHead(seen, 2), { ok: true, entries: seen.entries + 5 })
  t.same(await audit.verifyHead({ entries: seen.entries, hash: seen.hash.slice(0, 12) }), { ok: true, entries: seen.entries + 5 })
})

await t.test('deleting the newest entries with the trigger off leaves a valid chain, but not the head seen before: truncation', async (t) => {
  const { audit, databaseUrl } = await buildTestApp(t)
  await audit.record({ actor: 'system', action: 'test.a' })
  const kept = await audit.record({ actor: 'system', action: 'test.b' })
  await audit.record({ actor: 'system', action: 'test.c' })
  await audit.record({ actor: 'system', action: 'test.d' })
  const seen = await audit.head()
  await tamper(databaseUrl, `DELETE FROM audit_log WHERE id > ${kept.id}`)
  t.match(await audit.verify(), { ok: true, entries: seen.entries - 2 }, 'the chain alone does not show it')
  t.same(await audit.verifyHead(seen), { ok: false, problem: 'truncated', entries: seen.entries - 2, missing: 2 })

  // The service goes on writing: the count is reached again, with other entries.
  await audit.record({ actor: 'system', action: 'test.after' })
  await audit.record({ actor: 'system', action: 'test.after' })
  const now = await audit.head()
  t.equal(now.entries, seen.entries)
  t.same(await audit.verifyHead(seen), { ok: false, problem: 'rewritten', entries: seen.entries, hash: now.hash })
})

await t.test('`audit verify --head COUNT:HASH`: exit 0 while the head is in the chain, exit 1 naming truncation or a rewrite', async (t) => {
  const { audit, databaseUrl } = await buildTestApp(t)
  const env = { DATABASE_URL: databaseUrl, PII_ENCRYPTION_KEY: TEST_PII_KEY, ODOO_URL: 'http://127.0.0.1:9', ODOO_DB: 'shop', ODOO_USERNAME: 'admin', ODOO_API_KEY: 'unused', LOG_LEVEL: 'silent' }
  await audit.record({ actor: 'system', action: 'test.a' })
  const kept = await audit.record({ actor: 'system', action: 'test.b' })
  await audit.record({ actor: 'system', action: 'test.c' })
  const seen = formatAuditHead(await audit.head())

  const plain = await runCli(['audit', 'verify'], env)
  t.equal(plain.code, 0, plain.stderr)
  t.match(plain.stdout, `head ${seen}.`, 'the plain check prints the head to note')
  const intact = await runCli(['audit', 'verify', '--head', seen], env)
  t.equal(intact.code, 0, intact.stderr)
  t.match(intact.stdout, `Head ${seen} is in the chain`)
  const byPrefix = await runCli(['audit', 'verify', '--head', seen.slice(0, seen.indexOf(':') + 13), '--json'], env)
  t.equal(byPrefix.code, 0, byPrefix.stderr)
  t.match(JSON.parse(byPrefix.stdout), { ok: true, head: seen })

  await tamper(databaseUrl, `DELETE FROM audit_log WHERE id > ${kept.id}`)
  const truncated = await runCli(['audit', 'verify', '--head', seen], env)
  t.equal(truncated.code, 1)
  t.match(truncated.stdout, /TRUNCATED: .* the newest 1 were deleted/)
  await audit.record({ actor: 'system', action: 'test.other' })
  const rewritten = await runCli(['audit', 'verify', '--head', seen, '--json'], env)
  t.equal(rewritten.code, 1)
  t.match(JSON.parse(rewritten.stdout), { ok: false, problem: 'rewritten' })

  const malformed = await runCli(['audit', 'verify', '--head', 'latest'], env)
  t.equal(malformed.code, 2)
  t.match(malformed.stderr, /--head must be COUNT:HASH/)
})

await t.test('COUNT:HASH is read with a full hash or a prefix of 12 hex digits or more', (t) => {
  const hash = 'ab'.repeat(32)
  t.same(parseAuditHead(`42:${hash}`), { entries: 42, hash })
  t.same(parseAuditHead(`42:${hash.slice(0, 12).toUpperCase()}`), { entries: 42, hash: hash.slice(0, 12) })
  for (const bad of ['42', `42:${hash.slice(0, 11)}`, `-1:${hash}`, `42:${hash}0`, `x:${hash}`, `42:${'g'.repeat(12)}`]) t.equal(parseAuditHead(bad), undefined, bad)
  t.end()
})

await t.test('the head is logged by the hourly job and after each redaction batch', async (t) => {
  const { audit, pool, clock } = await buildTestApp(t)
  await audit.record({ actor: 'system', action: 'test.a' })
  const { log, output } = capturedLogger('info')
  const hourly = publishAuditHeadJob({ audit, log })
  t.equal(hourly.schedule?.cron, '0 * * * *', 'every hour')
  await hourly.handle([])
  t.match(output(), `"auditHead":"${formatAuditHead(await audit.head())}"`)

  await dueContact(pool, 7)
  await drainDueContacts({
    pool, clock, log, dryRun: false, batchSize: 10,
    redact: async (ids) => {
      await pool.query('UPDATE mirror_partners SET redacted_at = now() WHERE odoo_id = ANY($1::int[])', [ids])
      await audit.record({ actor: 'system', action: 'partner.redacted', subject: { type: 'partner', id: 7 } })
      return { redacted: ids, wouldRedact: [], skipped: [], refused: [], failed: [] }
    },
    afterBatch: () => publishAuditHead({ audit, log })
  }, 'job-1')
  const lines = output().trim().split('\n').map((line) => JSON.parse(line) as { msg: string; auditHead?: string })
  t.same(lines.slice(-1).map((l) => l.msg), ['audit chain head'])
  t.equal(lines.at(-1)?.auditHead, formatAuditHead(await audit.head()), 'the head after the batch\'s own entries')
})

await t.test('a redaction batch whose head cannot be published still completes, with a warning', async (t) => {
  const { pool, clock } = await buildTestApp(t)
  const { log, output } = capturedLogger('info')
  await dueContact(pool, 7)
  const outcome = await drainDueContacts({
    pool, clock, log, dryRun: false, batchSize: 10,
    redact: (ids) => Promise.resolve({ redacted: [], wouldRedact: [], skipped: ids, refused: [], failed: [] }),
    afterBatch: () => Promise.reject(new Error('database gone'))
  }, 'job-1')
  t.equal(outcome.batches, 1)
  t.match(output(), /audit chain head not published/)
})

/** A bare mirrored contact due a year ago, for a redaction job to claim. */
async function dueContact(pool: TestApp['pool'], id: number): Promise<void> {
  await pool.query(`INSERT INTO mirror_partners (odoo_id, fingerprint, synced_at, retention_due_at, redaction_fields) VALUES ($1, 'f', now(), now() - interval '1 year', '{name}')`, [id])
}

// Tampering as a database superuser would: with triggers switched off for the session.
async function tamper(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query('SET session_replication_role = replica')
    await client.query(sql)
  } finally {
    await client.end()
  }
}

async function countEntries(audit: { list: (q: { limit: number }) => Promise<unknown[]> }): Promise<number> {
  return (await audit.list({ limit: 1000 })).length
}
