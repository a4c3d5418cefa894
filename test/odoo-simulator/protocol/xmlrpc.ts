import { OdooError } from '../errors.ts'
import type { Version } from '../schema.ts'
import type { HttpReply, IncomingRequest } from './http-reply.ts'
import { asOdooError } from './odoo-errors.ts'
import type { RpcServices } from './rpc-services.ts'
import { parseMethodCall, serializeFault, serializeResponse } from './xmlrpc-codec.ts'

/** POST /xmlrpc/2/<service>: faultCode 1 carries a traceback, 2-4 the message of the Odoo exception. */
export function xmlRpcRequest(services: RpcServices, version: Version, service: string, body: string): IncomingRequest {
  const entry = service === 'object' ? 'xmlrpc-object' : 'xmlrpc-common'
  const fail = (error: OdooError): HttpReply => {
    const code = error.faultCode
    return xml(serializeFault(version, code, code === 1 ? error.traceback(version, entry) : error.message))
  }
  let parsed: ReturnType<typeof parseMethodCall>
  try {
    parsed = parseMethodCall(body)
  } catch (error) {
    const malformed = new OdooError({ exception: 'xml.parsers.expat.ExpatError', message: error instanceof Error ? error.message : String(error), stage: 'service' })
    return { protocol: 'xmlrpc', execute: () => fail(malformed), fail }
  }
  const { method, params } = parsed
  return {
    protocol: 'xmlrpc',
    ...services.describe(service, method, params),
    execute: () => {
      try {
        return xml(serializeResponse(version, services.dispatch(service, method, params)))
      } catch (error) {
        return fail(asOdooError(error))
      }
    },
    fail,
  }
}

const xml = (body: string): HttpReply => ({ status: 200, headers: { 'Content-Type': 'text/xml; charset=utf-8' }, body })
