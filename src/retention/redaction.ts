import type { Clock } from '../clock.ts'
import type { Pool } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import type { AuditTrail } from '../audit/audit-trail.ts'
import type { Logger } from '../log/logger.ts'
import type { FailureDescription } from '../log/failure-description.ts'
import { OdooError } from '../odoo/errors.ts'
import type { OdooGateway } from '../odoo/gateway.ts'
import { many2oneId, PARTNER_PII_FIELDS, REDACTED_NAME } from '../mirror/odoo-records.ts'
import type { PartnerPiiField } from '../mirror/odoo-records.ts'
import { dueBasesOf, markContactsRedacted, markRedactionSimulated, recordRedactionFailure, redactionCandidates } from '../mirror/partner-store.ts'
import type { RedactionCandidate } from '../mirror/partner-store.ts'
import type { Holds } from './holds.ts'
import { createReadCache } from '../db/read-cache.ts'
import { ensureRedactionRights } from './redaction-block.ts'

/**
 * Tracking off for the write itself: a plain write makes Odoo keep the OLD name, address and phone
 * in the contact's chatter (mail.tracking.value), which would defeat the redaction.
 */
const NO_TRACKING = { tracking_disable: true, mail_notrack: true }

export type RetentionMode = 'enforce' | 'dry-run'

export interface RedactionDeps {
  pool: Pool
  odoo: OdooGateway
  audit: AuditTrail
  holds: Holds
  clock: Clock
  log: Logger
  mode: RetentionMode
  /**
   * The partners of the seller's companies, never redacted. Unset: searched in Odoo at every call;
   * a drain passes a companyPartnersMemo, so that its batches do not search them each time.
   */
  companyPartners?: () => Promise<ReadonlySet<number | null>>
}

/** How long a drain trusts the company partners it searched: a new company is rare, and seen a minute late at most. */
export const COMPANY_PARTNERS_TTL_MS = 60_000

/** The seller's company partners, searched again once COMPANY_PARTNERS_TTL_MS has passed (a failed search is not kept). */
export function companyPartnersMemo(odoo: Pick<OdooGateway, 'searchRead'>): () => Promise<ReadonlySet<number | null>> {
  const cache = createReadCache<ReadonlySet<number | null>>({ ttlMs: COMPANY_PARTNERS_TTL_MS, maxEntries: 1 })
  return () => cache.read('company-partners', () => searchCompanyPartners(odoo))
}

async function searchCompanyPartners(odoo: Pick<OdooGateway, 'searchRead'>): Promise<ReadonlySet<number | null>> {
  const companies = await odoo.searchRead('res.company', [], { fields: ['partner_id'] })
  return new Set(companies.map((c) => many2oneId(c.partner_id)))
}

export interface RedactionReport {
  redacted: number[]
  wouldRedact: number[]
  /** Not due, held, already redacted or unknown: nothing to do now. */
  skipped: number[]
  /** Users' contacts and the seller's own company's: never redacted, whatever their orders say. */
  refused: number[]
  /** Odoo's refusals keep their exception class, code and field names, never Odoo's message. */
  failed: (FailureDescription & { partnerId: number })[]
}

/** Why contacts are redacted when it is not their retention: an erasure request granted for them. */
export interface RedactionCause {
  requestId: string
}

/**
 * Redacts the due contacts among `partnerIds` in Odoo, then in the mirror. Contacts sharing the same
 * fields to redact are written in one call; a contact Odoo refuses is isolated and reported while
 * the others proceed; a transient Odoo fault throws, for the job to retry the whole batch. Every
 * step is idempotent, so a crash between Odoo and the mirror is finished by the retry. Nothing is
 * started while the Odoo user lacks a right redaction needs (RedactionBlockedError): the contacts
 * stay due, untouched, and the block is recorded for the retention report.
 */
