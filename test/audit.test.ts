import t from 'tap'
import pg from 'pg'
import { buildTestApp } from './support/app.ts'

t.test('entries chain: each links to the one before and the chain verifies', async (t) => {
  const { audit } = await buildTestApp(t)
  const first = await audit.record({ actor: 'system', action: 'test.first', subject: { type: 'partner', id: 7 }, details: { fields: ['street', 'city'] } })
  const second = await audit.record({ actor: 'key:abc', action: 'test.second', outcome: 'denied' })
  t.equal(second.prevHash, first.hash)
  const verdict = await audit.verify()
  t.same(verdict, { ok: true, entries: await countEntries(audit) })
})

t.test('concurrent appends still form one unbroken chain', async (t) => {
  const { audit } = await buildTestApp(t)
  await Promise.all(Array.from({ length: 25 }, (_, i) => audit.record({ actor: 'system', action: 'test.concurrent', subject: { type: 'n', id: i } })))
  const verdict = await audit.verify(7)
  t.equal(verdict.ok, true)
})

t.test('the table refuses UPDATE, DELETE and TRUNCATE', async (t) => {
  const { audit, pool } = await buildTestApp(t)
  const entry = await audit.record({ actor: 'system', action: 'test.immutable' })
  await t.rejects(pool.query("UPDATE audit_log SET action = 'rewritten' WHERE id = $1", [entry.id]), /append-only/)
  await t.rejects(pool.query('DELETE FROM audit_log WHERE id = $1', [entry.id]), /append-only/)
  await t.rejects(pool.query('TRUNCATE audit_log'), /append-only/)
})

t.test('verify finds an edited row and names it', async (t) => {
  const { audit, databaseUrl } = await buildTestApp(t)
  await audit.record({ actor: 'system', action: 'test.a' })
  const edited = await audit.record({ actor: 'system', action: 'test.b', details: { partners: 1 } })
  await audit.record({ actor: 'system', action: 'test.c' })
  await tamper(databaseUrl, `UPDATE audit_log SET details = '{"partners": 2}' WHERE id = ${edited.id}`)
  const verdict = await audit.verify()
  t.equal(verdict.ok, false)
  t.match(verdict, { brokenAt: edited.id, reason: /edited/ })
})

t.test('verify finds a removed row', async (t) => {
  const { audit, databaseUrl } = await buildTestApp(t)
  await audit.record({ actor: 'system', action: 'test.a' })
  const removed = await audit.record({ actor: 'system', action: 'test.b' })
  const next = await audit.record({ actor: 'system', action: 'test.c' })
  await tamper(databaseUrl, `DELETE FROM audit_log WHERE id = ${removed.id}`)
  t.match(await audit.verify(), { ok: false, brokenAt: next.id, reason: /removed/ })
})

t.test('an auditor reads the trail and its verdict over the API', async (t) => {
  const { app, audit, auth } = await buildTestApp(t)
  await audit.record({ actor: 'system', action: 'test.visible', subject: { type: 'order', id: 42 } })
  const page = await app.inject({ method: 'GET', url: '/v1/audit?action=test.visible', headers: auth.auditor })
  t.equal(page.statusCode, 200)
  t.match(page.json(), { items: [{ action: 'test.visible', subjectType: 'order', subjectId: '42' }], nextCursor: null })
  const verdict = await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: auth.auditor })
  t.match(verdict.json(), { ok: true })
})

t.test('the audit trail pages with a cursor', async (t) => {
  const { app, audit, auth } = await buildTestApp(t)
  for (let i = 0; i < 5; i++) await audit.record({ actor: 'system', action: 'test.page' })
  const first = (await app.inject({ method: 'GET', url: '/v1/audit?action=test.page&limit=3', headers: auth.admin })).json()
  t.equal(first.items.length, 3)
  const second = (await app.inject({ method: 'GET', url: `/v1/audit?action=test.page&limit=3&after=${first.nextCursor}`, headers: auth.admin })).json()
  t.equal(second.items.length, 2)
  t.equal(second.nextCursor, null)
})

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
