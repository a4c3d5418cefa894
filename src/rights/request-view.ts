import { z } from 'zod'
import { maskEmail, maskName, maskPhone } from '../mirror/masking.ts'
import { isOverdue } from './deadlines.ts'
import { allowedActions, requestActionSchema } from './request-states.ts'
import { approvalViewSchema, toApprovalView, transitionOf } from './request-approval.ts'
import { denialReasonSchema, jurisdictionSchema, requestStateSchema, requestTypeSchema } from './request-types.ts'
import type { RequestEvent, StoredRequest } from './request-store.ts'
import { subjectConfirmationSchema } from './subject-discovery.ts'

export const requestViewSchema = z
  .object({
    id: z.string().describe('Public id, e.g. `RR-7Q2M9K4XHD`: quoted in every mail to the requester.'),
    type: requestTypeSchema,
    jurisdiction: jurisdictionSchema,
    source: z.enum(['api', 'email']),
    state: requestStateSchema,
    language: z.string(),
    receivedAt: z.date(),
    dueAt: z.date().describe('The legal deadline (extended, if it was).'),
    targetAt: z.date().describe("The shop's own target, in business days."),
    acknowledgeBy: z.date().nullable().describe('CCPA: acknowledge within 10 business days.'),
    overdue: z.boolean(),
    requester: z
      .object({
        email: z.string().nullable().describe('Null once purged.'),
        phone: z.string().nullable(),
        name: z.string().nullable(),
        orderRefs: z.array(z.string()),
        purgedAt: z.date().nullable().describe('When the identifiers were destroyed, `RIGHTS_RECORD_RETENTION_DAYS` after the request closed; every field above is then empty.')
      })
      .describe('Masked, as agents see it.'),
    extension: z.object({ until: z.string(), reason: z.string(), noticeAt: z.string() }).nullable(),
    verification: z
      .object({ method: z.enum(['code', 'manual']), at: z.string(), by: z.string(), approvedBy: z.string().optional().describe('The second key that approved a manual verification (RIGHTS_APPROVAL).') })
      .nullable(),
    approval: approvalViewSchema.nullable().describe('The action waiting for a second key, and whose; null when none waits.'),
    denial: z.object({ reason: denialReasonSchema, detail: z.string().optional() }).nullable(),
    subjectPartnerIds: z.array(z.number().int()),
    subjectConfirmation: subjectConfirmationSchema.nullable(),
    outcome: z.record(z.string(), z.unknown()).nullable().describe('What fulfilment did: ids, counts and reasons.'),
    allowedActions: z.array(requestActionSchema).describe('What the state allows, less the action awaiting approval.'),
    completedAt: z.date().nullable(),
    history: z
      .array(z.object({ at: z.date(), actor: z.string(), action: z.string(), fromState: requestStateSchema.nullable(), toState: requestStateSchema, details: z.record(z.string(), z.unknown()) }))
      .optional()
  })
  .meta({ id: 'RightsRequest' })
export type RequestView = z.infer<typeof requestViewSchema>

export interface RequesterIdentifiers {
  email: string
  phone: string | null
  name: string | null
  orderRefs: string[]
}

/** `who`: the opened identifiers, or null once they were purged. */
export function toRequestView(request: StoredRequest, who: RequesterIdentifiers | null, now: Date, history?: RequestEvent[]): RequestView {
  return {
    id: request.id,
    type: request.type,
    jurisdiction: request.jurisdiction,
    source: request.source,
    state: request.state,
    language: request.language,
    receivedAt: request.receivedAt,
    dueAt: request.dueAt,
    targetAt: request.targetAt,
    acknowledgeBy: request.acknowledgeBy,
    overdue: isOverdue(request.dueAt, request.state, now),
    requester: who
      ? { email: maskEmail(who.email), phone: who.phone ? maskPhone(who.phone) : null, name: who.name ? maskName(who.name) : null, orderRefs: who.orderRefs, purgedAt: null }
      : { email: null, phone: null, name: null, orderRefs: [], purgedAt: request.identifiersPurgedAt },
    extension: request.extension,
    verification: request.verification ? verificationView(request.verification) : null,
    approval: request.approval ? toApprovalView(request.approval) : null,
    denial: request.denial,
    subjectPartnerIds: request.subjectPartnerIds,
    subjectConfirmation: request.subjectConfirmation,
    outcome: request.outcome,
    allowedActions: allowedActions(request.state, request.type).filter((action) => !request.approval || action !== transitionOf(request.approval.action)),
    completedAt: request.completedAt,
    ...(history ? { history } : {})
  }
}

/** The verification as agents see it: never the evidence. */
function verificationView({ method, at, by, approvedBy }: NonNullable<StoredRequest['verification']>): RequestView['verification'] {
  return { method, at, by, ...(approvedBy ? { approvedBy } : {}) }
}
