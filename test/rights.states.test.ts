import t from 'tap'
import { allowedActions, isOpen, nextState } from '../src/rights/request-states.ts'
import type { RequestAction } from '../src/rights/request-states.ts'
import { jurisdictionOfType, requestTypeSchema } from '../src/rights/request-types.ts'
import type { RequestState, RequestType } from '../src/rights/request-types.ts'

const VERIFIED_TYPES = requestTypeSchema.options.filter((type) => type !== 'ccpa_opt_out')

await t.test('every valid transition of a request that needs verification', (t) => {
  const valid: [RequestState, RequestAction, RequestState][] = [
    ['received', 'send_verification', 'awaiting_verification'],
    ['received', 'verify_manually', 'verified'],
    ['awaiting_verification', 'send_verification', 'awaiting_verification'],
    ['awaiting_verification', 'verify_code', 'verified'],
    ['awaiting_verification', 'verify_manually', 'verified'],
    ['verified', 'start_fulfilment', 'in_progress'],
    ['in_progress', 'complete', 'completed']
  ]
  for (const type of VERIFIED_TYPES) {
    for (const [from, action, to] of valid) t.same(nextState(from, action, type), { ok: true, state: to }, `${type}: ${from} --${action}-->`)
  }
  t.end()
})

await t.test('re-sending the code keeps the request awaiting verification', (t) => {
  t.same(nextState('awaiting_verification', 'send_verification', 'erasure'), { ok: true, state: 'awaiting_verification' })
  t.end()
})

await t.test('every open request can be denied or withdrawn', (t) => {
  for (const type of requestTypeSchema.options) {
    for (const state of ['received', 'awaiting_verification', 'verified', 'in_progress'] as const) {
      t.same(nextState(state, 'deny', type), { ok: true, state: 'denied' }, `${type} ${state} deny`)
      t.same(nextState(state, 'withdraw', type), { ok: true, state: 'withdrawn' }, `${type} ${state} withdraw`)
    }
  }
  t.end()
})

await t.test('a closed request allows no action', (t) => {
  for (const state of ['completed', 'denied', 'withdrawn'] as const) {
    t.same(allowedActions(state, 'access'), [], state)
    t.same(nextState(state, 'withdraw', 'access'), { ok: false, allowed: [] }, state)
  }
  t.end()
})

await t.test('an invalid transition answers with the actions allowed instead', (t) => {
  const invalid: [RequestState, RequestAction, RequestType, RequestAction[]][] = [
    ['received', 'verify_code', 'access', ['send_verification', 'verify_manually', 'deny', 'withdraw']],
    ['received', 'start_fulfilment', 'erasure', ['send_verification', 'verify_manually', 'deny', 'withdraw']],
    ['received', 'complete', 'ccpa_delete', ['send_verification', 'verify_manually', 'deny', 'withdraw']],
    ['awaiting_verification', 'start_fulfilment', 'access', ['send_verification', 'verify_code', 'verify_manually', 'deny', 'withdraw']],
    ['awaiting_verification', 'complete', 'portability', ['send_verification', 'verify_code', 'verify_manually', 'deny', 'withdraw']],
    ['verified', 'verify_code', 'access', ['start_fulfilment', 'deny', 'withdraw']],
    ['verified', 'send_verification', 'rectification', ['start_fulfilment', 'deny', 'withdraw']],
    ['verified', 'complete', 'ccpa_know', ['start_fulfilment', 'deny', 'withdraw']],
    ['in_progress', 'start_fulfilment', 'erasure', ['complete', 'deny', 'withdraw']],
    ['in_progress', 'verify_manually', 'restriction', ['complete', 'deny', 'withdraw']],
    ['completed', 'deny', 'objection', []],
    ['denied', 'start_fulfilment', 'access', []],
    ['withdrawn', 'send_verification', 'access', []]
  ]
  for (const [state, action, type, allowed] of invalid) t.same(nextState(state, action, type), { ok: false, allowed }, `${type}: ${state} --${action}-->`)
  t.end()
})

await t.test('a CCPA opt-out goes to fulfilment without verification', (t) => {
  t.same(allowedActions('received', 'ccpa_opt_out'), ['start_fulfilment', 'deny', 'withdraw'])
  t.same(nextState('received', 'start_fulfilment', 'ccpa_opt_out'), { ok: true, state: 'in_progress' })
  t.same(nextState('in_progress', 'complete', 'ccpa_opt_out'), { ok: true, state: 'completed' })
  t.end()
})

await t.test('a CCPA opt-out cannot be made to wait for a verification', (t) => {
  for (const action of ['send_verification', 'verify_code', 'verify_manually'] as const) {
    t.same(nextState('received', action, 'ccpa_opt_out'), { ok: false, allowed: ['start_fulfilment', 'deny', 'withdraw'] }, action)
  }
  t.end()
})

await t.test('only an opt-out may skip verification', (t) => {
  for (const type of VERIFIED_TYPES) t.equal(nextState('received', 'start_fulfilment', type).ok, false, type)
  t.end()
})

await t.test('a verified request that matches nobody can still be completed', (t) => {
  const path: RequestAction[] = ['verify_manually', 'start_fulfilment', 'complete']
  const final = path.reduce<RequestState>((state, action) => {
    const result = nextState(state, action, 'access')
    return result.ok ? result.state : state
  }, 'received')
  t.equal(final, 'completed')
  t.end()
})

await t.test('received, awaiting verification, verified and in progress are open; the rest are closed', (t) => {
  t.same(
    ['received', 'awaiting_verification', 'verified', 'in_progress', 'completed', 'denied', 'withdrawn'].map((state) => isOpen(state as RequestState)),
    [true, true, true, true, false, false, false]
  )
  t.end()
})

await t.test('a CCPA request type implies the CCPA; the others leave the jurisdiction open', (t) => {
  for (const type of ['ccpa_know', 'ccpa_delete', 'ccpa_opt_out'] as const) t.equal(jurisdictionOfType(type), 'ccpa', type)
  for (const type of ['access', 'portability', 'rectification', 'erasure', 'restriction', 'objection'] as const) t.equal(jurisdictionOfType(type), null, type)
  t.end()
})
