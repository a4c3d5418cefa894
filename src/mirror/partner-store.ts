import type { PoolClient } from '../db/database.ts'
import type { Queryable } from '../db/queryable.ts'
import { arrayColumn } from '../db/array-literal.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import { countSealedByKey, sealedElsewhere } from '../crypto/data-rotation.ts'
import type { Channel } from './channels.ts'
import { countUpserts } from './mirror-store.ts'
import type { UpsertCounts } from './mirror-store.ts'
import { PARTNER_PII_FIELDS } from './odoo-records.ts'
import type { PartnerPiiField } from './odoo-records.ts'
import type { SealedPartner } from './sealed-partner.ts'
import type { DueBasis } from '../retention/redaction-backlog.ts'

// Every SQL statement on the mirrored contacts (`mirror_partners`), in one place: the sync's
// writes, and the state retention keeps on each contact (due date, backlog, redaction), which
// retention and rights requests read and change through the functions below. Statements that
// follow a contact to its orders name `mirror_orders` too (mirror-store.ts holds the rest of its).

/**
 * An SQL condition on the contact with alias `contact` that a table outside the mirror decides
 * (retention's holds): `now` is the placeholder of the time it holds at. Its owner builds it.
 */
export type ContactCondition = (contact: string, now: string) => string

/** Every column of a contact that holds personal data, sealed or as a blind index. */
export const SEALED_PARTNER_COLUMNS = ['pii', 'email_index', 'phone_index', 'mobile_index'] as const

/**
 * The per-field sealed columns from before `pii` (migration 20261220100000000): read only by the
 * fold into `pii` when the service starts, and cleared wherever a contact's personal data goes.
 */
export const LEGACY_PII_COLUMNS = PARTNER_PII_FIELDS
const CLEAR_LEGACY_PII = LEGACY_PII_COLUMNS.map((column) => `${column} = NULL`).join(', ')
const CLEAR_PERSONAL_DATA = `${SEALED_PARTNER_COLUMNS.map((column) => `${column} = NULL`).join(', ')}, ${CLEAR_LEGACY_PII}`

/** The columns the sync's lookups filter on, for ANALYZE while a sync grows the table. */
export const CONTACT_LOOKUP_STATISTICS = 'mirror_partners (odoo_id, redacted_at)'

const PARTNER_COLUMNS = 'odoo_id, parent_id, type, is_company, is_user, is_company_partner, state, country, write_date, pii, email_index, phone_index, mobile_index, fingerprint, holds_pii'
const PARTNER_ARRAYS = `$1::int[], $2::int[], $3::text[], $4::bool[], $5::bool[], $6::bool[], $7::text[], $8::text[], $9::timestamptz[],
  $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::bool[]`

/** SQL condition: the contact (alias `p`) waits in the redaction backlog. */
const IN_BACKLOG = (alias: string) => `(${alias}.backlog_since IS NOT NULL AND ${alias}.backlog_approved_at IS NULL)`

// A contact waiting now, and the channel it is counted under (the channel of the rule that made it due).
const WAITING = `${IN_BACKLOG('p')} AND p.redacted_at IS NULL`
const CHANNEL = "coalesce(p.backlog_basis ->> 'channel', 'other')"

// ---------------------------------------------------------------------------------------------
// The sync

export async function knownPartnerIds(db: Queryable, ids: readonly number[]): Promise<Set<number>> {
  const result = await db.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE odoo_id = ANY($1::int[])', [ids])
  return new Set(result.rows.map((r) => r.odoo_id))
}

/** The largest id of a contact the mirror holds; 0 when it holds none. */
export async function largestPartnerId(db: Queryable): Promise<number> {
  const result = await db.query<{ largest: number | null }>('SELECT max(odoo_id) AS largest FROM mirror_partners')
  return result.rows[0]?.largest ?? 0
}

/** Inserts or updates contacts in one statement. */
export async function upsertPartners(db: Queryable, rows: readonly SealedPartner[], now: Date): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0 }
  const result = await db.query<{ inserted: boolean }>(
    `INSERT INTO mirror_partners AS p (${PARTNER_COLUMNS}, synced_at)
     SELECT r.*, $16::timestamptz FROM unnest(${PARTNER_ARRAYS}) AS r
     ON CONFLICT (odoo_id) DO UPDATE SET
       parent_id = EXCLUDED.parent_id, type = EXCLUDED.type, is_company = EXCLUDED.is_company, is_user = EXCLUDED.is_user,
       is_company_partner = EXCLUDED.is_company_partner, state = EXCLUDED.state, country = EXCLUDED.country, write_date = EXCLUDED.write_date,
       pii = EXCLUDED.pii, ${CLEAR_LEGACY_PII}, email_index = EXCLUDED.email_index,
       phone_index = EXCLUDED.phone_index, mobile_index = EXCLUDED.mobile_index, fingerprint = EXCLUDED.fingerprint,
       synced_at = EXCLUDED.synced_at, deleted_at = NULL,
       -- Personal data written into a redacted contact again (a repeat order): it is due for redaction anew.
       holds_pii = EXCLUDED.holds_pii,
       redacted_at = CASE WHEN EXCLUDED.holds_pii THEN NULL ELSE p.redacted_at END,
       redacted_fields = CASE WHEN EXCLUDED.holds_pii THEN NULL ELSE p.redacted_fields END
     WHERE p.fingerprint IS DISTINCT FROM EXCLUDED.fingerprint OR p.is_company_partner IS DISTINCT FROM EXCLUDED.is_company_partner OR p.deleted_at IS NOT NULL
     RETURNING (xmax = 0) AS inserted`,
    [...partnerColumns(rows), now]
  )
  return countUpserts(result.rows)
}

