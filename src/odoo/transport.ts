import type { OdooCall } from './odoo-call.ts'
import type { HttpClient } from './http-client.ts'

export type OdooProtocol = 'xmlrpc' | 'jsonrpc' | 'json2'

export interface OdooServerVersion {
  /** As the server reports it, e.g. `18.0+e-20241005`. */
  serverVersion: string
  major: number
}

export interface OdooTransportOptions {
  /** The Odoo URL with a trailing slash, so that relative endpoint paths keep any path prefix. */
  baseUrl: URL
  db: string
  username: string
  secret: string
  http: HttpClient
}

/** What the gateway needs from a protocol; one implementation per protocol Odoo speaks. */
export interface OdooTransport {
  readonly protocol: OdooProtocol
  serverVersion(signal: AbortSignal): Promise<OdooServerVersion>
  /** The uid the configured credentials belong to; rejects with OdooAuthError when Odoo refuses them. */
  authenticate(signal: AbortSignal): Promise<number>
  execute(call: OdooCall, uid: number, signal: AbortSignal): Promise<unknown>
}

/** Reads the answer of `common.version` (XML-RPC and JSON-RPC). */
export function toServerVersion(result: unknown): OdooServerVersion {
  const info = result as { server_version?: unknown; server_version_info?: unknown } | null
  const serverVersion = typeof info?.server_version === 'string' ? info.server_version : ''
  const versionInfo = Array.isArray(info?.server_version_info) ? (info.server_version_info as unknown[]) : []
  const major = typeof versionInfo[0] === 'number' ? versionInfo[0] : Number.parseInt(serverVersion, 10)
  return { serverVersion, major }
}

/** Odoo answers a wrong login, password or key with `false`. The login is not repeated: it is often a person's e-mail address. */
export function refusedLogin(db: string): string {
  return `Odoo refused the configured login (ODOO_USERNAME) and secret on database "${db}"`
}
