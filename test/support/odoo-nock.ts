import nock from 'nock'
import { createHttpClient, type HttpClient } from '../../src/odoo/http-client.ts'
import type { OdooTransportOptions } from '../../src/odoo/transport.ts'

/** An Odoo behind a path prefix, as behind a reverse proxy: transports must keep the prefix. */
export const ODOO_ORIGIN = 'http://odoo.test'
export const ODOO_PREFIX = '/erp'
export const SECRET = 'api-key-do-not-log'

export function transportOptions(): OdooTransportOptions & { http: HttpClient } {
  return {
    baseUrl: new URL(`${ODOO_ORIGIN}${ODOO_PREFIX}/`),
    db: 'shop',
    username: 'admin',
    secret: SECRET,
    http: createHttpClient({ maxConnections: 2 })
  }
}

export function odoo(): nock.Scope {
  return nock(ODOO_ORIGIN)
}

export const signal = (): AbortSignal => AbortSignal.timeout(2_000)

/** An XML-RPC method response carrying one already-encoded `<value>`. */
export function xmlResult(valueXml: string): string {
  return `<?xml version="1.0"?>\n<methodResponse>\n<params>\n<param>\n<value>${valueXml}</value>\n</param>\n</params>\n\n</methodResponse>\n`
}

export function xmlFault(faultCode: number, faultString: string): string {
  const escaped = faultString.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
  return (
    '<?xml version="1.0"?>\n<methodResponse>\n<fault>\n<value><struct>\n' +
    `<member>\n<name>faultCode</name>\n<value><int>${faultCode}</int></value>\n</member>\n` +
    `<member>\n<name>faultString</name>\n<value><string>${escaped}</string></value>\n</member>\n` +
    '</struct></value>\n</fault>\n\n</methodResponse>\n'
  )
}

/** A Python traceback as Odoo puts it in a code-1 fault (frames shortened). */
export function traceback(lastLine: string): string {
  return (
    'Traceback (most recent call last):\n' +
    '  File "/usr/lib/python3/dist-packages/odoo/service/model.py", line 61, in execute_kw\n' +
    '    return execute(db, uid, obj, method, *args, **kw or {})\n' +
    '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n' +
    `${lastLine}\n`
  )
}

export const XML = { 'Content-Type': 'text/xml; charset=utf-8' }
export const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' }
export const HTML = { 'Content-Type': 'text/html; charset=utf-8' }

export const PROXY_502_PAGE = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<BODY>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</BODY>\r\n</html>\r\n'

/** The error a promise rejects with (fails the test when it resolves instead). */
export async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error
  )
  if (!(outcome instanceof Error)) throw new Error(`expected a rejection with an Error, got ${String(outcome)}`)
  return outcome
}
