import { randomBytes } from 'node:crypto'
import type { PoolClient } from '../db/database.ts'
import type { Queryable } from '../db/queryable.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import { countSealedByKey, sealedElsewhere } from '../crypto/data-rotation.ts'
import { statementWithTimeout } from '../db/queryable.ts'
import { CLOSED_STATES, OPEN_STATES } from './request-states.ts'
import type { RequestAction } from './request-states.ts'
import type { PendingApproval } from './request-approval.ts'
import type { DenialReason, Jurisdiction, RequestState, RequestType } from './request-types.ts'
import type { SubjectConfirmation } from './subject-discovery.ts'

/** A request as stored: identifiers sealed, everything else as the API shows it. */
export interface StoredRequest {
  id: string
  type: RequestType
  jurisdiction: Jurisdiction
  source: 'api' | 'email'
  state: RequestState
  language: string
  receivedAt: Date
  dueAt: Date
  targetAt: Date
  acknowledgeBy: Date | null
  /** All null once the identifiers were destroyed, RIGHTS_RECORD_RETENTION_DAYS after closure. */
  sealed: { email: string | null; phone: string | null; name: string | null; orderRefs: string | null }
  emailIndex: string | null
  extension: { until: string; reason: string; noticeAt: string } | null
  /** `approvedBy`: the second key, when RIGHTS_APPROVAL had a manual verification approved. */
  verification: { method: 'code' | 'manual'; at: string; by: string; approvedBy?: string; evidence?: string } | null
  denial: { reason: DenialReason; detail?: string } | null
  subjectPartnerIds: number[]
  /** The contacts an agent named as the subject, when discovery alone could not attach them. */
  subjectConfirmation: SubjectConfirmation | null
  outcome: Record<string, unknown> | null
  /** An action waiting for a second key, and its input sealed (`request:<id>:approval_input`). */
  approval: PendingApproval | null
  approvalInput: string | null
  createdBy: string
  updatedAt: Date
  completedAt: Date | null
  identifiersPurgedAt: Date | null
}

export interface RequestEvent {
  at: Date
  actor: string
  action:
    | RequestAction
    | 'created'
    | 'extended'
    | 'discovered'
    | 'reclassified'
    | 'mail_received'
    | 'identifiers_purged'
    | 'subject_needs_confirmation'
    | 'subject_confirmed'
    | 'approval_requested'
    | 'approved'
    | 'approval_rejected'
  fromState: RequestState | null
  toState: RequestState
  details: Record<string, unknown>
}

export interface RequestFilters {
  state?: RequestState
  type?: RequestType
  dueBefore?: Date
  overdueAt?: Date
  awaitingApproval?: boolean
  /** Only requests still open: received, awaiting verification, verified or in progress. */
  open?: boolean
  /** `id` (the default) or `due`: soonest deadline first, ties by id. */
  sort?: RequestSort
  /** The cursor of the previous page: an id, or for `due` the `nextCursor` that `requestCursor` made. */
  after?: string
  limit: number
}

export type RequestSort = 'id' | 'due'

/** The cursor that continues a listing after this request. */
export function requestCursor(request: Pick<StoredRequest, 'id' | 'dueAt'>, sort: RequestSort): string {
  return sort === 'due' ? `${request.dueAt.toISOString()}_${request.id}` : request.id
}

/** A `due` cursor's deadline and id; undefined for one `requestCursor` did not make. */
export function parseDueCursor(cursor: string): { dueAt: Date; id: string } | undefined {
  const [at, id] = cursor.split('_')
  const dueAt = new Date(at ?? '')
  return id && !Number.isNaN(dueAt.getTime()) ? { dueAt, id } : undefined
}

// Crockford's base32 without look-alikes: readable on the phone and in a mail subject.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

export function newRequestId(): string {
  return `RR-${[...randomBytes(10)].map((b) => ALPHABET[b % 32]).join('')}`
}

