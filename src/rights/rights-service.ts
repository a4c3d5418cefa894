import { randomInt, randomUUID } from 'node:crypto'
import type { Clock } from '../clock.ts'
import type { RightsConfig } from '../config/env.ts'
import type { Pool, PoolClient } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import type { Actor, AuditTrail } from '../audit/audit-trail.ts'
import type { Logger } from '../log/logger.ts'
import type { OdooGateway } from '../odoo/gateway.ts'
import type { OrderSync } from '../mirror/order-sync.ts'
import { maskEmail } from '../mirror/masking.ts'
import { PARTNER_PII_FIELDS } from '../mirror/odoo-records.ts'
import { makeDueForErasure, releaseRedactionClaims } from '../mirror/partner-store.ts'
import type { PartnerPiiField } from '../mirror/odoo-records.ts'
import type { RedactionCause, RedactionReport } from '../retention/redaction.ts'
import type { Holds } from '../retention/holds.ts'
import { queueMessage } from '../mail/outbox.ts'
import { domainError } from '../errors/catalogue.ts'
import type { DomainError } from '../errors/catalogue.ts'
import { computeAcknowledgeBy, computeDueAt, computeExtendedDueAt, computeTargetAt } from './deadlines.ts'
import type { ExtensionRefusal } from './deadlines.ts'
import { isOpen, nextState } from './request-states.ts'
import type { RequestAction } from './request-states.ts'
import { jurisdictionOfType } from './request-types.ts'
import type { DenialReason, Jurisdiction, RequestType } from './request-types.ts'
import { findRequest, insertRequest, newRequestId, recordCreation, recordSubjectFlag, setJurisdiction, updateRequest } from './request-store.ts'
import type { RequestChanges, StoredRequest } from './request-store.ts'
import { approvalAlreadyPending, approvalStillApplies, needsApproval, nothingToApprove, sameKeyRefused } from './request-approval.ts'
import type { ApprovalDecision, PendingApproval } from './request-approval.ts'
import { describeContacts, discoverSubject, subjectAmbiguities, verificationRecipient } from './subject-discovery.ts'
import type { SubjectAmbiguity, SubjectContact, SubjectDiscovery } from './subject-discovery.ts'
import { buildExportBundle } from './export-bundle.ts'
import { destroyExport, insertExport, lockLatestExport, markExportDownloaded } from './export-store.ts'
import { attemptsTaken, deleteCodes, storeCode, takeAttempt } from './verification-codes.ts'
import type { ExportBundle } from './export-bundle.ts'
import { identifiersPurged } from './record-retention.ts'
import { renderMessage } from './message-templates.ts'
import type { Language } from './languages.ts'
import type { MessageTemplate } from './message-templates.ts'

export interface RightsDeps {
  pool: Pool
  cipher: PiiCipher
  clock: Clock
  audit: AuditTrail
  odoo: OdooGateway
  sync: OrderSync
  holds: Holds
  redact(partnerIds: number[], cause?: RedactionCause): Promise<RedactionReport>
  log: Logger
  config: RightsConfig
  /** Queues the delivery job of a message in the same transaction; absent when no SMTP is configured. */
  enqueueMail?: (db: PoolClient, outboxId: string) => Promise<void>
}

export interface NewRequest {
  type: RequestType
  jurisdiction?: Jurisdiction
  email: string
  phone?: string
  name?: string
  orderRefs?: string[]
  language?: Language
  receivedAt?: Date
  source?: 'api' | 'email'
}

export interface Fulfilment {
  /** Rectification: the corrected values. */
  changes?: Partial<Record<PartnerPiiField, string>>
  /** Rectification: which of the subject's contacts to correct (default: all of them). */
  partnerIds?: number[]
}

/** What a call that RIGHTS_APPROVAL may hold back did: took effect, or waits for a second key. */
export interface Decided {
  request: StoredRequest
  awaitingApproval: boolean
}

/** The input of an action waiting for approval, sealed with the request until it is decided. */
type ApprovalInput = { action: 'verify_manually'; evidence: string } | { action: 'fulfil'; fulfilment: Fulfilment }

type TransitionWork = (request: StoredRequest, db: PoolClient) => Promise<{ changes?: RequestChanges; details?: Record<string, unknown> }>

const NO_TRACKING = { tracking_disable: true, mail_notrack: true }

const ODOO_TAGS = { restriction: 'Privacy: processing restricted', objection: 'Privacy: objection', opt_out: 'Privacy: opted out of sale' } as const

/**
 * The lifecycle of a data-subject request: receipt with its legal deadline, identity verification,
 * discovery of what is held, fulfilment with real effects in Odoo and the mirror, and the answer
 * to the requester. Every transition is checked against the state machine, recorded in the
 * request's history and audited with the agent's key.
 */
