import { OdooAuthError, OdooUnavailableError, OdooUnexpectedError } from './errors.ts'
import { callSiteOf, toOdooError } from './odoo-exception.ts'
import { toExecuteKw, type OdooCall } from './odoo-call.ts'
import { refusedLogin, toServerVersion, type OdooTransport, type OdooTransportOptions } from './transport.ts'
import type { HttpClient } from './http-client.ts'

interface JsonRpcAnswer {
  result?: unknown
  error?: { code?: number; message?: string; data?: { name?: string; message?: string } }
}

/** Odoo's `/jsonrpc` endpoint, the `common` and `object` services (deprecated from Odoo 19 on). */
export function createJsonRpcTransport({ baseUrl, db, username, secret, http }: OdooTransportOptions): OdooTransport {
  const call = createJsonRpcCaller(http, new URL('jsonrpc', baseUrl))

  return {
    protocol: 'jsonrpc',
    async serverVersion(signal) {
      return toServerVersion(await call('common', 'version', [], signal))
    },
    async authenticate(signal) {
      const uid = await call('common', 'authenticate', [db, username, secret, {}], signal)
      // Odoo answers a wrong login, password or key with `false`, not with an error.
      if (typeof uid !== 'number') throw new OdooAuthError(refusedLogin(db))
      return uid
    },
    async execute(odooCall, uid, signal) {
      const { args, kwargs } = toExecuteKw(odooCall)
      return call('object', 'execute_kw', [db, uid, secret, odooCall.model, odooCall.method, args, kwargs], signal, odooCall)
    }
  }
}

type JsonRpcCaller = (service: string, method: string, args: unknown[], signal: AbortSignal, odooCall?: OdooCall) => Promise<unknown>

/** Sends `{"jsonrpc": "2.0", "method": "call", "params": {service, method, args}}` and unwraps the answer. */
function createJsonRpcCaller(http: HttpClient, url: URL): JsonRpcCaller {
  let nextId = 1
  return async (service, method, args, signal, odooCall) => {
    const response = await http.send({
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: nextId++ }),
      signal
    })
    const answer = parseAnswer(response.status, response.contentType, response.body)
    if (answer.error === undefined) return answer.result
    const data = answer.error.data
    const callSite = callSiteOf(odooCall, `JSON-RPC error ${typeof answer.error.code === 'number' ? answer.error.code : 'without a code'}`)
    // `data.name` is the Python exception; the envelope's `code` differs between versions (200, 0).
    if (data?.name === undefined) throw new OdooUnexpectedError('Odoo answered a JSON-RPC error without an exception name', callSite)
    throw toOdooError({ name: data.name, message: data.message ?? answer.error.message ?? '' }, callSite)
  }
}

function parseAnswer(status: number, contentType: string, body: string): JsonRpcAnswer {
  if (status === 200) {
    try {
      const answer: unknown = JSON.parse(body)
      if (typeof answer === 'object' && answer !== null && ('result' in answer || 'error' in answer)) return answer as JsonRpcAnswer
    } catch {
      // not JSON: reported below like any other non-RPC answer
    }
  }
  throw new OdooUnavailableError(`Odoo answered HTTP ${status} (${contentType || 'no content type'}) instead of JSON-RPC`)
}
