import type { Clock } from '../clock.ts'
import type { Pool, PoolClient } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import type { AuditTrail } from '../audit/audit-trail.ts'
import { domainError } from '../errors/catalogue.ts'
import type { DomainError } from '../errors/catalogue.ts'
import { purgeInboundOfRequests, purgeStrayInbound } from '../intake/inbound-store.ts'
import { failUnsentOfRequests, purgeMessagesOfRequests } from '../mail/outbox.ts'
import { maskEmail, maskName, maskPhone } from '../mirror/masking.ts'
import { closedRequestsDue, purgeRequestIdentifiers } from './request-store.ts'
import type { ClosedRequest } from './request-store.ts'
import { destroyExpired } from './export-store.ts'
import { deleteCodes } from './verification-codes.ts'

/**
 * The service's own records follow the promises it keeps for Odoo's: an export lives until it is
 * downloaded or expires; a closed request keeps its record of the handling (dates, type, state,
 * outcome, denial reason: what the CCPA asks to be kept) but loses the requester's identifiers,
 * the verification evidence and the mail exchanged `retentionDays` after it closed.
 */
export interface RecordRetentionDeps {
  pool: Pool
  cipher: PiiCipher
  clock: Clock
  audit: AuditTrail
  retentionDays: number
}

export interface PurgeReport {
  requests: number
  /** Inbound messages destroyed: those of the requests, and those tied to none. */
  inboundMessages: number
  outboxMessages: number
}

const DAY_MS = 86_400_000

// Requests per transaction and audit entry: a day's closures fit in one.
const PURGE_BATCH = 100

// Mail still waiting for SMTP when its request's records go (no SMTP configured all along, or an
// outage longer than the retention period) is never sent: it needs the address being destroyed.
const UNSENT_REASON = "not sent: destroyed with the request's records at the end of their retention"

/** Records that closed (or mail that arrived) at or before this moment are due for destruction. */
export function purgeCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS)
}

/** What asking for a purged request's identifiers (to search Odoo, to send mail) answers. */
export function identifiersPurged(requestId: string): DomainError {
  return domainError('identifiers_purged', requestId)
}

/** Destroys every export whose time ran out without a download; audited once per export. */
export async function destroyExpiredExports(deps: Pick<RecordRetentionDeps, 'pool' | 'clock' | 'audit'>): Promise<number> {
  return inTransaction(deps.pool, async (db) => {
    const now = deps.clock.now()
    const destroyed = await destroyExpired(db, now)
    await deps.audit.recordMany(
      destroyed.map((row) => ({ actor: 'system' as const, action: 'request.export_destroyed', subject: { type: 'request', id: row.request_id }, details: { exportId: row.id, expiredAt: row.expires_at.toISOString() } })),
      db
    )
    return destroyed.length
  })
}

/**
 * Destroys what is due, in batches, each batch one transaction with one audit entry that keeps
 * masked hints of each requester, so the handling stays provable without the person's data.
 */
export async function purgeClosedRequestRecords(deps: RecordRetentionDeps): Promise<PurgeReport> {
  const total: PurgeReport = { requests: 0, inboundMessages: 0, outboxMessages: 0 }
  for (;;) {
    const batch = await inTransaction(deps.pool, (db) => purgeBatch(deps, db))
    total.requests += batch.requests
    total.inboundMessages += batch.inboundMessages
    total.outboxMessages += batch.outboxMessages
    if (!batch.more) return total
  }
}

async function purgeBatch(deps: RecordRetentionDeps, db: PoolClient): Promise<PurgeReport & { more: boolean }> {
  const now = deps.clock.now()
  const cutoff = purgeCutoff(now, deps.retentionDays)
  const due = await closedRequestsDue(db, cutoff, PURGE_BATCH)
  const ids = due.map((r) => r.id)
  const hints = due.map((request) => ({ request, requester: requesterHints(deps.cipher, request) }))

  await purgeRequestIdentifiers(db, ids, now, { retentionDays: deps.retentionDays })
  await deleteCodes(db, ids)
  const inbound = await purgeInboundOfRequests(db, ids, now)
  const unsent = await failUnsentOfRequests(db, ids, UNSENT_REASON)
  const outbox = await purgeMessagesOfRequests(db, ids, now)
  const stray = await purgeStrayInbound(db, cutoff, now, PURGE_BATCH)

  const count = (rows: { request_id: string | null }[], id: string) => rows.filter((row) => row.request_id === id).length
  if (due.length > 0 || stray.length > 0) {
    await deps.audit.record(
      {
        actor: 'system',
        action: 'request.records_purged',
        details: {
          retentionDays: deps.retentionDays,
          closedBefore: cutoff.toISOString(),
          requests: hints.map(({ request, requester }) => ({
            requestId: request.id,
            state: request.state,
            closedAt: request.closed_at.toISOString(),
            requester,
            evidence: request.evidence,
            inboundMessages: count(inbound, request.id),
            outboxMessages: count(outbox, request.id),
            unsentMessages: count(unsent, request.id)
          })),
          // Mail tied to no request (received before the cutoff), or to one purged before it came.
          otherInboundMessages: { unattached: stray.filter((row) => row.request_id === null).length, ofPurgedRequests: stray.filter((row) => row.request_id !== null).length }
        }
      },
      db
    )
  }
  return {
    requests: due.length,
    inboundMessages: inbound.length + stray.length,
    outboxMessages: outbox.length,
    more: due.length === PURGE_BATCH || stray.length === PURGE_BATCH
  }
}

/** Masked, as agents saw them: enough to recognise the request again, not to find the person. */
function requesterHints(cipher: PiiCipher, request: ClosedRequest): Record<string, string | null> {
  const hint = (value: string | null, field: string, mask: (plain: string) => string) => {
    if (value === null) return null
    try {
      return mask(cipher.open(value, `request:${request.id}:${field}`))
    } catch {
      // Sealed under a key since dropped: it cannot be read, and is destroyed all the same.
      return 'unreadable'
    }
  }
  return { email: hint(request.email, 'email', maskEmail), phone: hint(request.phone, 'phone', maskPhone), name: hint(request.name, 'name', maskName) }
}
