import type { OdooError } from '../errors.ts'
import type { Version } from '../schema.ts'

/** What the simulator answers to one HTTP request. */
export interface HttpReply {
  status: number
  headers: Record<string, string>
  body: string
}

export type Protocol = 'xmlrpc' | 'jsonrpc' | 'web' | 'json2'

/** An object call as the simulator records it and as fault rules match it. */
export interface ObjectCall {
  model: string
  method: string
  ids?: number[]
  context?: { [key: string]: unknown }
}

/**
 * A parsed request, not yet answered: what it is (for recording and fault matching), how to
 * answer it, and how this protocol would carry an Odoo exception.
 */
export interface IncomingRequest {
  protocol: Protocol
  /** set for calls of a model method */
  call?: ObjectCall
  /** the service method for other calls (version, authenticate, login...) */
  method?: string
  execute(): HttpReply
  fail(error: OdooError): HttpReply
}

export function isIncoming(value: IncomingRequest | HttpReply): value is IncomingRequest {
  return 'execute' in value
}

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): HttpReply => ({
  status,
  headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(value),
})

export const html = (status: number, body: string): HttpReply => ({ status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body })

export const notFoundPage = (): HttpReply =>
  html(404, '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n')

export const methodNotAllowedPage = (): HttpReply =>
  html(405, '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n')

/** common.version(): what the recorded servers answered. */
export function versionInfo(version: Version): { server_version: string; server_version_info: (number | string)[]; server_serie: string; protocol_version: number } {
  switch (version) {
    case 16:
      return { server_version: '16.0', server_version_info: [16, 0, 0, 'final', 0, ''], server_serie: '16.0', protocol_version: 1 }
    case 17:
      return { server_version: '17.0', server_version_info: [17, 0, 0, 'final', 0, ''], server_serie: '17.0', protocol_version: 1 }
    case 18:
      return { server_version: '18.0+e-20241005', server_version_info: [18, 0, 0, 'final', 0, 'e'], server_serie: '18.0', protocol_version: 1 }
    case 19:
      return { server_version: '19.0', server_version_info: [19, 0, 0, 'final', 0, ''], server_serie: '19.0', protocol_version: 1 }
  }
}