export async function insertRequest(db: Queryable, request: StoredRequest): Promise<void> {
  await db.query(
    `INSERT INTO rights_requests (id, type, jurisdiction, source, state, language, received_at, due_at, target_at, acknowledge_by,
                                  email, email_index, phone, name, order_refs, created_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
    [request.id, request.type, request.jurisdiction, request.source, request.state, request.language, request.receivedAt, request.dueAt, request.targetAt, request.acknowledgeBy,
      request.sealed.email, request.emailIndex, request.sealed.phone, request.sealed.name, request.sealed.orderRefs, request.createdBy, request.updatedAt]
  )
}

export async function findRequest(db: Queryable, id: string, options: { lock?: boolean } = {}): Promise<StoredRequest | undefined> {
  const result = await db.query<RequestRow>(`SELECT * FROM rights_requests WHERE id = $1 ${options.lock ? 'FOR UPDATE' : ''}`, [id])
  return result.rows[0] ? toStored(result.rows[0]) : undefined
}

export async function listRequests(db: Queryable, filters: RequestFilters): Promise<StoredRequest[]> {
  const sort = filters.sort ?? 'id'
  const due = sort === 'due' && filters.after !== undefined ? parseDueCursor(filters.after) : undefined
  const result = await db.query<RequestRow>(
    `SELECT * FROM rights_requests
      WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR type = $2) AND ($3::timestamptz IS NULL OR due_at < $3)
        AND ($4::timestamptz IS NULL OR (due_at < $4 AND state = ANY($10::text[])))
        AND ($5::text IS NULL OR id > $5) AND ($7::boolean IS NULL OR (approval IS NOT NULL) = $7)
        AND ($8::boolean IS NOT TRUE OR state = ANY($10::text[]))
        AND ($9::timestamptz IS NULL OR (due_at, id) > ($9, $11::text))
      ORDER BY ${sort === 'due' ? 'due_at, id' : 'id'} LIMIT $6`,
    [filters.state ?? null, filters.type ?? null, filters.dueBefore ?? null, filters.overdueAt ?? null, sort === 'id' ? (filters.after ?? null) : null, filters.limit,
      filters.awaitingApproval ?? null, filters.open ?? null, due?.dueAt ?? null, OPEN_STATES, due?.id ?? null]
  )
  return result.rows.map(toStored)
}

export type RequestChanges = Partial<Pick<StoredRequest, 'state' | 'dueAt' | 'extension' | 'verification' | 'denial' | 'subjectPartnerIds' | 'subjectConfirmation' | 'outcome' | 'completedAt' | 'type' | 'approval' | 'approvalInput'>>

/** Writes the fields a use case changed, and the event that explains it, in the caller's transaction. */
export async function updateRequest(db: PoolClient, id: string, changes: RequestChanges, event: RequestEvent): Promise<void> {
  const columns: Record<string, unknown> = {
    state: changes.state,
    type: changes.type,
    due_at: changes.dueAt,
    extension: json(changes.extension),
    verification: json(changes.verification),
    denial: json(changes.denial),
    subject_partner_ids: changes.subjectPartnerIds,
    subject_confirmation: json(changes.subjectConfirmation),
    outcome: json(changes.outcome),
    completed_at: changes.completedAt,
    approval: json(changes.approval),
    approval_input: changes.approvalInput
  }
  const set = Object.entries(columns).filter(([, value]) => value !== undefined)
  await db.query(
    `UPDATE rights_requests SET ${set.map(([column], i) => `${column} = $${i + 3}`).join(', ')}${set.length ? ', ' : ''}updated_at = $2 WHERE id = $1`,
    [id, event.at, ...set.map(([, value]) => value)]
  )
  await recordEvent(db, id, event)
}

/** A jsonb column's value: unchanged (undefined), SQL NULL, or the JSON text. */
function json(value: unknown): string | null | undefined {
  return value === undefined || value === null ? value : JSON.stringify(value)
}

/** Adds an event to a request's history without changing the request (a message about it, for instance). */
export async function recordEvent(db: Queryable, id: string, event: RequestEvent): Promise<void> {
  await db.query(
    'INSERT INTO rights_request_events (request_id, at, actor, action, from_state, to_state, details) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [id, event.at, event.actor, event.action, event.fromState, event.toState, JSON.stringify(event.details)]
  )
}

export async function recordCreation(db: Queryable, request: StoredRequest): Promise<void> {
  await db.query(
    'INSERT INTO rights_request_events (request_id, at, actor, action, from_state, to_state, details) VALUES ($1, $2, $3, $4, NULL, $5, $6)',
    [request.id, request.receivedAt, request.createdBy, 'created', request.state, JSON.stringify({ type: request.type, jurisdiction: request.jurisdiction, source: request.source })]
  )
}

export async function requestHistory(db: Queryable, id: string): Promise<RequestEvent[]> {
  const result = await db.query<{ at: Date; actor: string; action: RequestEvent['action']; from_state: RequestState | null; to_state: RequestState; details: Record<string, unknown> }>(
    'SELECT at, actor, action, from_state, to_state, details FROM rights_request_events WHERE request_id = $1 ORDER BY id',
    [id]
  )
  return result.rows.map((r) => ({ at: r.at, actor: r.actor, action: r.action, fromState: r.from_state, toState: r.to_state, details: r.details }))
}

/** Writes the jurisdiction a reclassification settled on (its event is the reclassification's). */
export async function setJurisdiction(db: Queryable, id: string, jurisdiction: Jurisdiction): Promise<void> {
  await db.query('UPDATE rights_requests SET jurisdiction = $2 WHERE id = $1', [id, jurisdiction])
}

/** A restriction, objection or opt-out the request recorded for its subject: the e-mail's blind index and the contacts. */
export async function recordSubjectFlag(db: Queryable, flag: { id: string; kind: string; emailIndex: string | null; partnerIds: readonly number[]; requestId: string; at: Date }): Promise<void> {
  await db.query('INSERT INTO subject_flags (id, kind, email_index, partner_ids, request_id, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)', [flag.id, flag.kind, flag.emailIndex, flag.partnerIds, flag.requestId, flag.at])
}

/** A closed request whose records are due for destruction, with what its purge audit entry keeps masked. */
export interface ClosedRequest {
  id: string
  state: string
  email: string | null
  phone: string | null
  name: string | null
  evidence: boolean
  closed_at: Date
}

const CLOSED = CLOSED_STATES.map((state) => `'${state}'`).join(', ')

/**
 * Up to `limit` closed requests not purged yet whose closing transition is at or before `cutoff`,
 * the first closed first; locked for the caller's transaction.
 */
export async function closedRequestsDue(db: PoolClient, cutoff: Date, limit: number): Promise<ClosedRequest[]> {
  const result = await db.query<ClosedRequest>(
    `SELECT r.id, r.state, r.email, r.phone, r.name, COALESCE(r.verification ? 'evidence', false) AS evidence, closing.at AS closed_at
       FROM rights_requests r
       CROSS JOIN LATERAL (SELECT max(e.at) AS at FROM rights_request_events e
                            WHERE e.request_id = r.id AND e.to_state = r.state AND e.from_state IS DISTINCT FROM e.to_state) closing
      WHERE r.identifiers_purged_at IS NULL AND r.state IN (${CLOSED}) AND closing.at <= $1
      ORDER BY closing.at, r.id
      LIMIT $2
      FOR UPDATE OF r SKIP LOCKED`,
    [cutoff, limit]
  )
  return result.rows
}

/**
 * Destroys the requester's identifiers and the verification evidence of these requests, and
 * records it in each one's history (`details`); the rest of the record stays.
 */
export async function purgeRequestIdentifiers(db: Queryable, ids: readonly string[], now: Date, details: Record<string, unknown>): Promise<void> {
  await db.query(
    `UPDATE rights_requests SET email = NULL, email_index = NULL, phone = NULL, name = NULL, order_refs = NULL,
            verification = verification - 'evidence', identifiers_purged_at = $2
      WHERE id = ANY($1::text[])`,
    [ids, now]
  )
  await db.query(
    `INSERT INTO rights_request_events (request_id, at, actor, action, from_state, to_state, details)
     SELECT id, $2, 'system', 'identifiers_purged', state, state, $3 FROM rights_requests WHERE id = ANY($1::text[])`,
    [ids, now, JSON.stringify(details)]
  )
}

/** SQL condition: the request whose id is `requestId` (an SQL expression) had its identifiers purged. */
export function requestIdentifiersPurged(requestId: string): string {
  return `EXISTS (SELECT 1 FROM rights_requests r WHERE r.id = ${requestId} AND r.identifiers_purged_at IS NOT NULL)`
}

const IDENTIFIERS = ['email', 'phone', 'name', 'order_refs'] as const
/** A request's sealed columns: the requester's identifiers and the input of an action awaiting approval. */
const SEALED_REQUEST_COLUMNS = [...IDENTIFIERS, 'approval_input'] as const
const EVIDENCE = "(verification ->> 'evidence')"

export type SealedRequestValues = Record<(typeof SEALED_REQUEST_COLUMNS)[number], string | null> & { id: string; evidence: string | null }

/** Values of requests (the evidence of a verification included) still sealed under another key than the current one, per key id. */
export function countRequestValuesByKey(db: Queryable, cipher: PiiCipher): Promise<Record<string, number>> {
  return countSealedByKey(db, cipher, 'rights_requests', [...SEALED_REQUEST_COLUMNS, EVIDENCE])
}

/** Up to `limit` requests with a value sealed under another key, locked for the caller's transaction. */
export async function lockRequestsSealedElsewhere(db: PoolClient, currentKeyId: string, limit: number): Promise<SealedRequestValues[]> {
  const stale = [...SEALED_REQUEST_COLUMNS, EVIDENCE].map((e) => sealedElsewhere(e, '$1')).join(' OR ')
  const batch = await db.query<SealedRequestValues>(
    `SELECT id, ${SEALED_REQUEST_COLUMNS.join(', ')}, ${EVIDENCE} AS evidence FROM rights_requests WHERE ${stale} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
    [currentKeyId]
  )
  return batch.rows
}