export async function redactPartners(deps: RedactionDeps, partnerIds: readonly number[], cause?: RedactionCause): Promise<RedactionReport> {
  const report: RedactionReport = { redacted: [], wouldRedact: [], skipped: [], refused: [], failed: [] }
  const candidates = await dueCandidates(deps, partnerIds)
  report.skipped = partnerIds.filter((id) => !candidates.some((c) => c.odoo_id === id))
  if (candidates.length === 0) return report
  if (deps.mode === 'enforce') await ensureRedactionRights(deps)

  const { allowed, refused, missing } = await checkInOdoo(deps, candidates.map((c) => c.odoo_id))
  report.refused = refused
  for (const id of missing) report.failed.push({ partnerId: id, kind: 'missing', message: 'The contact no longer exists in Odoo.' })
  const toRedact = candidates.filter((c) => allowed.includes(c.odoo_id))

  if (deps.mode === 'dry-run') {
    report.wouldRedact = toRedact.map((c) => c.odoo_id)
    await recordDryRun(deps, toRedact)
  } else {
    const available = new Set(await deps.odoo.availableFields('res.partner', [...PARTNER_PII_FIELDS]))
    for (const group of Map.groupBy(toRedact, (c) => c.redaction_fields.filter((f) => available.has(f)).join(',')).values()) {
      const fields = (group[0] as RedactionCandidate).redaction_fields.filter((f) => available.has(f))
      const written = await writeIsolating(deps, group.map((c) => c.odoo_id), fields, report)
      const verified = await verifyInOdoo(deps, written, fields, report)
      const cleaned = await removeChatterCopies(deps, verified, report)
      report.redacted.push(...(await recordRedaction(deps, cleaned, fields, cause)))
    }
  }
  await recordProblems(deps, report)
  return report
}

async function dueCandidates(deps: RedactionDeps, partnerIds: readonly number[]): Promise<RedactionCandidate[]> {
  const due = await redactionCandidates(deps.pool, partnerIds, deps.clock.now(), deps.mode)
  const held = await deps.holds.heldAmong(deps.pool, due.map((r) => r.odoo_id))
  return due.filter((r) => !held.has(r.odoo_id))
}

/** Reads the contacts live: the mirror may be minutes old, and a contact may have become a user since. */
async function checkInOdoo(deps: RedactionDeps, ids: number[]) {
  const [records, companyPartners] = await Promise.all([
    deps.odoo.read('res.partner', ids, ['user_ids', 'parent_id'], { context: { active_test: false } }),
    deps.companyPartners?.() ?? searchCompanyPartners(deps.odoo)
  ])
  const found = new Set(records.map((r) => r.id))
  const refused = records
    .filter((r) => (Array.isArray(r.user_ids) && r.user_ids.length > 0) || companyPartners.has(r.id) || companyPartners.has(many2oneId(r.parent_id)))
    .map((r) => r.id)
  return { refused, missing: ids.filter((id) => !found.has(id)), allowed: ids.filter((id) => found.has(id) && !refused.includes(id)) }
}

function redactionValues(fields: readonly PartnerPiiField[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, field === 'name' ? REDACTED_NAME : false]))
}

/** One write for the group; if Odoo refuses it, one write per contact finds the ones it refuses. */
async function writeIsolating(deps: RedactionDeps, ids: number[], fields: PartnerPiiField[], report: RedactionReport): Promise<number[]> {
  const values = redactionValues(fields)
  try {
    await deps.odoo.write('res.partner', ids, values, { context: NO_TRACKING })
    return ids
  } catch (error) {
    if (!(error instanceof OdooError) || error.transient || ids.length === 1) return failOrThrow(error, ids, report)
    const written: number[] = []
    for (const id of ids) {
      try {
        await deps.odoo.write('res.partner', [id], values, { context: NO_TRACKING })
        written.push(id)
      } catch (single) {
        failOrThrow(single, [id], report)
      }
    }
    return written
  }
}

function failOrThrow(error: unknown, ids: number[], report: RedactionReport): never[] {
  if (!(error instanceof OdooError) || error.transient) throw error
  for (const id of ids) report.failed.push({ partnerId: id, ...error.describe() })
  return []
}

