import t from 'tap'
import pg from 'pg'
import { arrayLiteral } from '../src/db/array-literal.ts'
import { createTestDatabase } from './support/database.ts'

await t.test('array literals read back in PostgreSQL as the values they were made of', async (t) => {
  const client = new pg.Client({ connectionString: await createTestDatabase(t) })
  await client.connect()
  t.teardown(() => client.end())
  const roundTrip = async (type: string, values: unknown[]) => (await client.query<{ v: unknown[] }>(`SELECT $1::${type}[] AS v`, [arrayLiteral(values as never)])).rows[0]?.v

  const strings = ['plain', '', 'NULL', 'null', 'with "quotes"', 'back\\slash', '\\"', 'a,b', '{braces}', ' spaced ', 'line\nbreak', 'Straße 7 – 東京', 'tab\there', null]
  t.same(await roundTrip('text', strings), strings, 'every string, however spelled, and null')
  t.same(await roundTrip('int', [1, -2, 0, null, 2147483647]), [1, -2, 0, null, 2147483647])
  t.same(await roundTrip('numeric', [12.5, 0.1, null]), ['12.5', '0.1', null])
  t.same(await roundTrip('bool', [true, false, null]), [true, false, null])
  const dates = [new Date('2026-12-03T10:00:00.123Z'), new Date('1999-01-31T23:59:59Z'), null]
  t.same(await roundTrip('timestamptz', dates), dates, 'dates, to the millisecond, whatever the session time zone')
  t.same(await roundTrip('text', []), [])
  t.same(arrayLiteral([undefined]), '{NULL}', 'undefined is null')
  t.throws(() => arrayLiteral([Number.NaN]), TypeError)
  t.throws(() => arrayLiteral([new Date('invalid')]), TypeError)
})