/**
 * Inserts contacts the mirror has never held together with their retention, so that each is
 * written once. Returns the ids inserted; one that appeared meanwhile is left for upsertPartners.
 */
export async function insertFirstSightPartners(db: Queryable, rows: readonly (SealedPartner & { retention: { dueAt: Date | null; fields: readonly string[] } })[], now: Date): Promise<Set<number>> {
  if (rows.length === 0) return new Set()
  const result = await db.query<{ odoo_id: number }>(
    `INSERT INTO mirror_partners (${PARTNER_COLUMNS}, retention_due_at, redaction_fields, synced_at)
     SELECT ${PARTNER_COLUMNS}, due, string_to_array(fields, ','), $18::timestamptz
       FROM unnest(${PARTNER_ARRAYS}, $16::timestamptz[], $17::text[]) AS r(${PARTNER_COLUMNS}, due, fields)
     ON CONFLICT (odoo_id) DO NOTHING
     RETURNING odoo_id`,
    [...partnerColumns(rows), arrayColumn(rows, (r) => r.retention.dueAt), arrayColumn(rows, (r) => r.retention.fields.join(',')), now]
  )
  return new Set(result.rows.map((r) => r.odoo_id))
}

function partnerColumns(rows: readonly SealedPartner[]): unknown[] {
  return [
    arrayColumn(rows, (r) => r.odooId), arrayColumn(rows, (r) => r.parentId), arrayColumn(rows, (r) => r.type), arrayColumn(rows, (r) => r.isCompany), arrayColumn(rows, (r) => r.isUser),
    arrayColumn(rows, (r) => r.isCompanyPartner), arrayColumn(rows, (r) => r.state), arrayColumn(rows, (r) => r.country), arrayColumn(rows, (r) => r.writeDate), arrayColumn(rows, (r) => r.pii),
    arrayColumn(rows, (r) => r.emailIndex), arrayColumn(rows, (r) => r.phoneIndex), arrayColumn(rows, (r) => r.mobileIndex), arrayColumn(rows, (r) => r.fingerprint), arrayColumn(rows, (r) => r.holdsPii)
  ]
}

/**
 * Contacts Odoo no longer has: marked deleted, and their sealed values and blind indexes
 * destroyed, since the mirror must not outlive Odoo's copy. Returns the ids marked now.
 */
export async function markPartnersDeleted(db: Queryable, ids: readonly number[], now: Date): Promise<number[]> {
  if (ids.length === 0) return []
  const result = await db.query<{ odoo_id: number }>(
    `UPDATE mirror_partners SET ${CLEAR_PERSONAL_DATA}, holds_pii = false, deleted_at = $2
      WHERE odoo_id = ANY($1::int[]) AND deleted_at IS NULL
      RETURNING odoo_id`,
    [ids, now]
  )
  return result.rows.map((r) => r.odoo_id)
}

/** Up to `limit` ids of contacts not marked deleted, after `after`, in order: the reconciliation's chunks. */
export async function liveContactIdsAfter(db: Queryable, after: number, limit: number): Promise<number[]> {
  const chunk = await db.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE odoo_id > $1 AND deleted_at IS NULL ORDER BY odoo_id LIMIT $2', [after, limit])
  return chunk.rows.map((r) => r.odoo_id)
}

/** A contact as stored: sealed values, never opened here. */
export interface StoredContact {
  odoo_id: number
  type: string | null
  /** Opened with openContactPii. */
  pii: string | null
  state: string | null
  country: string | null
  redacted_at: Date | null
}

export async function contactsByIds(db: Queryable, ids: readonly number[]): Promise<StoredContact[]> {
  return (await db.query<StoredContact>('SELECT odoo_id, type, pii, state, country, redacted_at FROM mirror_partners WHERE odoo_id = ANY($1::int[])', [ids])).rows
}

// ---------------------------------------------------------------------------------------------
// Key rotation

