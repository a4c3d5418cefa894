import { OdooAuthError, OdooUnavailableError, type OdooError } from './errors.ts'
import { callSiteOf, exceptionFromTraceback, toOdooError, type OdooException } from './odoo-exception.ts'
import { toExecuteKw, type OdooCall } from './odoo-call.ts'
import { refusedLogin, toServerVersion, type OdooTransport, type OdooTransportOptions } from './transport.ts'
import { decodeMethodResponse, encodeMethodCall, XmlRpcFormatError } from './xmlrpc-codec.ts'
import type { HttpResponse } from './http-client.ts'

/** Odoo's `/xmlrpc/2/common` and `/xmlrpc/2/object` endpoints (deprecated from Odoo 19 on). */
export function createXmlRpcTransport({ baseUrl, db, username, secret, http }: OdooTransportOptions): OdooTransport {
  const commonUrl = new URL('xmlrpc/2/common', baseUrl)
  const objectUrl = new URL('xmlrpc/2/object', baseUrl)

  async function methodCall(url: URL, method: string, params: unknown[], signal: AbortSignal, call?: OdooCall): Promise<unknown> {
    const response = await http.send({
      method: 'POST',
      url,
      headers: { 'Content-Type': 'text/xml' },
      body: encodeMethodCall(method, params),
      signal
    })
    const decoded = decodeResponse(response)
    if (decoded.fault) throw faultToError(decoded.faultCode, decoded.faultString, call)
    return decoded.value
  }

  return {
    protocol: 'xmlrpc',
    async serverVersion(signal) {
      return toServerVersion(await methodCall(commonUrl, 'version', [], signal))
    },
    async authenticate(signal) {
      const uid = await methodCall(commonUrl, 'authenticate', [db, username, secret, {}], signal)
      // Odoo answers a wrong login, password or key with `false`, not with a fault.
      if (typeof uid !== 'number') throw new OdooAuthError(refusedLogin(db))
      return uid
    },
    async execute(call, uid, signal) {
      const { args, kwargs } = toExecuteKw(call)
      return methodCall(objectUrl, 'execute_kw', [db, uid, secret, call.model, call.method, args, kwargs], signal, call)
    }
  }
}

function decodeResponse(response: HttpResponse): ReturnType<typeof decodeMethodResponse> {
  if (response.status !== 200) {
    throw new OdooUnavailableError(`Odoo answered HTTP ${response.status} (${response.contentType || 'no content type'}) instead of XML-RPC`)
  }
  try {
    return decodeMethodResponse(response.body)
  } catch (error) {
    if (!(error instanceof XmlRpcFormatError)) throw error
    throw new OdooUnavailableError(`Odoo's answer is not XML-RPC (${response.contentType || 'no content type'}): ${error.message}`)
  }
}

// Odoo's fault codes (odoo/addons/base/controllers/rpc.py): 1 any other exception, with the
// traceback as faultString; 2 UserError and its subclasses (ValidationError, MissingError);
// 3 AccessDenied; 4 AccessError.
function faultToError(faultCode: number, faultString: string, call: OdooCall | undefined): OdooError {
  return toOdooError(faultToException(faultCode, faultString), callSiteOf(call, `XML-RPC fault ${faultCode}`))
}

function faultToException(faultCode: number, faultString: string): OdooException {
  switch (faultCode) {
    case 2:
      // XML-RPC drops the class of a code-2 fault; MissingError is told by its fixed message.
      return faultString.startsWith('Record does not exist or has been deleted')
        ? { name: 'odoo.exceptions.MissingError', message: faultString }
        : { name: 'odoo.exceptions.UserError', message: faultString }
    case 3:
      return { name: 'odoo.exceptions.AccessDenied', message: faultString }
    case 4:
      return { name: 'odoo.exceptions.AccessError', message: faultString }
    default:
      return exceptionFromTraceback(faultString)
  }
}
