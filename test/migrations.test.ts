import t from 'tap'
import { mkdtempSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { migrate, MIGRATIONS_DIR } from '../src/db/migrate.ts'
import { createTestDatabase } from './support/database.ts'
import { capturedLogger } from './support/logs.ts'

const { log } = capturedLogger()

async function query<Row extends pg.QueryResultRow>(url: string, sql: string): Promise<pg.QueryResult<Row>> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await client.query<Row>(sql)
  } finally {
    await client.end()
  }
}

await t.test('a fresh database gets every migration, recorded in schema_migrations', async (t) => {
  const url = await createTestDatabase(t)
  const applied = await migrate(url, log)
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, ''))
  t.same(applied, files)
  const recorded = await query<{ name: string }>(url, 'SELECT name FROM schema_migrations ORDER BY id')
  t.same(recorded.rows.map((r) => r.name), files)
  const tables = await query<{ tablename: string }>(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
  t.ok(tables.rows.some((r) => r.tablename === 'audit_log'))
})

await t.test('running migrations again changes nothing', async (t) => {
  const url = await createTestDatabase(t)
  await migrate(url, log)
  t.same(await migrate(url, log), [])
})

await t.test('instances starting at once apply each migration once', async (t) => {
  const url = await createTestDatabase(t)
  const results = await Promise.all([migrate(url, log), migrate(url, log), migrate(url, log)])
  const total = results.flat().length
  const recorded = (await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM schema_migrations')).rows[0]?.n
  t.equal(recorded, readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length)
  t.ok(recorded !== undefined && total >= recorded, 'every migration was applied by one of them')
})

await t.test('a failing migration leaves the schema as it was', async (t) => {
  const url = await createTestDatabase(t)
  const dir = mkdtempSync(join(tmpdir(), 'pb-migrations-'))
  for (const file of readdirSync(MIGRATIONS_DIR)) copyFileSync(join(MIGRATIONS_DIR, file), join(dir, file))
  writeFileSync(join(dir, '20991231235959999_broken.sql'), '-- Up Migration\nCREATE TABLE half_done (id int);\nSELECT no_such_function();\n')
  await t.rejects(migrate(url, log, dir))
  const halfDone = await query<{ t: string | null }>(url, "SELECT to_regclass('public.half_done') AS t")
  t.equal(halfDone.rows[0]?.t, null, 'the table created before the error was rolled back')
  const recorded = await query<{ n: number }>(url, "SELECT count(*)::int AS n FROM schema_migrations WHERE name = '20991231235959999_broken'")
  t.equal(recorded.rows[0]?.n, 0, 'the failed migration is not recorded')
  const earlier = await query<{ t: string | null }>(url, "SELECT to_regclass('public.audit_log') AS t")
  t.equal(earlier.rows[0]?.t, 'audit_log', 'the migrations before it stay applied')
})