/** Sealed values of contacts still under another key than the current one (per-field ones from before `pii` included), per key id. */
export function countContactValuesByKey(db: Queryable, cipher: PiiCipher): Promise<Record<string, number>> {
  return countSealedByKey(db, cipher, 'mirror_partners', ['pii', ...LEGACY_PII_COLUMNS])
}

/** Up to `limit` contacts whose personal data is sealed under another key, locked for the caller's transaction. */
export async function lockContactsSealedElsewhere(db: PoolClient, currentKeyId: string, limit: number): Promise<{ odoo_id: number; pii: string }[]> {
  const batch = await db.query<{ odoo_id: number; pii: string }>(
    `SELECT odoo_id, pii FROM mirror_partners WHERE ${sealedElsewhere('pii', '$1')} ORDER BY odoo_id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
    [currentKeyId]
  )
  return batch.rows
}

/** Up to `limit` contacts with values in the per-field columns from before `pii`, locked for the caller's transaction. */
export async function lockContactsWithLegacyPii(db: PoolClient, limit: number): Promise<(Record<PartnerPiiField, string | null> & { odoo_id: number; pii: string | null })[]> {
  const batch = await db.query<Record<PartnerPiiField, string | null> & { odoo_id: number; pii: string | null }>(
    `SELECT odoo_id, pii, ${LEGACY_PII_COLUMNS.join(', ')} FROM mirror_partners WHERE ${LEGACY_PII_COLUMNS.map((column) => `${column} IS NOT NULL`).join(' OR ')}
      ORDER BY odoo_id LIMIT ${limit} FOR UPDATE SKIP LOCKED`
  )
  return batch.rows
}

/** Writes a contact's values sealed anew, and the blind indexes rebuilt from them: column to value. */
export async function writeResealedContact(db: Queryable, odooId: number, sealed: Record<string, string | null>): Promise<void> {
  const columns = Object.keys(sealed)
  await db.query(`UPDATE mirror_partners SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE odoo_id = $1`, [odooId, ...Object.values(sealed)])
}

// ---------------------------------------------------------------------------------------------
// Retention: due dates and holds

/**
 * Writes contacts' due dates and fields to redact; returns those whose due date or fields moved.
 * Redacted contacts stay as they are, and so do those a granted erasure made due: its decision
 * outranks the orders' rules until the contact is redacted.
 */
export async function writeContactRetention(db: Queryable, plans: readonly { id: number; dueAt: Date | null; fields: readonly string[] }[]): Promise<{ partnerId: number; dueAt: Date | null }[]> {
  const moved = await db.query<{ odoo_id: number; retention_due_at: Date | null }>(
    `UPDATE mirror_partners p SET retention_due_at = d.due, redaction_fields = string_to_array(d.fields, ',')
       FROM unnest($1::int[], $2::timestamptz[], $3::text[]) AS d(id, due, fields)
      WHERE p.odoo_id = d.id AND p.redacted_at IS NULL AND p.erasure_request_id IS NULL
        AND (p.retention_due_at IS DISTINCT FROM d.due OR p.redaction_fields IS DISTINCT FROM string_to_array(d.fields, ','))
      RETURNING p.odoo_id, p.retention_due_at`,
    [plans.map((p) => p.id), plans.map((p) => p.dueAt), plans.map((p) => p.fields.join(','))]
  )
  return moved.rows.map((row) => ({ partnerId: row.odoo_id, dueAt: row.retention_due_at }))
}

/** A contact whose retention extendContactRetention moved. */
export interface ExtendedContact {
  partnerId: number
  dueAt: Date | null
  /** Present when one of the contact's older orders still decides its due date: that order's rule. */
  olderBasis?: DueBasis | null
}

/**
 * Contacts named by orders just inserted, each with the retention those orders alone give it,
 * folded into what the contact has without reading all its other orders. A contact is due when the
 * last of its orders is, never while one of them has no clock, and loses the union of their fields;
 * every order names at least one field, so a contact planned with no field has no order. Returns
 * the contacts whose due date or fields moved, and those never planned (mirrored on their own),
 * which only a recomputation from all their orders can settle. Redacted contacts, and those a
 * granted erasure made due, stay as they are (as in writeContactRetention).
 */
export async function extendContactRetention(db: Queryable, plans: readonly { id: number; dueAt: Date | null; fields: readonly string[] }[]): Promise<{ moved: ExtendedContact[]; unsettled: number[] }> {
  if (plans.length === 0) return { moved: [], unsettled: [] }
  const open = 'p.redacted_at IS NULL AND p.erasure_request_id IS NULL'
  const fieldsGrow = 'NOT (p.redaction_fields @> d.fields)'
  const due = 'CASE WHEN cardinality(p.redaction_fields) = 0 THEN d.due WHEN p.retention_due_at IS NULL OR d.due IS NULL THEN NULL ELSE greatest(p.retention_due_at, d.due) END'
  // After the update: the contact is due, and not when the new orders are.
  const olderDecides = 'p.retention_due_at IS NOT NULL AND p.retention_due_at IS DISTINCT FROM d.due'
  const decidingBasis = ['partner_id', 'partner_invoice_id', 'partner_shipping_id']
    .map((column) => `SELECT o.retention_basis FROM mirror_orders o WHERE o.${column} = p.odoo_id AND o.retention_due_at = p.retention_due_at`)
    .join(' UNION ALL ')
  const result = await db.query<{ odoo_id: number; due: Date | null; older_decides: boolean; older_basis: DueBasis | null; unsettled: boolean }>(
    `WITH d AS (SELECT id, due, string_to_array(fields, ',') AS fields FROM unnest($1::int[], $2::timestamptz[], $3::text[]) AS d(id, due, fields)),
     moved AS (
       UPDATE mirror_partners p SET retention_due_at = ${due},
              redaction_fields = ARRAY(SELECT f FROM unnest($4::text[]) WITH ORDINALITY AS c(f, n) WHERE f = ANY(p.redaction_fields) OR f = ANY(d.fields) ORDER BY n)
         FROM d
        WHERE p.odoo_id = d.id AND ${open} AND p.redaction_fields IS NOT NULL AND (p.retention_due_at IS DISTINCT FROM ${due} OR ${fieldsGrow})
        RETURNING p.odoo_id, p.retention_due_at AS due, ${olderDecides} AS older_decides, CASE WHEN ${olderDecides} THEN (${decidingBasis} LIMIT 1) END AS older_basis)
     SELECT odoo_id, due, older_decides, older_basis, false AS unsettled FROM moved
     UNION ALL
     SELECT p.odoo_id, NULL, false, NULL, true FROM mirror_partners p JOIN d ON p.odoo_id = d.id WHERE ${open} AND p.redaction_fields IS NULL`,
    [plans.map((p) => p.id), plans.map((p) => p.dueAt), plans.map((p) => p.fields.join(',')), PARTNER_PII_FIELDS]
  )
  return {
    moved: result.rows.filter((row) => !row.unsettled).map((row) => ({ partnerId: row.odoo_id, dueAt: row.due, ...(row.older_decides ? { olderBasis: row.older_basis } : {}) })),
    unsettled: result.rows.filter((row) => row.unsettled).map((row) => row.odoo_id)
  }
}

/**
 * A granted erasure: these contacts (not redacted yet) are due now for every field, and released
 * from the redaction backlog, since a person decided. They are claimed for `claim` while the request
 * redacts them itself, and keep the request's id, for the audit of a redaction job that finishes
 * what the request could not (Odoo down).
 */
export async function makeDueForErasure(db: Queryable, ids: readonly number[], now: Date, fields: readonly PartnerPiiField[], erasure: { requestId: string; claim: string }): Promise<void> {
  await db.query(
    `UPDATE mirror_partners SET retention_due_at = $2, redaction_fields = $3, backlog_approved_at = CASE WHEN backlog_since IS NULL THEN backlog_approved_at ELSE coalesce(backlog_approved_at, $2) END,
            erasure_request_id = $4, redaction_claim = $5, redaction_claimed_at = $2
      WHERE odoo_id = ANY($1::int[]) AND redacted_at IS NULL`,
    [ids, now, fields, erasure.requestId, erasure.claim]
  )
}

/** The contacts among `ids` that meet `condition` (e.g. retention's holds) at `now`. */
export async function contactsMeeting(db: Queryable, ids: readonly number[], condition: ContactCondition, now: Date): Promise<Set<number>> {
  if (ids.length === 0) return new Set<number>()
  const result = await db.query<{ odoo_id: number }>(`SELECT p.odoo_id FROM mirror_partners p WHERE p.odoo_id = ANY($1::int[]) AND ${condition('p', '$2')}`, [ids, now])
  return new Set(result.rows.map((r) => r.odoo_id))
}

/** SQL: a contact whose e-mail's blind index is among `indexes` (an SQL expression), with its id and sealed e-mail. */
export function contactWithEmailIndexIn(indexes: string): string {
  return `SELECT odoo_id, pii FROM mirror_partners WHERE email_index = ANY(${indexes}) AND pii IS NOT NULL`
}

// ---------------------------------------------------------------------------------------------
// Retention: the redaction backlog

/** Contacts no longer due leave the backlog (unless already approved). */
export async function leaveBacklog(db: Queryable, ids: readonly number[]): Promise<void> {
  await db.query('UPDATE mirror_partners SET backlog_since = NULL, backlog_basis = NULL WHERE odoo_id = ANY($1::int[]) AND backlog_since IS NOT NULL AND backlog_approved_at IS NULL', [ids])
}

/** Of these contacts, those the backlog has decided on: waiting, or approved. */
export async function backlogDecisions(db: Queryable, ids: readonly number[]): Promise<{ partnerId: number; waiting: boolean }[]> {
  const known = await db.query<{ odoo_id: number; waiting: boolean }>(
    `SELECT odoo_id, ${IN_BACKLOG('p')} AS waiting FROM mirror_partners p WHERE odoo_id = ANY($1::int[]) AND (backlog_since IS NOT NULL OR backlog_approved_at IS NOT NULL)`,
    [ids]
  )
  return known.rows.map((row) => ({ partnerId: row.odoo_id, waiting: row.waiting }))
}

/** These contacts (not redacted) wait in the backlog from `now`, each with the rule that made it due. */
export async function enterBacklog(db: Queryable, plans: readonly { partnerId: number; basis: object | null }[], now: Date): Promise<void> {
  await db.query(
    `UPDATE mirror_partners p SET backlog_since = $3, backlog_basis = d.basis
       FROM unnest($1::int[], $2::jsonb[]) AS d(id, basis) WHERE p.odoo_id = d.id AND p.redacted_at IS NULL`,
    [plans.map((plan) => plan.partnerId), plans.map((plan) => (plan.basis ? JSON.stringify(plan.basis) : null)), now]
  )
}

export async function countBacklog(db: Queryable): Promise<number> {
  const queued = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM mirror_partners p WHERE ${WAITING}`)
  return queued.rows[0]?.n ?? 0
}