/** A request's values sealed anew, and its e-mail's blind index rebuilt (kept when it has no e-mail). */
export async function writeResealedRequest(db: Queryable, values: Omit<SealedRequestValues, 'id'> & { id: string; emailIndex: string | null }): Promise<void> {
  await db.query(
    `UPDATE rights_requests SET email = $2, phone = $3, name = $4, order_refs = $5, email_index = coalesce($6, email_index),
            verification = CASE WHEN $7::text IS NULL THEN verification ELSE jsonb_set(verification, '{evidence}', to_jsonb($7::text)) END,
            approval_input = $8
      WHERE id = $1`,
    [values.id, values.email, values.phone, values.name, values.order_refs, values.emailIndex, values.evidence, values.approval_input]
  )
}

/** The flags these requests recorded take their request's e-mail blind index again, after a re-seal rebuilt it. */
export async function copyEmailIndexToFlags(db: Queryable, requestIds: readonly string[]): Promise<void> {
  await db.query('UPDATE subject_flags f SET email_index = r.email_index FROM rights_requests r WHERE f.request_id = r.id AND r.id = ANY($1::text[]) AND f.email_index <> r.email_index', [requestIds])
}

interface RequestRow {
  id: string
  type: RequestType
  jurisdiction: Jurisdiction
  source: 'api' | 'email'
  state: RequestState
  language: string
  received_at: Date
  due_at: Date
  target_at: Date
  acknowledge_by: Date | null
  email: string | null
  email_index: string | null
  phone: string | null
  name: string | null
  order_refs: string | null
  extension: StoredRequest['extension']
  verification: StoredRequest['verification']
  denial: StoredRequest['denial']
  subject_partner_ids: number[]
  subject_confirmation: SubjectConfirmation | null
  outcome: StoredRequest['outcome']
  approval: PendingApproval | null
  approval_input: string | null
  created_by: string
  updated_at: Date
  completed_at: Date | null
  identifiers_purged_at: Date | null
}

