import type { CallRunner } from './call-runner.ts'
import type { HttpClient } from './http-client.ts'
import { createJson2Transport } from './json2-transport.ts'
import { createJsonRpcTransport } from './jsonrpc-transport.ts'
import { once } from './memo.ts'
import type { OdooProtocol, OdooServerVersion, OdooTransport, OdooTransportOptions } from './transport.ts'
import { createXmlRpcTransport } from './xmlrpc-transport.ts'

/** From this major on Odoo serves JSON-2 and deprecates XML-RPC and JSON-RPC. */
const JSON2_SINCE_MAJOR = 19

export interface ConnectionSettings {
  url: string
  db: string
  username: string
  secret: string
  protocol: OdooProtocol | 'auto'
}

/**
 * What the gateway learns once per connection: the transport to use, the server's version and the
 * uid. Nothing is asked before first use (the service starts while Odoo is down), and a failed
 * attempt is not remembered, so the next use asks again.
 */
export interface OdooConnection {
  transport(): Promise<OdooTransport>
  /** A transport that can ask the server's version right now, without detecting anything first. */
  versionProbe(): OdooTransport
  serverVersion(): Promise<OdooServerVersion>
  uid(): Promise<number>
}

export function createOdooConnection(settings: ConnectionSettings, http: HttpClient, run: CallRunner): OdooConnection {
  const options: OdooTransportOptions = { ...settings, baseUrl: withTrailingSlash(settings.url), http }

  // Auto-detection asks JSON-RPC's `common.version`, which every supported version (16 to 19) serves.
  const probe = createJsonRpcTransport(options)
  const detected = once(async () => {
    const version = await run({ method: 'version', retryable: true }, (signal) => probe.serverVersion(signal))
    const transport = version.major >= JSON2_SINCE_MAJOR ? createJson2Transport(options) : probe
    return { transport, version }
  })
  const forced = settings.protocol === 'auto' ? undefined : createTransport(settings.protocol, options)

  const transport = async () => forced ?? (await detected()).transport
  const serverVersion = once(async () => {
    if (forced === undefined) return (await detected()).version
    return run({ method: 'version', retryable: true }, (signal) => forced.serverVersion(signal))
  })
  const uid = once(async () => {
    const chosen = await transport()
    return run({ model: 'res.users', method: 'authenticate', retryable: true }, (signal) => chosen.authenticate(signal))
  })

  const versionProbe = () => forced ?? probe

  return { transport, versionProbe, serverVersion, uid }
}

function createTransport(protocol: OdooProtocol, options: OdooTransportOptions): OdooTransport {
  switch (protocol) {
    case 'xmlrpc':
      return createXmlRpcTransport(options)
    case 'jsonrpc':
      return createJsonRpcTransport(options)
    case 'json2':
      return createJson2Transport(options)
  }
}

function withTrailingSlash(url: string): URL {
  return new URL(url.endsWith('/') ? url : `${url}/`)
}
