import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock.ts'
import type { Pool, PoolClient } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import type { AuditTrail } from '../audit/audit-trail.ts'
import type { Logger } from '../log/logger.ts'
import type { RightsService } from '../rights/rights-service.ts'
import type { Jurisdiction } from '../rights/request-types.ts'
import { RECEIVED_RANGE } from '../rights/deadlines.ts'
import { requestAnsweredBy } from '../mail/outbox.ts'
import { findRequest, recordEvent } from '../rights/request-store.ts'
import type { StoredRequest } from '../rights/request-store.ts'
import { isDomainError } from '../errors/catalogue.ts'
import type { ErrorCode } from '../errors/catalogue.ts'
import { classifyRequest, detectJurisdiction } from './classify.ts'
import { isAutomatic, requestIdInSubject, verificationCodeIn } from './mail-signals.ts'
import { insertInboundMessage, markMessageVerified, recordClassification, requestOfMessage, settleInboundMessage, storedUnderKeys } from './inbound-store.ts'
import { messageKeys } from './sealed-inbound-data.ts'
import { referencedMessageIds, senderAddress } from './forwardemail-payload.ts'
import type { ForwardEmailPayload } from './forwardemail-payload.ts'

export interface IntakeConfig {
  keepAttachments: boolean
  attachmentMaxBytes: number
  /** Our own sending addresses: mail from them is a loop, never a request. */
  ownAddresses: string[]
  defaultJurisdiction: Jurisdiction
}

export interface IntakeDeps {
  pool: Pool
  cipher: PiiCipher
  clock: Clock
  audit: AuditTrail
  rights: RightsService
  log: Logger
  config: IntakeConfig
}

export type IntakeOutcome =
  /** `refersTo`: the request the message named, whose requester did not send it. */
  | { status: 'created'; requestId: string; type: string; confidence: number; refersTo?: string }
  | { status: 'attached' | 'verified'; requestId: string }
  | { status: 'ignored'; reason: string }
  | { status: 'duplicate'; requestId: string | null }

// Why a code in a reply may not verify: wrong, expired or used up, or the request no longer waits
// for one (verified meanwhile, or no code sent). The mail is kept all the same.
const CODE_NOT_CONFIRMED: readonly ErrorCode[] = ['verification_code_wrong', 'verification_code_expired', 'verification_attempts_exhausted', 'conflict']

/** What a message is recognised by when it is delivered again: a keyed hash of its Message-ID. */
export function messageKey(cipher: PiiCipher, messageId: string): string {
  return messageKeys(cipher, messageId)[0] as string
}

/**
 * One message ForwardEmail delivered. It is stored (sealed) and acted on in one transaction keyed
 * by its Message-ID, so a delivery repeated by ForwardEmail — it retries until it gets a 200 —
 * creates nothing twice. Automatic mail is recorded and ignored; a reply from the requester joins
 * its request (and a code in it verifies them); anything else opens a request.
 */
export async function receiveMail(deps: IntakeDeps, payload: ForwardEmailPayload): Promise<IntakeOutcome> {
  const { cipher, clock, config } = deps
  const keys = messageKeys(cipher, payload.messageId)
  const key = keys[0] as string
  const sender = senderAddress(payload)
  const automatic = isAutomatic(payload, { ownAddresses: config.ownAddresses })

  const outcome = await inTransaction(deps.pool, async (db): Promise<IntakeOutcome & { inboundId?: string }> => {
    const id = randomUUID()
    // A delivery repeated after a key rotation is still a repeat: under older keys it is looked up
    // here (only while any are configured); under the current one the insert's conflict finds it.
    const olderKeys = keys.slice(1)
    const earlier = olderKeys.length === 0 ? undefined : await storedUnderKeys(db, olderKeys)
    if (earlier) return { status: 'duplicate', requestId: earlier.requestId }
    const claimed = await insertInboundMessage(db, {
      id, key, receivedAt: clock.now(), senderIndex: sender ? cipher.blindIndex('email', sender) : null,
      sealed: cipher.seal(JSON.stringify(withoutAttachments(payload)), `inbound:${id}:message`), attachments: sealAttachments(deps, id, payload)
    })
    if (!claimed) return { status: 'duplicate', requestId: await requestOfMessage(db, key) }
    if (automatic.automatic) return settle(db, id, { status: 'ignored', reason: automatic.reason ?? 'automatic' })
    if (!sender) return settle(db, id, { status: 'ignored', reason: 'no sender address' })

    const named = await requestsNamedIn(db, payload)
    const thread = named.find((request) => sentByRequester(cipher, request, sender))
    if (thread) return settle(db, id, { status: 'attached', requestId: thread.id })
    const mentioned = named[0]

    const classification = classifyRequest({ subject: payload.subject ?? '', text: payload.text ?? '' })
    const jurisdiction = detectJurisdiction({ subject: payload.subject ?? '', text: payload.text ?? '', defaultJurisdiction: config.defaultJurisdiction })
    // A message that names a request but comes from another address — the requester writing from
    // elsewhere, someone on their behalf, or someone trying that request's code — is not the
    // requester's: it opens a request of its own, unclassified so that an agent looks at it before
    // anything is done, and both requests' histories point at each other.
    const type = mentioned ? 'unclassified' : classification.type
    const request = await deps.rights.create(
      { type, jurisdiction, email: sender, name: payload.from.value[0]?.name || undefined, language: classification.language, receivedAt: arrivalOf(payload, clock), source: 'email' },
      'system',
      db
    )
    await recordClassification(db, id, { type: classification.type, confidence: classification.confidence, language: classification.language })
    if (!mentioned) return settle(db, id, { status: 'created', requestId: request.id, type, confidence: classification.confidence })
    await linkForTriage(db, clock, mentioned, request)
    return settle(db, id, { status: 'created', requestId: request.id, type, confidence: classification.confidence, refersTo: mentioned.id })
  })

  // A code in a reply confirms the requester's identity; it is checked after the message is
  // stored, so a wrong code never loses the mail.
  if (outcome.status === 'attached') {
    const code = verificationCodeIn(payload.text ?? '')
    const request = await deps.rights.get(outcome.requestId)
    if (code && request.state === 'awaiting_verification') {
      try {
        await deps.rights.confirmCode(outcome.requestId, code, 'system')
        await markMessageVerified(deps.pool, key)
        return { status: 'verified', requestId: outcome.requestId }
      } catch (error) {
        if (!isDomainError(error, ...CODE_NOT_CONFIRMED)) throw error
        deps.log.info({ requestId: outcome.requestId, code: error.code }, 'code in a reply did not verify')
      }
    }
  }
  return outcome
}