function toStored(row: RequestRow): StoredRequest {
  return {
    id: row.id,
    type: row.type,
    jurisdiction: row.jurisdiction,
    source: row.source,
    state: row.state,
    language: row.language,
    receivedAt: row.received_at,
    dueAt: row.due_at,
    targetAt: row.target_at,
    acknowledgeBy: row.acknowledge_by,
    sealed: { email: row.email, phone: row.phone, name: row.name, orderRefs: row.order_refs },
    emailIndex: row.email_index,
    extension: row.extension,
    verification: row.verification,
    denial: row.denial,
    subjectPartnerIds: row.subject_partner_ids,
    subjectConfirmation: row.subject_confirmation,
    outcome: row.outcome,
    approval: row.approval,
    approvalInput: row.approval_input,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
    identifiersPurgedAt: row.identifiers_purged_at
  }
}

export interface OpenRequestFigures {
  state: string
  open: number
  overdue: number
}

/** Open requests per state, and how many of them are past their deadline at `now` (for /metrics). */
export async function openRequestFigures(db: Queryable, now: Date, queryTimeoutMs?: number): Promise<OpenRequestFigures[]> {
  const result = await db.query<OpenRequestFigures>(
    statementWithTimeout(
      `SELECT state, count(*)::int AS open, count(*) FILTER (WHERE due_at < $1)::int AS overdue
         FROM rights_requests WHERE state = ANY($2::text[]) GROUP BY state`,
      [now, OPEN_STATES],
      queryTimeoutMs
    )
  )
  return result.rows
}