/** The waiting contacts grouped by channel and rule (policy version, clock event). */
export async function backlogByRule(db: Queryable): Promise<{ channel: Channel; policy_version: number | null; started_by: string | null; contacts: number; since: Date; oldest_due: Date }[]> {
  const rows = await db.query<{ channel: Channel; policy_version: number | null; started_by: string | null; contacts: number; since: Date; oldest_due: Date }>(
    `SELECT ${CHANNEL} AS channel, (backlog_basis ->> 'policyVersion')::int AS policy_version, backlog_basis ->> 'startedBy' AS started_by,
            count(*)::int AS contacts, min(backlog_since) AS since, min(retention_due_at) AS oldest_due
       FROM mirror_partners p WHERE ${WAITING}
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`
  )
  return rows.rows
}

/** Up to five waiting contacts per channel, the first due first; their names stay sealed. */
export async function backlogSamples(db: Queryable): Promise<{ channel: Channel; odoo_id: number; pii: string | null; retention_due_at: Date }[]> {
  const samples = await db.query<{ channel: Channel; odoo_id: number; pii: string | null; retention_due_at: Date }>(
    `SELECT channel, odoo_id, pii, retention_due_at FROM (
       SELECT ${CHANNEL} AS channel, odoo_id, pii, retention_due_at,
              row_number() OVER (PARTITION BY ${CHANNEL} ORDER BY retention_due_at, odoo_id) AS n
         FROM mirror_partners p WHERE ${WAITING}) s
      WHERE n <= 5 ORDER BY channel, n`
  )
  return samples.rows
}