async function settle(db: PoolClient, inboundId: string, outcome: IntakeOutcome): Promise<IntakeOutcome> {
  const requestId = 'requestId' in outcome ? outcome.requestId : null
  const reason = outcome.status === 'ignored' ? outcome.reason : outcome.status === 'created' && outcome.refersTo ? 'not-from-requester' : null
  await settleInboundMessage(db, inboundId, { outcome: outcome.status, requestId, reason })
  return outcome
}

/**
 * The requests a message names, in this order: the id in its subject (`[RR-…]`), then the request
 * of one of ours it answers (Message-ID `<outbox id@…>` in In-Reply-To or References). Naming one
 * proves nothing about the sender: see `sentByRequester`.
 */
async function requestsNamedIn(db: PoolClient, payload: ForwardEmailPayload): Promise<StoredRequest[]> {
  const fromSubject = requestIdInSubject(payload.subject ?? '')
  const outboxIds = referencedMessageIds(payload).map((ref) => /^<([0-9a-f-]{36})@/i.exec(ref)?.[1]).filter((id): id is string => id !== undefined)
  const answered = await requestAnsweredBy(db, outboxIds)
  const ids = [...new Set([fromSubject, answered].filter((id): id is string => id !== null && id !== undefined))]
  const named: StoredRequest[] = []
  for (const id of ids) {
    const request = await findRequest(db, id)
    if (request) named.push(request)
  }
  return named
}

/**
 * A request's id, code and our Message-IDs travel in mail anyone may have seen (forwarded, quoted,
 * guessed from a subject): only a message from the request's own address speaks for its requester.
 * Compared by blind index under every known key, so a request indexed before a key rotation still
 * recognises its requester.
 */
function sentByRequester(cipher: PiiCipher, request: StoredRequest, sender: string): boolean {
  // A purged request (identifiers destroyed after closure) has no requester left to recognise.
  return request.emailIndex !== null && cipher.blindIndexes('email', sender).includes(request.emailIndex)
}

/** Each request's history names the other, so the agent triaging the new one sees what it refers to. */
async function linkForTriage(db: PoolClient, clock: Clock, named: StoredRequest, opened: StoredRequest): Promise<void> {
  const at = clock.now()
  await recordEvent(db, named.id, { at, actor: 'system', action: 'mail_received', fromState: named.state, toState: named.state, details: { fromOtherAddress: true, openedRequest: opened.id } })
  await recordEvent(db, opened.id, { at, actor: 'system', action: 'mail_received', fromState: opened.state, toState: opened.state, details: { fromOtherAddress: true, refersTo: named.id } })
}

// The sender writes the Date header: one from before the received range or from the future
// (beyond a day of clock skew) would move the legal deadlines.
const ARRIVAL_SKEW_MS = 86_400_000

function arrivalOf(payload: ForwardEmailPayload, clock: Clock): Date {
  const latest = clock.now().getTime() + ARRIVAL_SKEW_MS
  const candidates = [payload.session?.arrivalTime, payload.date].map((value) => (value === undefined ? NaN : new Date(value).getTime()))
  const valid = candidates.find((time) => Number.isFinite(time) && time >= RECEIVED_RANGE.earliest.getTime() && time <= latest)
  return valid === undefined ? clock.now() : new Date(valid)
}

/**
 * What is kept of a message: without the raw source and `textAsHtml` (mailparser derives it from
 * the text, and it would be a third of a large message's size to seal and store again), and with
 * attachments reduced to their names and sizes (their bytes are kept apart, when at all).
 */
function withoutAttachments(payload: ForwardEmailPayload): Record<string, unknown> {
  const { attachments, ...rest } = payload as ForwardEmailPayload & { raw?: unknown; textAsHtml?: unknown }
  delete rest.raw
  delete rest.textAsHtml
  return { ...rest, attachments: (attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })) }
}

/** Attachments are kept only where configured, each within the size cap, sealed. */
function sealAttachments(deps: IntakeDeps, inboundId: string, payload: ForwardEmailPayload): string | null {
  if (!deps.config.keepAttachments || !payload.attachments?.length) return null
  const kept = payload.attachments
    .filter((a) => (a.content?.data.length ?? 0) <= deps.config.attachmentMaxBytes)
    .map((a) => ({ filename: a.filename, contentType: a.contentType, base64: Buffer.from(a.content?.data ?? []).toString('base64') }))
  return kept.length ? deps.cipher.seal(JSON.stringify(kept), `inbound:${inboundId}:attachments`) : null
}
