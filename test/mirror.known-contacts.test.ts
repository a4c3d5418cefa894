import t from 'tap'
import { createPool } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import { knownContactsAbove, knownContactsOfRun } from '../src/mirror/known-contacts.ts'
import { createTestDatabase } from './support/database.ts'
import { capturedLogger } from './support/logs.ts'

const { log } = capturedLogger()

await t.test("a sync run knows the contacts it wrote, asks the database about older ones, and meets higher ids as new", async (t) => {
  const url = await createTestDatabase(t)
  await migrate(url, log)
  const pool = createPool(url, 2, log)
  t.teardown(() => pool.end())
  const mirror = (ids: number[]) => pool.query("INSERT INTO mirror_partners (odoo_id, fingerprint, synced_at) SELECT id, 'f', now() FROM unnest($1::int[]) AS id", [ids])

  const empty = await knownContactsOfRun(pool)
  t.same(await empty.among(pool, [1, 2, 3]), new Set(), 'an empty mirror knows nobody')

  await mirror([10, 20, 30])
  const known = await knownContactsOfRun(pool)
  t.same(await known.among(pool, [10, 15, 30, 40]), new Set([10, 30]), 'ids up to the largest mirrored are looked up')
  known.remember([40, 50])
  t.same(await known.among(pool, [40, 45, 50, 1_000_000]), new Set([40, 50]), 'the contacts the run wrote are known without a lookup')
  await mirror([60])
  t.same(await known.among(pool, [60]), new Set(), 'one mirrored by another writer after the run began is met as new (its insert then finds it)')
  t.same(await (await knownContactsOfRun(pool)).among(pool, [60]), new Set([60]), 'and is known to the next run')
  t.same(await knownContactsAbove(Number.POSITIVE_INFINITY).among(pool, [10, 60, 99]), new Set([10, 60]), 'one record\'s sync looks every contact up')
})
