import { z } from 'zod'
import type { RequestState, RequestType } from './request-types.ts'

export const requestActionSchema = z
  .enum(['send_verification', 'verify_code', 'verify_manually', 'start_fulfilment', 'complete', 'deny', 'withdraw'])
  .meta({
    id: 'RequestAction',
    description:
      'A transition: send_verification (e-mail a one-time code, again to re-send), verify_code, verify_manually (with an evidence note), ' +
      'start_fulfilment, complete, deny (with a reason), withdraw.'
  })
export type RequestAction = z.infer<typeof requestActionSchema>

export const OPEN_STATES = ['received', 'awaiting_verification', 'verified', 'in_progress'] as const satisfies readonly RequestState[]

export function isOpen(state: RequestState): boolean {
  return (OPEN_STATES as readonly RequestState[]).includes(state)
}

/** A request in one of these states takes no action any more. */
export const CLOSED_STATES = ['completed', 'denied', 'withdrawn'] as const satisfies readonly RequestState[]

/**
 * Identity is verified before anything is disclosed or erased (GDPR Art. 12(6); CCPA regulations
 * §7060), except for a CCPA opt-out of sale or sharing, which may not be made to wait for a
 * verification (CCPA regulations §7026).
 */
export function requiresVerification(type: RequestType): boolean {
  return type !== 'ccpa_opt_out'
}

interface Transition {
  from: RequestState
  action: RequestAction
  to: RequestState
  appliesTo: 'needs_verification' | 'no_verification' | 'all'
}

const TRANSITIONS: readonly Transition[] = [
  { from: 'received', action: 'send_verification', to: 'awaiting_verification', appliesTo: 'needs_verification' },
  { from: 'received', action: 'verify_manually', to: 'verified', appliesTo: 'needs_verification' },
  { from: 'received', action: 'start_fulfilment', to: 'in_progress', appliesTo: 'no_verification' },
  { from: 'awaiting_verification', action: 'send_verification', to: 'awaiting_verification', appliesTo: 'needs_verification' },
  { from: 'awaiting_verification', action: 'verify_code', to: 'verified', appliesTo: 'needs_verification' },
  { from: 'awaiting_verification', action: 'verify_manually', to: 'verified', appliesTo: 'needs_verification' },
  // A verified requester who matches nobody is still answered ("we hold no data") through fulfilment.
  { from: 'verified', action: 'start_fulfilment', to: 'in_progress', appliesTo: 'needs_verification' },
  { from: 'in_progress', action: 'complete', to: 'completed', appliesTo: 'all' },
  ...OPEN_STATES.flatMap((from) => [
    { from, action: 'deny', to: 'denied', appliesTo: 'all' } as const,
    { from, action: 'withdraw', to: 'withdrawn', appliesTo: 'all' } as const
  ])
]

function transitionsFrom(state: RequestState, type: RequestType): Transition[] {
  const path = requiresVerification(type) ? 'needs_verification' : 'no_verification'
  return TRANSITIONS.filter((transition) => transition.from === state && (transition.appliesTo === 'all' || transition.appliesTo === path))
}

/** The actions a request of this type may take from this state, in the order of `requestActionSchema`. */
export function allowedActions(state: RequestState, type: RequestType): RequestAction[] {
  const allowed = new Set(transitionsFrom(state, type).map((transition) => transition.action))
  return requestActionSchema.options.filter((action) => allowed.has(action))
}

export type TransitionResult = { ok: true; state: RequestState } | { ok: false; allowed: RequestAction[] }

/** Where an action leads, or the actions that were allowed instead (the API answers 409 with them). */
export function nextState(state: RequestState, action: RequestAction, type: RequestType): TransitionResult {
  const transition = transitionsFrom(state, type).find((candidate) => candidate.action === action)
  return transition ? { ok: true, state: transition.to } : { ok: false, allowed: allowedActions(state, type) }
}