export interface WeeklyCount {
  week: Date
  kind: 'opened' | 'closed' | 'overdue'
  n: number
}

/**
 * Per week of 7 days from `since` (a Monday 00:00 UTC) up to `until`: requests received, requests
 * closed (their transition into completed, denied or withdrawn), and requests whose deadline
 * passed, by `now`, before they were closed (closed late, or still open). The events are never
 * changed and a request's row outlives the purge of its identifiers, so past weeks stay exact.
 */
export async function countRequestsPerWeek(db: Queryable, range: { since: Date; until: Date; now: Date }): Promise<WeeklyCount[]> {
  const result = await db.query<WeeklyCount>(
    `WITH closing AS (
       SELECT request_id, min(at) AS at FROM rights_request_events
        WHERE to_state = ANY($4::text[]) AND from_state IS DISTINCT FROM to_state GROUP BY request_id)
     SELECT date_bin('7 days', received_at, $1) AS week, 'opened' AS kind, count(*)::int AS n
       FROM rights_requests WHERE received_at >= $1 AND received_at < $2 GROUP BY 1
     UNION ALL
     SELECT date_bin('7 days', at, $1), 'closed', count(*)::int
       FROM closing WHERE at >= $1 AND at < $2 GROUP BY 1
     UNION ALL
     SELECT date_bin('7 days', r.due_at, $1), 'overdue', count(*)::int
       FROM rights_requests r LEFT JOIN closing c ON c.request_id = r.id
      WHERE r.due_at >= $1 AND r.due_at < $2 AND r.due_at <= $3 AND (c.at IS NULL OR c.at > r.due_at)
      GROUP BY 1`,
    [range.since, range.until, range.now, CLOSED_STATES]
  )
  return result.rows
}