/** Approves the waiting contacts of these channels (all when null); returns how many per channel. */
export async function approveBacklog(db: Queryable, channels: readonly Channel[] | null, now: Date, by: string): Promise<Record<string, number>> {
  const approved = await db.query<{ channel: Channel; n: number }>(
    `WITH approved AS (
       UPDATE mirror_partners p SET backlog_approved_at = $2, backlog_approved_by = $3
        WHERE ${WAITING} AND ($1::text[] IS NULL OR ${CHANNEL} = ANY($1::text[]))
        RETURNING ${CHANNEL} AS channel)
     SELECT channel, count(*)::int AS n FROM approved GROUP BY channel ORDER BY channel`,
    [channels, now, by]
  )
  return Object.fromEntries(approved.rows.map((row) => [row.channel, row.n]))
}

export async function backlogByChannel(db: Queryable): Promise<Map<Channel, number>> {
  const rows = await db.query<{ channel: Channel; n: number }>(
    `SELECT ${CHANNEL} AS channel, count(*)::int AS n FROM mirror_partners p WHERE ${WAITING} GROUP BY 1`
  )
  return new Map(rows.rows.map((row) => [row.channel, row.n]))
}

// ---------------------------------------------------------------------------------------------
// Retention: redaction

export interface RedactionCandidate {
  odoo_id: number
  redaction_fields: PartnerPiiField[]
  redacted_fields: PartnerPiiField[] | null
}

/**
 * The contacts among `ids` due by `now` with fields still to redact; in dry-run, those not
 * simulated yet. None waiting in the backlog.
 */
export async function redactionCandidates(db: Queryable, ids: readonly number[], now: Date, mode: 'enforce' | 'dry-run'): Promise<RedactionCandidate[]> {
  const due = await db.query<RedactionCandidate>(
    `SELECT odoo_id, redaction_fields, redacted_fields FROM mirror_partners p
      WHERE odoo_id = ANY($1::int[]) AND retention_due_at <= $2 AND redaction_fields IS NOT NULL
        AND (redacted_at IS NULL OR NOT (redacted_fields @> redaction_fields))
        AND ($3 = 'enforce' OR dry_run_at IS NULL)
        -- A job queued before the contact joined the backlog must not redact it unapproved.
        AND NOT ${IN_BACKLOG('p')}`,
    [ids, now, mode]
  )
  return due.rows
}

