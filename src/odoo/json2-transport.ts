import { OdooAuthError, OdooUnavailableError, type OdooError } from './errors.ts'
import { callSiteOf, toOdooError } from './odoo-exception.ts'
import { toJson2Body, type OdooCall } from './odoo-call.ts'
import { toServerVersion, type OdooTransport, type OdooTransportOptions } from './transport.ts'
import type { HttpResponse } from './http-client.ts'

/**
 * Odoo's JSON-2 API (Odoo 19+): `POST /json/2/<model>/<method>` with named arguments, the API key
 * as a bearer token, a bare JSON result and errors told by HTTP status and exception name.
 */
export function createJson2Transport({ baseUrl, db, secret, http }: OdooTransportOptions): OdooTransport {
  async function execute(call: OdooCall, signal: AbortSignal): Promise<unknown> {
    const response = await http.send({
      method: 'POST',
      url: new URL(`json/2/${encodeURIComponent(call.model)}/${encodeURIComponent(call.method)}`, baseUrl),
      headers: { 'Content-Type': 'application/json', Authorization: `bearer ${secret}`, 'X-Odoo-Database': db },
      body: JSON.stringify(toJson2Body(call)),
      signal
    })
    if (response.status === 200) return parseResult(response)
    throw toError(response, call)
  }

  return {
    protocol: 'json2',
    async serverVersion(signal) {
      const response = await http.send({ method: 'GET', url: new URL('web/version', baseUrl), headers: {}, signal })
      if (response.status !== 200) throw unavailable(response)
      // `/web/version` names the fields of `common.version` differently.
      const { version, version_info } = parseResult(response) as { version?: unknown; version_info?: unknown }
      return toServerVersion({ server_version: version, server_version_info: version_info })
    },
    async authenticate(signal) {
      const context = (await execute({ model: 'res.users', method: 'context_get', params: {} }, signal)) as { uid?: unknown }
      if (typeof context.uid !== 'number') throw new OdooAuthError('Odoo did not tell whose API key this is')
      return context.uid
    },
    execute: (call, _uid, signal) => execute(call, signal)
  }
}

function parseResult(response: HttpResponse): unknown {
  try {
    return JSON.parse(response.body)
  } catch {
    throw unavailable(response)
  }
}

function toError(response: HttpResponse, call: OdooCall): OdooError {
  const callSite = callSiteOf(call, `HTTP ${response.status}`)
  const exception = readException(response.body)
  if (response.status === 401) {
    // JSON-2 accepts API keys only: a password that works over XML-RPC/JSON-RPC is refused here.
    const details = { model: callSite.model, method: callSite.method, code: callSite.code, exceptionName: exception?.name }
    return new OdooAuthError('Odoo refused the secret over JSON-2 (it accepts an API key, not a password)', details)
  }
  if (exception === undefined) return unavailable(response)
  return toOdooError(exception, callSite)
}

function readException(body: string): { name: string; message: string } | undefined {
  try {
    const parsed = JSON.parse(body) as { name?: unknown; message?: unknown } | null
    if (typeof parsed?.name !== 'string') return undefined
    return { name: parsed.name, message: typeof parsed.message === 'string' ? parsed.message : '' }
  } catch {
    return undefined
  }
}

function unavailable(response: HttpResponse): OdooUnavailableError {
  return new OdooUnavailableError(`Odoo answered HTTP ${response.status} (${response.contentType || 'no content type'}) instead of JSON-2`)
}
