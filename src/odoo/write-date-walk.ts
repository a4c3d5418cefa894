import { OdooUnexpectedError } from './errors.ts'
import type { OdooDomain, OdooRecord } from './odoo-types.ts'

/**
 * Where a walk resumes: with the records whose `write_date` falls in the second `writeDateSecond`
 * (UTC, as Odoo prints it) and whose id is above `afterId`, then with every later second. All
 * records before that point have been delivered. `afterId` 0 means the whole second, and a page
 * that finishes a second re-opens it, because Odoo may still stamp more records into that second:
 * those records come again on the next walk (at-least-once), none is skipped.
 * Plain JSON, meant to be stored and handed back after a restart.
 */
export interface OdooCursor {
  writeDateSecond: string
  afterId: number
}

export interface WalkPage {
  records: OdooRecord[]
  cursor: OdooCursor
}

export interface WalkOptions {
  domain?: OdooDomain
  fields: readonly string[]
  pageSize: number
  after?: OdooCursor
  /**
   * Seconds before this one (`YYYY-MM-DD HH:MM:SS`, UTC) are settled: no transaction still open
   * can stamp a record into them, so a finished settled second is not re-opened. Without it the
   * last second of a walk is read again by the next walk, however long ago it was.
   */
  settledBefore?: string
}

export type PageQuery = (domain: OdooDomain, options: { fields: string[]; limit: number; order: string }) => Promise<OdooRecord[]>

const SECOND = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/

/**
 * Walks the records of a domain in (write_date second, id) order, a page at a time.
 *
 * Odoo stores `write_date` with microseconds but returns it truncated to the second, so a record's
 * returned value cannot be compared with `=` or `>` (16 and 18 compare against the hidden
 * microseconds, 19 against the second), and `write_date asc, id asc` orders a second's records by
 * their microseconds, not by id. The walk therefore only compares with `>=` and `<` at whole-second
 * boundaries (which mean the same on every version), never ends a page inside a second (the
 * trailing second is dropped and read again by the next page), and walks a second holding more
 * records than a page by id, inside `[second, second + 1)`.
 */
export async function* walkByWriteDate(query: PageQuery, options: WalkOptions): AsyncGenerator<WalkPage> {
  const { domain = [], pageSize } = options
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError('pageSize must be a positive integer')
  if (options.after !== undefined) assertCursor(options.after)
  const fields = options.fields.includes('write_date') ? [...options.fields] : [...options.fields, 'write_date']
  // One record more than a page tells, without another query, whether the page ends a second.
  const limit = pageSize + 1

  let second = options.after?.writeDateSecond
  let afterId = options.after?.afterId ?? 0
  let insideSecond = afterId > 0
  const settledBefore = options.settledBefore
  // Where to resume once a second has been read whole: past it if it is settled, else at it again.
  const finished = (done: string): OdooCursor => ({ writeDateSecond: settledBefore !== undefined && done < settledBefore ? nextSecond(done) : done, afterId: 0 })

  for (;;) {
    if (insideSecond && second !== undefined) {
      const bucket = await query(
        [...domain, ['write_date', '>=', second], ['write_date', '<', nextSecond(second)], ['id', '>', afterId]],
        { fields, limit, order: 'id asc' }
      )
      if (bucket.length === limit) {
        const page = bucket.slice(0, pageSize)
        afterId = lastOf(page).id
        yield { records: page, cursor: { writeDateSecond: second, afterId } }
        continue
      }
      if (bucket.length > 0) yield { records: bucket, cursor: finished(second) }
      second = nextSecond(second)
      afterId = 0
      insideSecond = false
      continue
    }

    const scan = await query(second === undefined ? [...domain] : [...domain, ['write_date', '>=', second]], {
      fields,
      limit,
      order: 'write_date asc, id asc'
    })
    if (scan.length === 0) return
    if (scan.length < limit) {
      yield { records: scan, cursor: finished(secondOf(lastOf(scan))) }
      return
    }
    const trailingSecond = secondOf(lastOf(scan))
    const completeSeconds = scan.filter((record) => secondOf(record) !== trailingSecond)
    second = trailingSecond
    if (completeSeconds.length > 0) {
      yield { records: completeSeconds, cursor: { writeDateSecond: trailingSecond, afterId: 0 } }
    } else {
      insideSecond = true
    }
  }
}

function assertCursor(cursor: OdooCursor): void {
  if (!SECOND.test(cursor.writeDateSecond) || !Number.isInteger(cursor.afterId) || cursor.afterId < 0) {
    throw new RangeError('not an Odoo cursor: expected { writeDateSecond: "YYYY-MM-DD HH:MM:SS", afterId: integer >= 0 }')
  }
}

function lastOf(records: OdooRecord[]): OdooRecord {
  const last = records.at(-1)
  if (last === undefined) throw new RangeError('empty page')
  return last
}

function secondOf(record: OdooRecord): string {
  const writeDate = record.write_date
  if (typeof writeDate !== 'string' || !SECOND.test(writeDate.slice(0, 19))) {
    throw new OdooUnexpectedError(`record ${record.id} has no readable write_date`)
  }
  return writeDate.slice(0, 19)
}

export function nextSecond(second: string): string {
  const next = new Date(`${second.replace(' ', 'T')}Z`).getTime() + 1000
  return new Date(next).toISOString().slice(0, 19).replace('T', ' ')
}