/**
 * Destroys the sealed PII of contacts redacted in Odoo (country, state, amounts and dates stay)
 * and marks redacted the orders whose every contact now is. Returns the contacts marked now.
 */
export async function markContactsRedacted(db: Queryable, ids: readonly number[], fields: readonly PartnerPiiField[], now: Date): Promise<number[]> {
  // Every sealed value and blind index goes, not only the policy's fields: the mirror keeps no personal data of a redacted contact.
  const updated = await db.query<{ odoo_id: number }>(
    `UPDATE mirror_partners SET ${CLEAR_PERSONAL_DATA}, holds_pii = false, redacted_at = $2,
            redacted_fields = ARRAY(SELECT DISTINCT unnest(COALESCE(redacted_fields, '{}') || $3::text[]) ORDER BY 1), redaction_failure = NULL,
            redaction_claim = NULL, redaction_claimed_at = NULL, erasure_request_id = NULL
      WHERE odoo_id = ANY($1::int[]) AND (redacted_fields IS NULL OR NOT (redacted_fields @> $3::text[]))
      RETURNING odoo_id`,
    [ids, now, fields]
  )
  const redacted = updated.rows.map((r) => r.odoo_id)
  // The orders are looked up through each contact column's index first, then by key: with the
  // three columns OR-ed (or joined), the planner scanned every order not yet redacted, each batch
  // (O(orders): 70 ms a batch at 37k orders).
  await db.query(
    `UPDATE mirror_orders o SET redacted_at = $2
      WHERE o.odoo_id = ANY(ARRAY(SELECT odoo_id FROM mirror_orders WHERE partner_id = ANY($1::int[])
                                  UNION SELECT odoo_id FROM mirror_orders WHERE partner_invoice_id = ANY($1::int[])
                                  UNION SELECT odoo_id FROM mirror_orders WHERE partner_shipping_id = ANY($1::int[])))
        AND o.redacted_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM mirror_partners p WHERE p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id) AND p.redacted_at IS NULL)`,
    [redacted, now]
  )
  return redacted
}

/** A dry run's redaction of these contacts, recorded so that it is simulated once. */
export async function markRedactionSimulated(db: Queryable, ids: readonly number[], now: Date): Promise<void> {
  await db.query('UPDATE mirror_partners SET dry_run_at = $2 WHERE odoo_id = ANY($1::int[])', [ids, now])
}

/** Keeps why a contact was not redacted; false when it already had this very failure. */
export async function recordRedactionFailure(db: Queryable, id: number, failure: object): Promise<boolean> {
  const changed = await db.query(
    `UPDATE mirror_partners SET redaction_failure = $2 WHERE odoo_id = $1 AND redaction_failure IS DISTINCT FROM $2 RETURNING odoo_id`,
    [id, failure]
  )
  return changed.rowCount !== 0
}

/**
 * SQL condition: the contact `p` is due by `now` (a placeholder), not redacted, without a recorded
 * failure, has fields to redact, does not wait in the backlog, is not held (`held`) and, in a dry
 * run (`dryRun`, a boolean placeholder), was not simulated yet: a redaction job's to take.
 */
function dueForRedaction(now: string, dryRun: string, held: ContactCondition): string {
  return `p.retention_due_at <= ${now} AND p.redacted_at IS NULL AND p.redaction_failure IS NULL AND p.redaction_fields IS NOT NULL
        AND (NOT ${dryRun} OR p.dry_run_at IS NULL)
        AND NOT ${IN_BACKLOG('p')}
        AND NOT ${held('p', now)}`
}

