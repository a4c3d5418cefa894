import t from 'tap'
import type { OdooDomain, OdooRecord } from '../src/odoo/odoo-types.ts'
import { walkByWriteDate, type OdooCursor, type PageQuery, type WalkPage } from '../src/odoo/write-date-walk.ts'

/**
 * Records as Odoo keeps them: write_date with microseconds, returned truncated to the second.
 * `comparison` chooses how a second-precision value in a domain compares with them: against the
 * hidden microseconds (Odoo 16 and 18, contract files 530/540) or against the second (Odoo 19).
 */
interface StoredRecord {
  id: number
  writeDate: string // 'YYYY-MM-DD HH:MM:SS.ffffff'
  state: string
}

function fakeOdoo(records: StoredRecord[], comparison: 'microseconds' | 'seconds' = 'microseconds') {
  const queries: { domain: OdooDomain; limit: number; order: string }[] = []
  const stored = (record: StoredRecord) => (comparison === 'seconds' ? record.writeDate.slice(0, 19) : record.writeDate)
  const matches = (record: StoredRecord, [field, operator, value]: [string, string, string | number]) => {
    const actual = field === 'id' ? record.id : field === 'write_date' ? stored(record) : record.state
    if (operator === '>=') return actual >= value
    if (operator === '<') return actual < value
    if (operator === '>') return actual > value
    if (operator === '=') return actual === value
    throw new Error(`operator ${operator} not faked`)
  }
  const query: PageQuery = (domain, { limit, order }) => {
    queries.push({ domain, limit, order })
    const found = records.filter((record) => (domain as [string, string, string | number][]).every((leaf) => matches(record, leaf)))
    found.sort(order === 'id asc' ? (a, b) => a.id - b.id : (a, b) => a.writeDate.localeCompare(b.writeDate) || a.id - b.id)
    return Promise.resolve(found.slice(0, limit).map((record): OdooRecord => ({ id: record.id, write_date: record.writeDate.slice(0, 19), state: record.state })))
  }
  return { query, queries }
}

/** `count` records written within the same second, microseconds running against the ids. */
function sameSecond(second: string, firstId: number, count: number, state = 'sale'): StoredRecord[] {
  return Array.from({ length: count }, (_, index) => ({
    id: firstId + index,
    writeDate: `${second}.${String(900_000 - index * 1_000).padStart(6, '0')}`,
    state
  }))
}

async function collect(pages: AsyncIterable<WalkPage>): Promise<WalkPage[]> {
  const collected: WalkPage[] = []
  for await (const page of pages) collected.push(page)
  return collected
}

const ids = (pages: WalkPage[]) => pages.flatMap((page) => page.records.map((record) => record.id))
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index)

for (const comparison of ['microseconds', 'seconds'] as const) {
  await t.test(`comparing write_date by ${comparison}: a second holding more records than a page is walked whole, once`, async (t) => {
    const records = [...sameSecond('2026-11-23 05:03:10', 1, 7), ...sameSecond('2026-11-23 05:03:11', 8, 2)]
    const { query } = fakeOdoo(records, comparison)
    const pages = await collect(walkByWriteDate(query, { fields: ['state'], pageSize: 3 }))
    t.same(ids(pages).sort((a, b) => a - b), range(1, 9))
    t.equal(new Set(ids(pages)).size, 9, 'no record twice')
    t.ok(pages.every((page) => page.records.length <= 3), 'no page larger than asked')
  })
}

await t.test('a second that ends exactly at a page boundary is delivered in one page', async (t) => {
  const records = [...sameSecond('2026-11-23 05:03:10', 1, 3), ...sameSecond('2026-11-23 05:03:11', 4, 3), ...sameSecond('2026-11-23 05:03:12', 7, 1)]
  const { query } = fakeOdoo(records)
  const pages = await collect(walkByWriteDate(query, { fields: ['state'], pageSize: 3 }))
  t.same(pages.map((page) => page.records.map((record) => record.id).sort((a, b) => a - b)), [[1, 2, 3], [4, 5, 6], [7]])
})

await t.test('a page never ends inside a second: its trailing second is left to the next page', async (t) => {
  const records = [...sameSecond('2026-11-23 05:03:10', 1, 2), ...sameSecond('2026-11-23 05:03:11', 3, 3)]
  const { query } = fakeOdoo(records)
  const [first] = await collect(walkByWriteDate(query, { fields: ['state'], pageSize: 4 }))
  t.same(first?.records.map((record) => record.id).sort(), [1, 2])
  t.same(first?.cursor, { writeDateSecond: '2026-11-23 05:03:11', afterId: 0 })
})