export function createRightsService(deps: RightsDeps) {
  const { pool, cipher, clock, audit, config } = deps

  /** Records a request; inside the caller's transaction when given one (e-mail intake claims the message with it). */
  async function create(input: NewRequest, actor: Actor, tx?: PoolClient): Promise<StoredRequest> {
    const receivedAt = input.receivedAt ?? clock.now()
    const jurisdiction = jurisdictionOfType(input.type) ?? input.jurisdiction ?? config.defaultJurisdiction
    const id = newRequestId()
    const dated = { type: input.type, jurisdiction, receivedAt }
    const emailIndex = cipher.blindIndex('email', input.email)
    if (!emailIndex) throw domainError('validation', 'The e-mail address is empty.')
    const request: StoredRequest = {
      id,
      type: input.type,
      jurisdiction,
      source: input.source ?? 'api',
      state: 'received',
      language: input.language ?? 'en',
      receivedAt,
      dueAt: computeDueAt(dated, config.otherDays),
      targetAt: computeTargetAt(receivedAt, config.targetBusinessDays),
      acknowledgeBy: computeAcknowledgeBy(dated),
      sealed: {
        email: cipher.seal(input.email.trim(), `request:${id}:email`),
        phone: input.phone ? cipher.seal(input.phone, `request:${id}:phone`) : null,
        name: input.name ? cipher.seal(input.name, `request:${id}:name`) : null,
        orderRefs: input.orderRefs?.length ? cipher.seal(JSON.stringify(input.orderRefs), `request:${id}:order_refs`) : null
      },
      emailIndex,
      extension: null,
      verification: null,
      denial: null,
      subjectPartnerIds: [],
      subjectConfirmation: null,
      outcome: null,
      approval: null,
      approvalInput: null,
      createdBy: actor,
      updatedAt: clock.now(),
      completedAt: null,
      identifiersPurgedAt: null
    }
    const record = async (db: PoolClient) => {
      await insertRequest(db, request)
      await recordCreation(db, request)
      await notify(db, request, { kind: 'acknowledgement', requestId: id, type: request.type, dueAt: request.dueAt, jurisdiction })
      await audit.record({ actor: actor, action: 'request.created', subject: { type: 'request', id }, details: { type: request.type, jurisdiction, source: request.source } }, db)
    }
    await (tx ? record(tx) : inTransaction(pool, record))
    return request
  }

  async function get(id: string): Promise<StoredRequest> {
    const request = await findRequest(pool, id)
    if (!request) throw domainError('not_found', `No request has the id ${id}.`)
    return request
  }

  /** The requester's identifiers, opened: for sending mail and searching Odoo, never for display. */
  function identifiers(request: StoredRequest) {
    if (request.identifiersPurgedAt) throw identifiersPurged(request.id)
    const open = (value: string | null, field: string) => (value === null ? null : cipher.open(value, `request:${request.id}:${field}`))
    return {
      email: open(request.sealed.email, 'email') as string,
      phone: open(request.sealed.phone, 'phone'),
      name: open(request.sealed.name, 'name'),
      orderRefs: request.sealed.orderRefs ? (JSON.parse(open(request.sealed.orderRefs, 'order_refs') as string) as string[]) : []
    }
  }

  /** The request's row, locked for the rest of the transaction. */
  async function lockRequest(db: PoolClient, id: string): Promise<StoredRequest> {
    const request = await findRequest(db, id, { lock: true })
    if (!request) throw domainError('not_found', `No request has the id ${id}.`)
    return request
  }

  /**
   * Applies one action of the state machine: 409 with the allowed actions when the current state
   * does not allow it; otherwise `work` runs in the request's transaction (row locked) and its
   * changes, the history event and the audit entry commit together.
   */
  async function transition(id: string, action: RequestAction, actor: Actor, work: TransitionWork): Promise<StoredRequest> {
    return inTransaction(pool, async (db) => applyTransition(db, await lockRequest(db, id), action, actor, work))
  }

  /** `transition` on a request already locked in the caller's transaction. */
  async function applyTransition(db: PoolClient, request: StoredRequest, action: RequestAction, actor: Actor, work: TransitionWork): Promise<StoredRequest> {
    const next = allowedNext(request, action)
    const { changes = {}, details = {} } = await work(request, db)
    // A pending approval the new state makes pointless (a code verified the requester, the request closed) is dropped with it.
    const dropped = request.approval && !approvalStillApplies(request.approval.action, next.state, request.type) ? request.approval : null
    const all: RequestChanges = { ...changes, state: next.state, ...(dropped ? { approval: null, approvalInput: null } : {}) }
    const recorded = { ...details, ...(dropped ? { approvalDropped: dropped.action } : {}) }
    await updateRequest(db, request.id, all, { at: clock.now(), actor, action, fromState: request.state, toState: next.state, details: recorded })
    await audit.record({ actor: actor, action: `request.${action}`, subject: { type: 'request', id: request.id }, details: { from: request.state, to: next.state, ...recorded } }, db)
    return { ...request, ...all }
  }

  async function sendVerification(id: string, actor: Actor): Promise<StoredRequest> {
    // Odoo is asked before the request's row is locked, and not at all when the state forbids it.
    const before = await get(id)
    allowedNext(before, 'send_verification')
    const partnerIds = await resolveSubject(before, actor)
    return transition(id, 'send_verification', actor, async (request, db) => {
      // The code goes to an address Odoo holds for the subject: the one given, if Odoo has it.
      const { recipient, heldByOdoo } = await verificationRecipient(deps, partnerIds, identifiers(request).email)
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
      const expiresAt = new Date(clock.now().getTime() + config.codeTtlMinutes * 60_000)
      await storeCode(db, id, { hash: codeHash(id, code), sentAt: clock.now(), expiresAt })
      await notify(db, request, { kind: 'verification_code', requestId: id, code, expiresAt }, recipient)
      return { changes: { subjectPartnerIds: partnerIds }, details: { sentTo: maskEmail(recipient), contacts: partnerIds.length, heldByOdoo } }
    })
  }

  /**
   * Every check of a code first takes one of its attempts, in one statement committed with the
   * failure's audit entry: concurrent guesses (over the API or in mail replies) never share an
   * attempt, and no guess is compared without one. A wrong code stays counted even though the
   * call fails; too many invalidate the code until a new one is sent.
   */
  async function confirmCode(id: string, code: string, actor: Actor): Promise<StoredRequest> {
    const attempt = await inTransaction(pool, async (db) => {
      const taken = await takeAttempt(db, id, config.maxCodeAttempts, clock.now())
      if (!taken) return null
      // Under every configured key: a code sent just before a key rotation still confirms.
      const matches = cipher.fingerprints(`otp:${id}:${code}`).includes(taken.code_hash)
      if (!matches) await audit.record({ actor: actor, action: 'request.verification_failed', outcome: 'failure', subject: { type: 'request', id }, details: { attempts: taken.attempts } }, db)
      return { matches, attempts: taken.attempts }
    })
    if (!attempt) return refuseCodeCheck(id)
    if (!attempt.matches) throw domainError('verification_code_wrong', config.maxCodeAttempts - attempt.attempts)
    return transition(id, 'verify_code', actor, async (_request, db) => {
      await deleteCodes(db, [id])
      return { changes: { verification: { method: 'code', at: clock.now().toISOString(), by: actor } } }
    })
  }

  /** Why a code could not be checked: none was sent, its attempts are used up, or it has expired. */
  async function refuseCodeCheck(id: string): Promise<never> {
    const attempts = await attemptsTaken(pool, id)
    if (attempts === undefined) {
      await get(id)
      throw domainError('conflict', 'No verification code has been sent for this request.', ['send_verification'])
    }
    if (attempts >= config.maxCodeAttempts) throw domainError('verification_attempts_exhausted')
    throw domainError('verification_code_expired')
  }

  /** Verifies by other means at once, or, when RIGHTS_APPROVAL asks for it, records the evidence to await a second key. */
  async function verifyManually(id: string, evidence: string, actor: Actor): Promise<Decided> {
    return inTransaction(pool, async (db) => {
      const request = await lockRequest(db, id)
      if (request.approval) throw approvalAlreadyPending(request.approval)
      allowedNext(request, 'verify_manually')
      if (needsApproval(config.approval, 'verify_manually', request.type)) {
        return { request: await awaitApproval(db, request, { action: 'verify_manually', evidence }, actor), awaitingApproval: true }
      }
      return { request: await applyManualVerification(db, request, evidence, actor), awaitingApproval: false }
    })
  }

  function applyManualVerification(db: PoolClient, request: StoredRequest, evidence: string, by: Actor, approvedBy?: Actor): Promise<StoredRequest> {
    return applyTransition(db, request, 'verify_manually', by, () =>
      Promise.resolve({
        changes: { verification: { method: 'manual', at: clock.now().toISOString(), by, ...(approvedBy ? { approvedBy } : {}), evidence: cipher.seal(evidence, `request:${request.id}:evidence`) } },
        details: { method: 'manual', ...(approvedBy ? { approvedBy } : {}) }
      })
    )
  }

  /** Holds an action back until another key decides: its input sealed, the request's history and the audit trail told. */
  async function awaitApproval(db: PoolClient, request: StoredRequest, input: ApprovalInput, actor: Actor): Promise<StoredRequest> {
    const approval: PendingApproval = { action: input.action, requestedBy: actor, requestedAt: clock.now().toISOString() }
    const approvalInput = cipher.seal(JSON.stringify(input), `request:${request.id}:approval_input`)
    const details = { action: input.action }
    await updateRequest(db, request.id, { approval, approvalInput }, { at: clock.now(), actor, action: 'approval_requested', fromState: request.state, toState: request.state, details })
    await audit.record({ actor, action: 'request.approval_requested', subject: { type: 'request', id: request.id }, details }, db)
    return { ...request, approval, approvalInput }
  }

  /**
   * A second key's decision on a pending action. Approval carries the action out as the first
   * key's call would have, naming both; the pending action is cleared under the row lock first,
   * so of two approvals at once only one carries it out. The key that asked may only reject
   * (take it back): an approval needs a second person.
   */
  async function decideApproval(id: string, decision: ApprovalDecision, decider: Actor): Promise<StoredRequest> {
    const before = await get(id)
    const pending = before.approval
    if (!pending) throw nothingToApprove(id)
    const { note } = decision
    if (decision.decision === 'reject') return inTransaction(pool, async (db) => closeApproval(db, await lockPending(db, id, pending), 'approval_rejected', decider, note))
    if (pending.requestedBy === decider) throw sameKeyRefused(pending)
    const input = openApprovalInput(before)
    if (input.action === 'verify_manually') {
      return inTransaction(pool, async (db) => applyManualVerification(db, await closeApproval(db, await lockPending(db, id, pending), 'approved', decider, note), input.evidence, pending.requestedBy, decider))
    }
    // Odoo is asked before the row is locked: a fulfilment its subject or input would refuse stays pending.
    const partnerIds = await prepareFulfilment(before, input.fulfilment, pending.requestedBy)
    const approved = await inTransaction(pool, async (db) => closeApproval(db, await lockPending(db, id, pending), 'approved', decider, note))
    return carryOutFulfilment(approved, partnerIds, input.fulfilment, pending.requestedBy, decider)
  }

  /** The request locked with the pending action the decider saw; 409 when another decision came first. */
  async function lockPending(db: PoolClient, id: string, seen: PendingApproval): Promise<StoredRequest & { approval: PendingApproval }> {
    const request = await lockRequest(db, id)
    const { approval } = request
    if (!approval || approval.requestedAt !== seen.requestedAt || approval.requestedBy !== seen.requestedBy) throw nothingToApprove(id)
    return { ...request, approval }
  }

  /** Takes the pending action off the locked request, recording the decision with both keys (the note in the history only). */
  async function closeApproval(db: PoolClient, request: StoredRequest & { approval: PendingApproval }, decision: 'approved' | 'approval_rejected', decider: Actor, note: string | undefined): Promise<StoredRequest> {
    const { action, requestedBy } = request.approval
    const details = { action, requestedBy, [decision === 'approved' ? 'approvedBy' : 'rejectedBy']: decider }
    await updateRequest(db, request.id, { approval: null, approvalInput: null }, { at: clock.now(), actor: decider, action: decision, fromState: request.state, toState: request.state, details: { ...details, ...(note ? { note } : {}) } })
    await audit.record({ actor: decider, action: `request.${decision}`, subject: { type: 'request', id: request.id }, details }, db)
    return { ...request, approval: null, approvalInput: null }
  }

  function openApprovalInput(request: StoredRequest): ApprovalInput {
    if (!request.approvalInput) throw nothingToApprove(request.id)
    return JSON.parse(cipher.open(request.approvalInput, `request:${request.id}:approval_input`)) as ApprovalInput
  }

  /**
   * What the service holds for the subject, masked, and which of it the request works on: the
   * contacts found, the agent's choice among them, or none yet when found contacts need an agent
   * (the answer says why). An open request keeps the contacts it works on.
   */
  async function discover(id: string, actor: Actor): Promise<SubjectDiscovery> {
    const request = await get(id)
    const contacts = await findContacts(request)
    const confirmation = request.subjectConfirmation
    const ambiguities = confirmation ? [] : subjectAmbiguities(contacts, config.maxSubjectContacts)
    const partnerIds = confirmation ? stillFound(confirmation.partnerIds, contacts) : ambiguities.length > 0 ? [] : contacts.map((c) => c.partnerId)
    await inTransaction(pool, async (db) => {
      const event = ambiguities.length > 0 ? needsConfirmationEvent(request, contacts, ambiguities, actor) : { at: clock.now(), actor, action: 'discovered' as const, fromState: request.state, toState: request.state, details: { contacts: contacts.length } }
      await updateRequest(db, id, isOpen(request.state) ? { subjectPartnerIds: partnerIds } : {}, event)
      await audit.record({ actor: actor, action: 'request.subject_viewed', subject: { type: 'request', id }, details: { partnerIds: contacts.map((c) => c.partnerId), ...(ambiguities.length > 0 ? { needsConfirmation: ambiguities } : {}) } }, db)
    })
    return {
      contacts,
      subjectPartnerIds: isOpen(request.state) ? partnerIds : request.subjectPartnerIds,
      confirmation,
      needsConfirmation: ambiguities.length > 0 ? { reasons: ambiguities, maxContacts: config.maxSubjectContacts } : null
    }
  }

  /**
   * The agent names the contacts that are the subject, among those the requester's identifiers
   * find (never another): an empty list says none of them is. Fulfilment then works on these.
   */
  async function confirmSubject(id: string, partnerIds: number[], actor: Actor): Promise<StoredRequest> {
    const before = await get(id)
    if (!isOpen(before.state)) throw domainError('conflict', `A request in state ${before.state} cannot change its subject.`, [])
    const found = new Set((await findContacts(before)).map((c) => c.partnerId))
    const named = [...new Set(partnerIds)].sort((a, b) => a - b)
    const foreign = named.filter((partnerId) => !found.has(partnerId))
    if (foreign.length > 0) {
      throw domainError('validation', `${listIds('Contact', foreign)} ${foreign.length === 1 ? 'is' : 'are'} not found by the requester's identifiers: only contacts that hold exactly the requester's e-mail address or phone number can be the subject.`)
    }
    return inTransaction(pool, async (db) => {
      const request = await findRequest(db, id, { lock: true })
      if (!request) throw domainError('not_found', `No request has the id ${id}.`)
      if (!isOpen(request.state)) throw domainError('conflict', `A request in state ${request.state} cannot change its subject.`, [])
      const at = clock.now()
      const subjectConfirmation = { partnerIds: named, at: at.toISOString(), by: actor }
      const details = { partnerIds: named, found: found.size }
      await updateRequest(db, id, { subjectPartnerIds: named, subjectConfirmation }, { at, actor, action: 'subject_confirmed', fromState: request.state, toState: request.state, details })
      await audit.record({ actor: actor, action: 'request.subject_confirmed', subject: { type: 'request', id }, details }, db)
      return { ...request, subjectPartnerIds: named, subjectConfirmation }
    })
  }

  async function findContacts(request: StoredRequest): Promise<SubjectContact[]> {
    const who = identifiers(request)
    return discoverSubject(deps, { email: who.email, phone: who.phone })
  }

  /**
   * The contacts a request's code, export, erasure or flag is about, found afresh: those the
   * agent confirmed (as far as the identifiers still find them), or all those found. When found
   * contacts need an agent, the request stops here: recorded in its history, and 409.
   */
  async function resolveSubject(request: StoredRequest, actor: Actor): Promise<number[]> {
    const contacts = await findContacts(request)
    if (request.subjectConfirmation) return stillFound(request.subjectConfirmation.partnerIds, contacts)
    const ambiguities = subjectAmbiguities(contacts, config.maxSubjectContacts)
    if (ambiguities.length === 0) return contacts.map((c) => c.partnerId)
    await inTransaction(pool, async (db) => {
      await updateRequest(db, request.id, { subjectPartnerIds: [] }, needsConfirmationEvent(request, contacts, ambiguities, actor))
      await audit.record({ actor: actor, action: 'request.subject_needs_confirmation', subject: { type: 'request', id: request.id }, details: { contacts: contacts.length, reasons: ambiguities } }, db)
    })
    throw subjectNeedsConfirmation(request.id, contacts, ambiguities, config.maxSubjectContacts)
  }

  function needsConfirmationEvent(request: StoredRequest, contacts: SubjectContact[], reasons: SubjectAmbiguity[], actor: Actor) {
    const shared = contacts.filter((c) => c.sharedEmailField).map((c) => c.partnerId)
    return {
      at: clock.now(),
      actor,
      action: 'subject_needs_confirmation' as const,
      fromState: request.state,
      toState: request.state,
      details: { reasons, contacts: contacts.length, maxContacts: config.maxSubjectContacts, ...(shared.length > 0 ? { sharedEmailField: shared } : {}) }
    }
  }

  /** Refuses an action the request's state does not allow (409 with the allowed ones); else where it leads. */
  function allowedNext(request: StoredRequest, action: RequestAction) {
    const next = nextState(request.state, action, request.type)
    if (!next.ok) throw domainError('conflict', `A request in state ${request.state} cannot ${action.replace('_', ' ')}.`, next.allowed)
    return next
  }

  /**
   * Does what the request asks, then completes it and tells the requester; or, when
   * RIGHTS_APPROVAL asks for it, records the call to await a second key. A failure (Odoo down)
   * leaves the request in progress, to be fulfilled again.
   */
  async function fulfil(id: string, input: Fulfilment, actor: Actor): Promise<Decided> {
    const request = await get(id)
    if (request.approval) throw approvalAlreadyPending(request.approval)
    const partnerIds = await prepareFulfilment(request, input, actor)
    if (!needsApproval(config.approval, 'fulfil', request.type)) return { request: await carryOutFulfilment(request, partnerIds, input, actor), awaitingApproval: false }
    return inTransaction(pool, async (db) => {
      const current = await lockRequest(db, id)
      if (current.approval) throw approvalAlreadyPending(current.approval)
      if (current.state !== 'in_progress') allowedNext(current, 'start_fulfilment')
      return { request: await awaitApproval(db, current, { action: 'fulfil', fulfilment: input }, actor), awaitingApproval: true }
    })
  }

  /** The subject's contacts, once every check passed: a fulfilment refused for its input, state or subject writes nothing. */
  async function prepareFulfilment(request: StoredRequest, input: Fulfilment, actor: Actor): Promise<number[]> {
    if (request.type === 'unclassified') throw domainError('conflict', 'The request has no type yet: set it with PATCH /v1/requests/{id} first.', [])
    if (request.type === 'rectification') checkRectificationChanges(input)
    if (request.state !== 'in_progress') allowedNext(request, 'start_fulfilment')
    const partnerIds = await resolveSubject(request, actor)
    if (request.type === 'rectification') checkRectification(partnerIds, input)
    return partnerIds
  }

  /** `actor` asked for the fulfilment; `approvedBy`, when RIGHTS_APPROVAL held it back, approved it. Both are in its history and audit entries. */
  async function carryOutFulfilment(prepared: StoredRequest, partnerIds: number[], input: Fulfilment, actor: Actor, approvedBy?: Actor): Promise<StoredRequest> {
    const id = prepared.id
    const approval = approvedBy ? { approvedBy } : {}
    const request = prepared.state === 'in_progress' ? prepared : await transition(id, 'start_fulfilment', actor, () => Promise.resolve({ details: approval }))
    const outcome = partnerIds.length === 0 ? { noData: true } : await perform(request, partnerIds, input)
    return transition(id, 'complete', actor, async (current, db) => {
      if (outcome.noData) await notify(db, current, { kind: 'no_data', requestId: id })
      else await notify(db, current, { kind: 'completed', requestId: id, type: current.type, outcome: toMessageOutcome(outcome) })
      return { changes: { outcome, completedAt: clock.now(), subjectPartnerIds: partnerIds }, details: { ...summarize(outcome), ...approval } }
    })
  }

  async function perform(request: StoredRequest, partnerIds: number[], input: Fulfilment): Promise<Record<string, unknown>> {
    switch (request.type) {
      case 'access':
      case 'portability':
      case 'ccpa_know':
        return createExport(request, partnerIds)
      case 'erasure':
      case 'ccpa_delete':
        return erase(request.id, partnerIds)
      case 'rectification':
        return rectify(partnerIds, input)
      case 'restriction':
      case 'objection':
      case 'ccpa_opt_out':
        return recordFlag(request, partnerIds)
      case 'unclassified':
        throw domainError('conflict', 'The request has no type yet.', [])
    }
  }

  /**
   * Sets the type of a request (an unclassified e-mail, or a misread one) while it is open. Its
   * deadline still runs from receipt; only the rule for the new type applies, unless extended.
   * A verification was done for the type the request had (how sure one must be of an identity
   * depends on what is disclosed or erased), so a verified request changes its type only with
   * `reverify`: the verification is dropped and the request starts again from `received`.
   */
  async function reclassify(id: string, type: RequestType, actor: Actor, options: { reverify?: boolean } = {}): Promise<StoredRequest> {
    return inTransaction(pool, async (db) => {
      const request = await lockRequest(db, id)
      if (!['received', 'awaiting_verification', 'verified'].includes(request.state)) throw domainError('conflict', `A request in state ${request.state} cannot change its type.`, [])
      if (request.approval) throw approvalAlreadyPending(request.approval)
      const verifiedForAnother = request.state === 'verified' && type !== request.type
      if (verifiedForAnother && options.reverify !== true) throw verificationBoundToType(request, type)
      const jurisdiction = jurisdictionOfType(type) ?? (request.jurisdiction === 'ccpa' && jurisdictionOfType(request.type) ? config.defaultJurisdiction : request.jurisdiction)
      const dueAt = request.extension ? request.dueAt : computeDueAt({ type, jurisdiction, receivedAt: request.receivedAt }, config.otherDays)
      const changes: RequestChanges = verifiedForAnother ? { type, dueAt, verification: null, state: 'received' } : { type, dueAt }
      const details = { from: request.type, to: type, ...(verifiedForAnother ? { reverify: true, verificationDropped: request.verification?.method ?? null } : {}) }
      await setJurisdiction(db, id, jurisdiction)
      if (verifiedForAnother) await deleteCodes(db, [id])
      const toState = changes.state ?? request.state
      await updateRequest(db, id, changes, { at: clock.now(), actor, action: 'reclassified', fromState: request.state, toState, details })
      await audit.record({ actor: actor, action: 'request.reclassified', subject: { type: 'request', id }, details: { ...details, ...(verifiedForAnother ? { fromState: request.state, toState } : {}) } }, db)
      return { ...request, ...changes, jurisdiction }
    })
  }

  async function createExport(request: StoredRequest, partnerIds: number[]) {
    const bundle = await buildExportBundle(deps, request.id, partnerIds)
    const exportId = randomUUID()
    const expiresAt = new Date(clock.now().getTime() + config.exportTtlHours * 3_600_000)
    await insertExport(pool, { id: exportId, requestId: request.id, sealed: cipher.seal(JSON.stringify(bundle), `export:${exportId}`), createdAt: clock.now(), expiresAt })
    return { exportId, exportExpiresAt: expiresAt.toISOString(), contacts: bundle.contacts.length, orders: bundle.orders.length }
  }

  /** Erasure through the retention worker's redaction, at once; holds and open orders keep data, with the reason. */
  async function erase(requestId: string, partnerIds: number[]) {
    const held = await deps.holds.heldAmong(pool, partnerIds)
    const contacts = await describeContacts(deps, partnerIds)
    const retained: { partnerId: number; reason: string }[] = []
    for (const contact of contacts) {
      if (held.has(contact.partnerId)) retained.push({ partnerId: contact.partnerId, reason: 'legal_hold' })
      else if (contact.openOrders > 0) retained.push({ partnerId: contact.partnerId, reason: 'open_order' })
    }
    const toErase = contacts.map((c) => c.partnerId).filter((id) => !retained.some((r) => r.partnerId === id))
    // A granted erasure is a person's decision: it releases the contact from a redaction backlog too.
    // Claimed for the request while it redacts them itself, so that no redaction job writes them too;
    // what it cannot finish (Odoo down) a redaction job finishes, audited with the request.
    const claim = `erasure:${requestId}`
    await makeDueForErasure(pool, toErase, clock.now(), PARTNER_PII_FIELDS, { requestId, claim })
    let report: RedactionReport
    try {
      report = await deps.redact(toErase, { requestId })
    } finally {
      await releaseRedactionClaims(pool, claim, toErase)
    }
    retained.push(...report.refused.map((partnerId) => ({ partnerId, reason: 'protected' })), ...report.failed.map((f) => ({ partnerId: f.partnerId, reason: 'failed' })))
    const alreadyRedacted = contacts.filter((c) => c.redacted).map((c) => c.partnerId)
    return { erased: [...report.redacted, ...alreadyRedacted.filter((id) => toErase.includes(id))].sort((a, b) => a - b), retained }
  }

  function checkRectificationChanges(input: Fulfilment): void {
    if (Object.keys(input.changes ?? {}).length === 0) throw domainError('validation', 'A rectification needs `changes`.')
  }

  function checkRectification(partnerIds: number[], input: Fulfilment): void {
    checkRectificationChanges(input)
    const foreign = (input.partnerIds ?? []).filter((id) => !partnerIds.includes(id))
    if (foreign.length > 0) throw domainError('validation', `Contacts ${foreign.join(', ')} are not the subject's.`)
  }

  async function rectify(partnerIds: number[], input: Fulfilment) {
    checkRectification(partnerIds, input)
    const changes = input.changes ?? {}
    const fields = Object.keys(changes) as PartnerPiiField[]
    const targets = input.partnerIds ?? partnerIds
    const available = await deps.odoo.availableFields('res.partner', fields)
    const missing = fields.filter((f) => !available.includes(f))
    if (missing.length > 0) throw domainError('validation', `This Odoo has no field ${missing.join(', ')}.`)
    // Tracking off: the chatter would otherwise keep the wrong values that are being corrected.
    await deps.odoo.write('res.partner', targets, changes, { context: NO_TRACKING })
    await deps.sync.mirrorContacts(targets)
    return { rectifiedFields: fields, partners: targets }
  }

  async function recordFlag(request: StoredRequest, partnerIds: number[]) {
    const kind = request.type === 'ccpa_opt_out' ? 'opt_out' : (request.type as 'restriction' | 'objection')
    const odooTag = config.odooTags ? await tagInOdoo(kind, partnerIds) : null
    await recordSubjectFlag(pool, { id: randomUUID(), kind, emailIndex: request.emailIndex, partnerIds, requestId: request.id, at: clock.now() })
    return { recorded: kind, partners: partnerIds, ...(odooTag ? { odooTag } : {}) }
  }

  /** Odoo's place for it is a contact tag: Odoo users (sales, marketing) see the flag where they work. */
  async function tagInOdoo(kind: keyof typeof ODOO_TAGS, partnerIds: number[]): Promise<string> {
    const name = ODOO_TAGS[kind]
    const [existing] = await deps.odoo.searchRead('res.partner.category', [['name', '=', name]], { fields: ['id'], limit: 1, context: { active_test: false } })
    const tagId = existing?.id ?? (await deps.odoo.create('res.partner.category', { name }))
    // (4, id): link the tag, leaving the contact's other tags as they are.
    await deps.odoo.write('res.partner', partnerIds, { category_id: [[4, tagId]] }, { context: NO_TRACKING })
    return name
  }

  /** The export, once: opened, handed over and destroyed in one transaction. */
  async function downloadExport(id: string, actor: Actor): Promise<ExportBundle> {
    return inTransaction(pool, async (db) => {
      const row = await lockLatestExport(db, id)
      if (!row) {
        await get(id)
        throw domainError('not_found', 'This request has no export.')
      }
      if (row.bundle === null || row.downloaded_at) throw domainError('export_gone', 'downloaded_or_expired')
      if (row.expires_at <= clock.now()) {
        await destroyExport(db, row.id, clock.now())
        throw domainError('export_gone', 'expired')
      }
      const bundle = JSON.parse(cipher.open(row.bundle, `export:${row.id}`)) as ExportBundle
      await markExportDownloaded(db, row.id, clock.now(), actor)
      await audit.record({ actor: actor, action: 'request.export_downloaded', subject: { type: 'request', id }, details: { exportId: row.id } }, db)
      return bundle
    })
  }

  async function deny(id: string, reason: DenialReason, detail: string | undefined, actor: Actor): Promise<StoredRequest> {
    return transition(id, 'deny', actor, async (request, db) => {
      await notify(db, request, { kind: 'denied', requestId: id, reason, detail, jurisdiction: request.jurisdiction })
      return { changes: { denial: { reason, ...(detail ? { detail } : {}) } }, details: { reason } }
    })
  }

  async function withdraw(id: string, actor: Actor): Promise<StoredRequest> {
    return transition(id, 'withdraw', actor, () => Promise.resolve({}))
  }

  /** An extension is recorded, and the requester told why, without changing the request's state. */
  async function extend(id: string, extension: { until: Date; reason: string }, actor: Actor): Promise<StoredRequest> {
    return inTransaction(pool, async (db) => {
      const request = await findRequest(db, id, { lock: true })
      if (!request) throw domainError('not_found', `No request has the id ${id}.`)
      const decision = computeExtendedDueAt(request, extension, clock.now())
      if (!decision.ok) throw extensionRefused(decision.refusal)
      const at = clock.now()
      const recorded = { until: decision.dueAt.toISOString(), reason: extension.reason, noticeAt: at.toISOString() }
      await updateRequest(db, id, { dueAt: decision.dueAt, extension: recorded }, { at, actor, action: 'extended', fromState: request.state, toState: request.state, details: { until: recorded.until } })
      await notify(db, request, { kind: 'extension', requestId: id, newDueAt: decision.dueAt, reason: extension.reason })
      await audit.record({ actor: actor, action: 'request.extended', subject: { type: 'request', id }, details: { until: recorded.until } }, db)
      return { ...request, dueAt: decision.dueAt, extension: recorded }
    })
  }

  async function notify(db: PoolClient, request: StoredRequest, template: MessageTemplate, recipient?: string): Promise<void> {
    const rendered = renderMessage(template, request.language as Language)
    const outboxId = await queueMessage(db, deps, { requestId: request.id, kind: template.kind, language: request.language, recipient: recipient ?? identifiers(request).email, ...rendered })
    await deps.enqueueMail?.(db, outboxId)
  }

  function codeHash(id: string, code: string): string {
    return cipher.fingerprint(`otp:${id}:${code}`)
  }

  return { create, get, identifiers, reclassify, sendVerification, confirmCode, verifyManually, decideApproval, discover, confirmSubject, fulfil, downloadExport, deny, withdraw, extend }
}

