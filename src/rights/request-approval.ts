import { z } from 'zod'
import type { Actor } from '../audit/audit-trail.ts'
import type { RightsConfig } from '../config/env.ts'
import { domainError } from '../errors/catalogue.ts'
import type { DomainError } from '../errors/catalogue.ts'
import { nextState } from './request-states.ts'
import type { RequestAction } from './request-states.ts'
import type { RequestState, RequestType } from './request-types.ts'

/** The actions a second key may have to approve before they take effect. */
export const approvableActionSchema = z.enum(['verify_manually', 'fulfil'])
export type ApprovableAction = z.infer<typeof approvableActionSchema>

/** An action asked for and not carried out yet; its input is sealed apart from it. */
export interface PendingApproval {
  action: ApprovableAction
  requestedBy: Actor
  requestedAt: string
}

export const approvalViewSchema = z
  .object({
    action: approvableActionSchema,
    requestedBy: z.string().describe('The key that asked for it (`key:<id>`).'),
    requestedAt: z.string(),
    awaiting: z.string().describe('Who may approve it: any agent or admin key but the one that asked.')
  })
  .meta({ id: 'PendingApproval', description: 'An action that takes effect only once a second key approves it (`POST /v1/requests/{id}/approval`); see RIGHTS_APPROVAL.' })

export const approvalDecisionSchema = z
  .object({
    decision: z.enum(['approve', 'reject']),
    note: z.string().trim().min(1).max(500).optional().describe("Kept in the request's history; not for personal data.")
  })
  .meta({ id: 'ApprovalDecision', example: { decision: 'approve' } })
export type ApprovalDecision = z.infer<typeof approvalDecisionSchema>

// Erasure cannot be undone; these are the types whose fulfilment erases.
const ERASING_TYPES: readonly RequestType[] = ['erasure', 'ccpa_delete']

/**
 * Whether an action waits for a second key. A manual verification rests on one agent's judgement
 * alone (no code proves it), so every mode but `none` has it approved.
 */
export function needsApproval(mode: RightsConfig['approval'], action: ApprovableAction, type: RequestType): boolean {
  if (mode === 'none') return false
  if (action === 'verify_manually') return true
  return mode === 'all' || ERASING_TYPES.includes(type)
}

/** Whether a request in this state could still carry out the action (a fulfilment is retried in progress). */
export function approvalStillApplies(action: ApprovableAction, state: RequestState, type: RequestType): boolean {
  if (action === 'verify_manually') return nextState(state, 'verify_manually', type).ok
  return state === 'in_progress' || nextState(state, 'start_fulfilment', type).ok
}

/** The state-machine action a pending approval stands for, left out of `allowedActions` while it waits. */
export function transitionOf(action: ApprovableAction): RequestAction {
  return action === 'fulfil' ? 'start_fulfilment' : action
}

export function toApprovalView(pending: PendingApproval): z.infer<typeof approvalViewSchema> {
  return { ...pending, awaiting: `another agent or admin key than ${pending.requestedBy}` }
}

export function approvalAlreadyPending(pending: PendingApproval): DomainError {
  return domainError('approval_pending', describe(pending.action), pending.requestedBy, pending.requestedAt)
}

export function nothingToApprove(id: string): DomainError {
  return domainError('no_approval_pending', id)
}

export function sameKeyRefused(pending: PendingApproval): DomainError {
  return domainError('approval_needs_second_person', describe(pending.action), pending.requestedBy)
}

function describe(action: ApprovableAction): string {
  return action === 'fulfil' ? 'The fulfilment' : 'The manual verification'
}
