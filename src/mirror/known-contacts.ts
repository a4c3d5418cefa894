import { TypedFastBitSet } from 'typedfastbitset'
import type { Queryable } from '../db/queryable.ts'
import { knownPartnerIds, largestPartnerId } from './partner-store.ts'

/**
 * Which contacts the mirror holds, as one sync run tells them: the contacts it wrote itself (a bit
 * each, so a million-order run holds about 150 kB), and the database for those the mirror held
 * when the run began. Contact ids only grow in Odoo, so one above the largest the mirror held then,
 * and not written by the run, is new: it is not looked up, which on a first sync leaves no lookup
 * at all (the lookups had cost PostgreSQL a second per 100,000 orders). One mirrored meanwhile by
 * another writer (a webhook) is read from Odoo once more, and the insert that finds it there
 * leaves it to the update, as for any contact that appears between a page's read and its write.
 */
export interface KnownContacts {
  /** Those of `ids` the mirror holds. */
  among(db: Queryable, ids: readonly number[]): Promise<Set<number>>
  /** These contacts are in the mirror now (their page committed). */
  remember(ids: Iterable<number>): void
}

/** For a sync run: what the mirror held when it began is read once, here. */
export async function knownContactsOfRun(db: Queryable): Promise<KnownContacts> {
  return knownContactsAbove(await largestPartnerId(db))
}

/** Contacts with ids above `largestAtStart` are new unless written since; one record's sync passes Infinity (every id looked up). */
export function knownContactsAbove(largestAtStart: number): KnownContacts {
  const written = new TypedFastBitSet()
  return {
    async among(db, ids) {
      const known = new Set(ids.filter((id) => written.has(id)))
      const older = ids.filter((id) => id <= largestAtStart && !known.has(id))
      if (older.length > 0) for (const id of await knownPartnerIds(db, older)) known.add(id)
      return known
    },
    remember(ids) {
      for (const id of ids) written.add(id)
    }
  }
}
