import { json } from './protocol/http-reply.ts'
import type { HttpReply } from './protocol/http-reply.ts'
import type { RawRequest } from './protocol/router.ts'
import type { RecordedCall } from './request-pipeline.ts'

/**
 * Routes no Odoo has, served only when the simulator is started with them (`--debug-endpoints`),
 * for benches in other processes that cannot read `calls`:
 *   GET /__sim/writes?model=res.partner → {"model": "res.partner", "writes": {"<id>": <write calls naming it>}}
 * Anything else is left to the Odoo routes (undefined).
 */
export function debugEndpoint(calls: readonly RecordedCall[], request: RawRequest): HttpReply | undefined {
  const url = new URL(request.url, 'http://simulator')
  if (request.method !== 'GET' || url.pathname !== '/__sim/writes') return undefined
  const model = url.searchParams.get('model') ?? 'res.partner'
  const writes: Record<number, number> = {}
  for (const call of calls) {
    if (call.model !== model || call.method !== 'write') continue
    for (const id of call.ids ?? []) writes[id] = (writes[id] ?? 0) + 1
  }
  return json(200, { model, writes })
}
