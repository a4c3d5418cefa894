import { setTimeout as sleep } from 'node:timers/promises'
import type { FaultRules } from './faults.ts'
import type { Answer } from './http-server.ts'
import type { Protocol } from './protocol/http-reply.ts'
import { isIncoming } from './protocol/http-reply.ts'
import { route } from './protocol/router.ts'
import type { Endpoints, RawRequest } from './protocol/router.ts'

export interface RecordedCall {
  protocol: Protocol
  model: string
  method: string
  ids?: number[]
  at: Date
  context?: object
}

export interface PipelineDeps {
  endpoints: Endpoints
  faults: FaultRules
  calls: RecordedCall[]
  now: () => Date
}

/**
 * What happens to every HTTP request: routed to its protocol, recorded when it calls a model
 * method, delayed by the injected latency, then disrupted by a matching fault rule or answered.
 */
export function requestPipeline({ endpoints, faults, calls, now }: PipelineDeps): (request: RawRequest) => Promise<Answer> {
  return async (request) => {
    const routed = route(endpoints, request)
    const incoming = isIncoming(routed) ? routed : undefined
    if (incoming?.call) calls.push({ protocol: incoming.protocol, ...incoming.call, at: now() })
    const delay = faults.delay + faults.costOf(incoming?.call)
    if (delay > 0) await sleep(delay)
    const disruption = faults.take(incoming ?? {})
    if (disruption?.kind === 'hang') return 'hang'
    if (disruption?.kind === 'reply') return disruption.reply
    if (!isIncoming(routed)) return routed
    return disruption?.kind === 'raise' ? routed.fail(disruption.error) : routed.execute()
  }
}