/** How many contacts are due for redaction by `now` (claimed by a running job or not): what the sweeper reports. */
export async function countDueForRedaction(db: Queryable, options: { now: Date; dryRun: boolean; held: ContactCondition }): Promise<number> {
  const due = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM mirror_partners p WHERE ${dueForRedaction('$1', '$2', options.held)}`, [options.now, options.dryRun])
  return due.rows[0]?.n ?? 0
}

export interface RedactionClaim {
  odoo_id: number
  /** The erasure request that made the contact due, if one did. */
  erasure_request_id: string | null
}

/**
 * Claims up to `limit` contacts due for redaction for `claim` (a redaction job's id), the first due
 * first: those without a claim, those `claim` holds already (a retried job takes its own back), and
 * those claimed before `leaseStart` (a dead worker's). Rows another transaction is claiming are
 * skipped, so two jobs never hold the same contact. `exclude`: contacts this job already tried and
 * left due (skipped), not to be taken again in the same run.
 */
export async function claimRedactionBatch(
  db: Queryable,
  options: { claim: string; now: Date; leaseStart: Date; dryRun: boolean; limit: number; held: ContactCondition; exclude: readonly number[] }
): Promise<RedactionClaim[]> {
  const claimed = await db.query<RedactionClaim>(
    `UPDATE mirror_partners SET redaction_claim = $3, redaction_claimed_at = $1
      WHERE odoo_id IN (
        SELECT p.odoo_id FROM mirror_partners p
         WHERE ${dueForRedaction('$1', '$2', options.held)}
           AND (p.redaction_claim IS NULL OR p.redaction_claim = $3 OR p.redaction_claimed_at < $4)
           AND p.odoo_id <> ALL($6::int[])
         ORDER BY p.retention_due_at, p.odoo_id
         LIMIT $5
         FOR UPDATE OF p SKIP LOCKED)
      RETURNING odoo_id, erasure_request_id`,
    [options.now, options.dryRun, options.claim, options.leaseStart, options.limit, options.exclude]
  )
  return claimed.rows.sort((a, b) => a.odoo_id - b.odoo_id)
}

/** Gives up `claim`'s hold on these contacts (done, failed, or left due for a later run). */
export async function releaseRedactionClaims(db: Queryable, claim: string, ids: readonly number[]): Promise<void> {
  await db.query('UPDATE mirror_partners SET redaction_claim = NULL, redaction_claimed_at = NULL WHERE odoo_id = ANY($1::int[]) AND redaction_claim = $2', [ids, claim])
}

// ---------------------------------------------------------------------------------------------
// Retention: the report

/** Per channel: contacts on its orders (a contact counts in each of its channels) by retention state, and orders not redacted. */
export async function contactFiguresByChannel(db: Queryable, window: { now: Date; weekEnd: Date }, held: ContactCondition): Promise<(Record<string, number> & { channel: Channel })[]> {
  const figures = await db.query<Record<string, number> & { channel: Channel }>(
    `WITH contact_channels AS (
       SELECT DISTINCT o.channel, p.odoo_id, p.retention_due_at, p.redacted_at, p.redaction_failure, ${held('p', '$1')} AS held, ${IN_BACKLOG('p')} AS backlog
         FROM mirror_orders o JOIN mirror_partners p ON p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id))
     SELECT c.channel,
            (SELECT count(*) FROM mirror_orders o WHERE o.channel = c.channel AND o.redacted_at IS NULL)::int AS "ordersWithPii",
            count(*) FILTER (WHERE redacted_at IS NULL)::int AS "contactsWithPii",
            count(*) FILTER (WHERE redacted_at IS NULL AND retention_due_at > $1 AND retention_due_at <= $2)::int AS "dueNext7Days",
            count(*) FILTER (WHERE redacted_at IS NULL AND retention_due_at <= $1 AND NOT held)::int AS overdue,
            count(*) FILTER (WHERE redacted_at IS NOT NULL)::int AS redacted,
            count(*) FILTER (WHERE redacted_at IS NULL AND held)::int AS "onHold",
            count(*) FILTER (WHERE redacted_at IS NULL AND redaction_failure IS NOT NULL)::int AS failed,
            count(*) FILTER (WHERE redacted_at IS NULL AND retention_due_at <= $1 AND NOT held AND backlog)::int AS "awaitingApproval"
       FROM contact_channels c GROUP BY c.channel ORDER BY c.channel`,
    [window.now, window.weekEnd]
  )
  return figures.rows
}

/** Contacts not redacted that the channel's orders name, with their due date and whether a hold keeps them. */
export async function contactsOfChannel(db: Queryable, channel: Channel, now: Date, held: ContactCondition): Promise<{ odoo_id: number; retention_due_at: Date | null; held: boolean }[]> {
  const result = await db.query<{ odoo_id: number; retention_due_at: Date | null; held: boolean }>(
    `SELECT p.odoo_id, p.retention_due_at, ${held('p', '$2')} AS held FROM mirror_partners p
      WHERE p.redacted_at IS NULL AND p.odoo_id IN (
        SELECT partner_id FROM mirror_orders WHERE channel = $1 UNION SELECT partner_invoice_id FROM mirror_orders WHERE channel = $1
        UNION SELECT partner_shipping_id FROM mirror_orders WHERE channel = $1)`,
    [channel, now]
  )
  return result.rows
}

export interface DueContact {
  odoo_id: number
  retention_due_at: Date
  channels: Channel[]
  started_by: string[]
  redaction_fields: string[]
  held: boolean
  backlog: boolean
  failure: { kind: string } | null
}

/** Contacts not redacted and due by `asOf`, with their orders' channels and clock events, the first due first. */
export async function contactsDueBy(db: Queryable, asOf: Date, now: Date, held: ContactCondition): Promise<DueContact[]> {
  const result = await db.query<DueContact>(
    `SELECT p.odoo_id, p.retention_due_at, p.redaction_fields, p.redaction_failure AS failure, ${held('p', '$2')} AS held, ${IN_BACKLOG('p')} AS backlog,
            ARRAY(SELECT DISTINCT o.channel FROM mirror_orders o WHERE p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id) ORDER BY 1) AS channels,
            ARRAY(SELECT DISTINCT o.retention_basis ->> 'startedBy' FROM mirror_orders o WHERE p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id) ORDER BY 1) AS started_by
       FROM mirror_partners p
      WHERE p.redacted_at IS NULL AND p.retention_due_at <= $1
      ORDER BY p.retention_due_at, p.odoo_id`,
    [asOf, now]
  )
  return result.rows
}

// ---------------------------------------------------------------------------------------------
// Rights requests: finding the subject

/** Contacts whose e-mail, phone or mobile has one of these blind indexes, and which matched. */
export async function contactsByBlindIndexes(db: Queryable, emailIndexes: readonly string[], phoneIndexes: readonly string[]): Promise<{ odoo_id: number; by_email: boolean; by_phone: boolean }[]> {
  const mirrored = await db.query<{ odoo_id: number; by_email: boolean; by_phone: boolean }>(
    `SELECT odoo_id, email_index = ANY($1::text[]) AS by_email, (phone_index = ANY($2::text[]) OR mobile_index = ANY($2::text[])) AS by_phone
       FROM mirror_partners WHERE email_index = ANY($1::text[]) OR phone_index = ANY($2::text[]) OR mobile_index = ANY($2::text[])`,
    [emailIndexes, phoneIndexes]
  )
  return mirrored.rows
}

export interface ContactSummary {
  odoo_id: number
  type: string | null
  /** Opened with openContactPii. */
  pii: string | null
  country: string | null
  redacted_at: Date | null
  orders: number
  open_orders: number
}

/** These contacts, sealed, with how many orders name them and how many of those are still open. */
export async function contactSummaries(db: Queryable, ids: readonly number[]): Promise<ContactSummary[]> {
  const rows = await db.query<ContactSummary>(
    `SELECT p.odoo_id, p.type, p.pii, p.country, p.redacted_at,
            (SELECT count(*) FROM mirror_orders o WHERE p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id))::int AS orders,
            (SELECT count(*) FROM mirror_orders o WHERE p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id)
                AND o.state NOT IN ('cancel') AND o.completed_at IS NULL AND o.deleted_at IS NULL)::int AS open_orders
       FROM mirror_partners p WHERE p.odoo_id = ANY($1::int[]) ORDER BY p.odoo_id`,
    [ids]
  )
  return rows.rows
}

/** The sealed personal data of these contacts that have any. */
export async function sealedPiiOf(db: Queryable, ids: readonly number[]): Promise<{ odoo_id: number; pii: string }[]> {
  return (await db.query<{ odoo_id: number; pii: string }>('SELECT odoo_id, pii FROM mirror_partners WHERE odoo_id = ANY($1::int[]) AND pii IS NOT NULL ORDER BY odoo_id', [ids])).rows
}

/** Of these contacts, those redacted in the mirror. */
export async function redactedPartnerIds(db: Queryable, ids: readonly number[]): Promise<number[]> {
  const result = await db.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE odoo_id = ANY($1::int[]) AND redacted_at IS NOT NULL', [ids])
  return result.rows.map((r) => r.odoo_id)
}

/**
 * Per contact, the basis of the order that made it due (the one due when the contact is), with the
 * event's date and the due date: what a redaction's audit entry says of why.
 */
export async function dueBasesOf(db: Queryable, ids: readonly number[]): Promise<Map<number, Record<string, unknown>>> {
  const rows = await db.query<{ odoo_id: number; due: Date | null; basis: Record<string, unknown> | null; event_at: Date | null }>(
    `SELECT p.odoo_id, p.retention_due_at AS due, d.basis, d.event_at FROM mirror_partners p
       LEFT JOIN LATERAL (
         SELECT o.retention_basis AS basis,
                CASE o.retention_basis ->> 'startedBy' WHEN 'order_date' THEN o.order_date WHEN 'shipped' THEN o.shipped_at
                  WHEN 'completed' THEN o.completed_at WHEN 'cancelled' THEN o.cancelled_at END AS event_at
           FROM mirror_orders o
          WHERE (o.partner_id = p.odoo_id OR o.partner_invoice_id = p.odoo_id OR o.partner_shipping_id = p.odoo_id) AND o.retention_due_at = p.retention_due_at
          ORDER BY o.odoo_id LIMIT 1) d ON true
      WHERE p.odoo_id = ANY($1::int[])`,
    [ids]
  )
  return new Map(rows.rows.map((row) => [row.odoo_id, { ...row.basis, eventAt: row.event_at?.toISOString() ?? null, dueAt: row.due?.toISOString() ?? null }]))
}
