import { httpError } from '../errors.ts'
import type { OdooError } from '../errors.ts'
import { isJsonObject } from '../python.ts'
import type { Json } from '../python.ts'
import type { Version } from '../schema.ts'
import { json } from './http-reply.ts'
import type { HttpReply, IncomingRequest } from './http-reply.ts'
import { asOdooError, jsonRpcErrorMember } from './odoo-errors.ts'
import type { RpcServices } from './rpc-services.ts'

/** POST /jsonrpc: {"method": "call", "params": {"service", "method", "args"}}; errors travel with HTTP 200. */
export function jsonRpcRequest(services: RpcServices, version: Version, body: string): IncomingRequest {
  const request = parseJsonRpc(body)
  const params = isJsonObject(request?.params) ? request.params : {}
  const service = typeof params.service === 'string' ? params.service : ''
  const method = typeof params.method === 'string' ? params.method : ''
  const args = Array.isArray(params.args) ? params.args : []
  const id = request?.id ?? null
  const fail = (error: OdooError): HttpReply =>
    json(200, { jsonrpc: '2.0', id, error: jsonRpcErrorMember(version, service === 'object' ? 'jsonrpc-object' : 'jsonrpc-common', error) })
  if (!request) {
    const malformed = httpError('BadRequest', 'Invalid JSON data')
    return { protocol: 'jsonrpc', execute: () => fail(malformed), fail }
  }
  return {
    protocol: 'jsonrpc',
    ...services.describe(service, method, args),
    execute: () => {
      try {
        return json(200, { jsonrpc: '2.0', id, result: services.dispatch(service, method, args) })
      } catch (error) {
        return fail(asOdooError(error))
      }
    },
    fail,
  }
}

/** The JSON-RPC request object, or undefined when the body is not a JSON object. */
export function parseJsonRpc(body: string): { [key: string]: Json } | undefined {
  try {
    const parsed: unknown = JSON.parse(body)
    return isJsonObject(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}
