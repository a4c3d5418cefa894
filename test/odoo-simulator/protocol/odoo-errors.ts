import { OdooError } from '../errors.ts'
import type { Version } from '../schema.ts'
import type { Entry } from '../traceback.ts'

/** Whatever went wrong, as an Odoo exception: a simulator bug still reaches the client as a server error. */
export function asOdooError(error: unknown): OdooError {
  if (error instanceof OdooError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new OdooError({ exception: 'builtins.Exception', message: `Odoo simulator: ${message}` })
}

/** The `error` member of a JSON-RPC response (/jsonrpc and the /web routes). */
export function jsonRpcErrorMember(version: Version, entry: Entry, error: OdooError): Record<string, unknown> {
  // Odoo 19 does not disclose where an authentication failure happened.
  const debug = version === 19 && error.exception === 'odoo.exceptions.AccessDenied' ? `${error.lastLine}\n` : error.traceback(version, entry)
  const data = version === 19
    ? { name: error.exception, message: error.message, arguments: error.pyArgs, context: {}, debug }
    : { name: error.exception, debug, message: error.message, arguments: error.pyArgs, context: {} }
  if (error.exception === 'odoo.http.SessionExpiredException') return { code: 100, message: 'Odoo Session Expired', data }
  return { code: version === 19 ? 0 : 200, message: 'Odoo Server Error', data }
}