async function verifyInOdoo(deps: RedactionDeps, ids: number[], fields: PartnerPiiField[], report: RedactionReport): Promise<number[]> {
  if (ids.length === 0) return []
  const records = await deps.odoo.read('res.partner', ids, fields, { context: { active_test: false } })
  const values = redactionValues(fields)
  const verified = records.filter((record) => fields.every((field) => record[field] === values[field])).map((r) => r.id)
  for (const id of ids.filter((id) => !verified.includes(id))) {
    report.failed.push({ partnerId: id, kind: 'verification', message: 'Odoo still holds values after the redaction write.' })
  }
  return verified
}

/** Deletes the tracking values Odoo kept of earlier edits (old names, addresses, phones). */
async function removeChatterCopies(deps: RedactionDeps, ids: number[], report: RedactionReport): Promise<number[]> {
  if (ids.length === 0) return []
  try {
    const tracked = await deps.odoo.searchRead('mail.tracking.value', [['mail_message_id.model', '=', 'res.partner'], ['mail_message_id.res_id', 'in', ids]], { fields: ['id'] })
    if (tracked.length > 0) await deps.odoo.unlink('mail.tracking.value', tracked.map((t) => t.id))
    return ids
  } catch (error) {
    failOrThrow(error, ids, report)
    return []
  }
}

/**
 * Destroys the sealed PII in the mirror (country, state, amounts and dates stay) and audits once per
 * contact, with what made it due, so that the audit trail alone explains each redaction: the
 * erasure request, or the rule (channel, policy version, clock event), the event's date and the
 * due date of the order that was due last.
 */
async function recordRedaction(deps: RedactionDeps, ids: number[], fields: PartnerPiiField[], cause: RedactionCause | undefined): Promise<number[]> {
  if (ids.length === 0) return []
  return inTransaction(deps.pool, async (db) => {
    const why = cause ? undefined : await dueBasesOf(db, ids)
    const redacted = await markContactsRedacted(db, ids, fields, deps.clock.now())
    await deps.audit.recordMany(redacted.map((id) => ({ actor: 'system' as const, action: 'partner.redacted', subject: { type: 'partner', id }, details: { fields, ...(cause ?? { basis: why?.get(id) ?? null }) } })), db)
    return redacted
  })
}

async function recordDryRun(deps: RedactionDeps, candidates: RedactionCandidate[]): Promise<void> {
  if (candidates.length === 0) return
  await inTransaction(deps.pool, async (db) => {
    await markRedactionSimulated(db, candidates.map((c) => c.odoo_id), deps.clock.now())
    await deps.audit.recordMany(candidates.map((c) => ({ actor: 'system' as const, action: 'partner.redaction_simulated', subject: { type: 'partner', id: c.odoo_id }, details: { fields: c.redaction_fields, mode: 'dry-run' } })), db)
  })
}

/** Refusals and failures are kept on the contact (for the report) and audited once each. */
async function recordProblems(deps: RedactionDeps, report: RedactionReport): Promise<void> {
  const problems = [
    ...report.refused.map((partnerId) => ({ partnerId, kind: 'protected', message: 'The contact belongs to an Odoo user or to the seller\'s company.' })),
    ...report.failed
  ]
  if (problems.length === 0) return
  await inTransaction(deps.pool, async (db) => {
    for (const problem of problems) {
      const { partnerId: _partnerId, ...failure } = problem
      if (!(await recordRedactionFailure(db, problem.partnerId, { ...failure }))) continue
      await deps.audit.record(
        { actor: 'system', action: problem.kind === 'protected' ? 'partner.redaction_refused' : 'partner.redaction_failed', outcome: problem.kind === 'protected' ? 'denied' : 'failure', subject: { type: 'partner', id: problem.partnerId }, details: failure },
        db
      )
    }
  })
  deps.log.warn({ refused: report.refused.length, failed: report.failed.map((f) => ({ partnerId: f.partnerId, kind: f.kind })) }, 'some contacts were not redacted')
}