await t.test('the walk only compares write_date with >= and < at whole seconds', async (t) => {
  const { query, queries } = fakeOdoo([...sameSecond('2026-11-23 05:03:10', 1, 5), ...sameSecond('2026-11-23 05:03:12', 6, 1)])
  await collect(walkByWriteDate(query, { fields: ['state'], pageSize: 2 }))
  const writeDateLeaves = queries.flatMap((q) => (q.domain as unknown[][]).filter((leaf) => leaf[0] === 'write_date'))
  t.ok(writeDateLeaves.length > 0)
  for (const [, operator, value] of writeDateLeaves) {
    t.ok(operator === '>=' || operator === '<', `operator ${String(operator)}`)
    t.match(value, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
  }
})

await t.test("the caller's domain and fields are kept, and write_date is read even when not asked for", async (t) => {
  const records = [...sameSecond('2026-11-23 05:03:10', 1, 4), ...sameSecond('2026-11-23 05:03:10', 5, 3, 'cancel')]
  const { query, queries } = fakeOdoo(records)
  let fieldsAsked: string[] = []
  const spy: PageQuery = (domain, options) => ((fieldsAsked = options.fields), query(domain, options))
  const pages = await collect(walkByWriteDate(spy, { domain: [['state', '=', 'cancel']], fields: ['state'], pageSize: 2 }))
  t.same(ids(pages).sort(), [5, 6, 7])
  t.same(fieldsAsked, ['state', 'write_date'])
  t.ok(queries.every((q) => JSON.stringify(q.domain[0]) === JSON.stringify(['state', '=', 'cancel'])))
})

await t.test('a walk resumed from a stored cursor, even inside a second, loses nothing', async (t) => {
  const records = [...sameSecond('2026-11-23 05:03:10', 1, 8), ...sameSecond('2026-11-23 05:03:11', 9, 3)]
  const { query } = fakeOdoo(records)
  const seen: number[] = []
  let stored: string | undefined
  for await (const page of walkByWriteDate(query, { fields: ['state'], pageSize: 3 })) {
    seen.push(...page.records.map((record) => record.id))
    stored = JSON.stringify(page.cursor)
    if (seen.length >= 3) break // the process dies after the first page
  }
  t.match(JSON.parse(stored ?? '{}'), { writeDateSecond: '2026-11-23 05:03:10', afterId: 3 })

  const resumed = await collect(walkByWriteDate(query, { fields: ['state'], pageSize: 3, after: JSON.parse(stored ?? '') as OdooCursor }))
  seen.push(...ids(resumed))
  t.same([...new Set(seen)].sort((a, b) => a - b), range(1, 11))
})

await t.test('records written during the walk come again later, and none is lost', async (t) => {
  const records = [...sameSecond('2026-11-23 05:03:10', 1, 6), ...sameSecond('2026-11-23 05:03:11', 7, 6)]
  const { query } = fakeOdoo(records)
  const seen: number[] = []
  let touched = false
  for await (const page of walkByWriteDate(query, { fields: ['state'], pageSize: 4 })) {
    seen.push(...page.records.map((record) => record.id))
    if (!touched) {
      touched = true
      // Odoo writes records 1 (already delivered) and 12 (not yet) during the walk.
      for (const id of [1, 12]) {
        const record = records.find((candidate) => candidate.id === id)
        if (record) record.writeDate = '2026-11-23 05:04:00.000123'
      }
    }
  }
  t.same([...new Set(seen)].sort((a, b) => a - b), range(1, 12), 'every record at least once')
  t.equal(seen.filter((id) => id === 1).length, 2, 'the record written after delivery comes again')
})

await t.test("the walk's last cursor re-opens its last second, so records stamped into it later are not skipped", async (t) => {
  const records = sameSecond('2026-11-23 05:03:10', 1, 2)
  const { query } = fakeOdoo(records)
  const pages = await collect(walkByWriteDate(query, { fields: ['state'], pageSize: 10 }))
  const last = pages.at(-1)?.cursor
  t.same(last, { writeDateSecond: '2026-11-23 05:03:10', afterId: 0 })

  records.push({ id: 3, writeDate: '2026-11-23 05:03:10.999999', state: 'sale' })
  const next = await collect(walkByWriteDate(query, { fields: ['state'], pageSize: 10, after: last }))
  t.ok(ids(next).includes(3))
})

await t.test('a walk over nothing yields no page', async (t) => {
  const { query } = fakeOdoo([])
  t.same(await collect(walkByWriteDate(query, { fields: ['state'], pageSize: 5 })), [])
})

await t.test('a malformed cursor or page size is refused before any query', async (t) => {
  const { query, queries } = fakeOdoo([])
  await t.rejects(collect(walkByWriteDate(query, { fields: [], pageSize: 5, after: { writeDateSecond: '2026-11-23T05:03:10Z', afterId: 0 } })), RangeError)
  await t.rejects(collect(walkByWriteDate(query, { fields: [], pageSize: 0 })), RangeError)
  t.equal(queries.length, 0)
})

await t.test('a finished second that is settled is not read again by the next walk', async (t) => {
  const records = [...sameSecond('2026-11-23 05:03:10', 1, 4), ...sameSecond('2026-11-23 05:03:11', 5, 3)]
  const { query } = fakeOdoo(records)
  const first = await collect(walkByWriteDate(query, { fields: ['state'], pageSize: 10, settledBefore: '2026-11-23 06:00:00' }))
  const cursor = first.at(-1)?.cursor
  t.same(cursor, { writeDateSecond: '2026-11-23 05:03:12', afterId: 0 })
  t.same(ids(await collect(walkByWriteDate(query, { fields: ['state'], pageSize: 10, after: cursor, settledBefore: '2026-11-23 06:00:00' }))), [])
})

await t.test('a finished second that is not settled yet is read again, since Odoo may still stamp records into it', async (t) => {
  const records = sameSecond('2026-11-23 05:03:10', 1, 4)
  const { query } = fakeOdoo(records)
  const first = await collect(walkByWriteDate(query, { fields: ['state'], pageSize: 10, settledBefore: '2026-11-23 05:03:10' }))
  t.same(first.at(-1)?.cursor, { writeDateSecond: '2026-11-23 05:03:10', afterId: 0 })
})

await t.test('a settled second walked by id beyond a page resumes after it once done', async (t) => {
  const records = sameSecond('2026-11-23 05:03:10', 1, 7)
  const { query } = fakeOdoo(records)
  const pages = await collect(walkByWriteDate(query, { fields: ['state'], pageSize: 3, settledBefore: '2026-11-23 06:00:00' }))
  t.same(ids(pages), range(1, 7))
  t.same(pages.at(-1)?.cursor, { writeDateSecond: '2026-11-23 05:03:11', afterId: 0 })
})