export type RightsService = ReturnType<typeof createRightsService>

/** The confirmed contacts that the requester's identifiers still find. */
function stillFound(partnerIds: readonly number[], contacts: readonly SubjectContact[]): number[] {
  return partnerIds.filter((partnerId) => contacts.some((contact) => contact.partnerId === partnerId))
}

function subjectNeedsConfirmation(id: string, contacts: readonly SubjectContact[], reasons: readonly SubjectAmbiguity[], maxContacts: number): DomainError {
  const shared = contacts.filter((contact) => contact.sharedEmailField).map((contact) => contact.partnerId)
  const why = reasons.map((reason) =>
    reason === 'too_many_contacts'
      ? `The requester's identifiers find ${contacts.length} contacts, more than RIGHTS_MAX_SUBJECT_CONTACTS (${maxContacts}).`
      : `${listIds('Contact', shared)} ${shared.length === 1 ? 'holds' : 'hold'} other e-mail addresses besides the requester's, so ${shared.length === 1 ? 'it' : 'they'} may be someone else's too.`
  )
  return domainError('subject_needs_confirmation', id, why.join(' '))
}

function verificationBoundToType(request: StoredRequest, type: RequestType): DomainError {
  return domainError('verification_bound_to_type', request.id, request.type, type)
}

/** `Contacts 12, 45, 46 and 3 more`: ids only, never more than ten of them. */
function listIds(noun: string, ids: readonly number[]): string {
  const shown = ids.slice(0, 10).join(', ')
  return `${noun}${ids.length === 1 ? '' : 's'} ${shown}${ids.length > 10 ? ` and ${ids.length - 10} more` : ''}`
}

function summarize(outcome: Record<string, unknown>): Record<string, unknown> {
  const count = (value: unknown) => (Array.isArray(value) ? value.length : value)
  return Object.fromEntries(Object.entries(outcome).map(([key, value]) => [key, count(value)]))
}

function toMessageOutcome(outcome: Record<string, unknown>) {
  return {
    erased: Array.isArray(outcome.erased) ? outcome.erased.length : undefined,
    retained: Array.isArray(outcome.retained) ? (outcome.retained as { reason: string }[]).map((r) => ({ reason: r.reason })) : undefined,
    exportReady: typeof outcome.exportId === 'string' ? true : undefined,
    rectifiedFields: Array.isArray(outcome.rectifiedFields) ? (outcome.rectifiedFields as string[]) : undefined
  }
}

/** A refused extension as the catalogue's error of its reason, with the date it is measured against. */
function extensionRefused(refusal: ExtensionRefusal): DomainError {
  const { latestUntil, noticeBy, dueAt }: { code: string; latestUntil?: Date; noticeBy?: Date; dueAt?: Date } = refusal
  return domainError(`extension_${refusal.code}`, latestUntil ?? noticeBy ?? dueAt)
}
