/**
 * Compares odoo-await 3.4 (the design card's XML-RPC client) with the gateway's own XML-RPC
 * transport against a local stand-in for Odoo's /xmlrpc/2 endpoints, on the points that decided
 * between wrapping and replacing it (src/odoo/README.md). Run: node bench/odoo-xmlrpc-client.ts
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import OdooAwait from 'odoo-await'
import { createHttpClient } from '../src/odoo/http-client.ts'
import { createXmlRpcTransport } from '../src/odoo/xmlrpc-transport.ts'

const CALLS = 500
const DEADLINE_MS = 500

type Mode = 'ok' | 'proxy-502' | 'hang'
let mode: Mode = 'ok'
let connections = 0
const paths = new Set<string>()

const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  paths.add(request.url ?? '')
  request.resume()
  request.on('end', () => {
    if (mode === 'hang') return
    if (mode === 'proxy-502') {
      response.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><head><title>502 Bad Gateway</title></head><BODY><h1>502 Bad Gateway</h1></BODY></html>')
      return
    }
    response.writeHead(200, { 'Content-Type': 'text/xml' })
    response.end('<?xml version="1.0"?><methodResponse><params><param><value><int>2</int></value></param></params></methodResponse>')
  })
})
server.on('connection', () => connections++)
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const odooAwait = new OdooAwait({ baseUrl: `${base}/erp`, db: 'shop', username: 'admin', password: 'key' })
await odooAwait.connect()
const http = createHttpClient({ maxConnections: 4 })
const transport = createXmlRpcTransport({ baseUrl: new URL(`${base}/erp/`), db: 'shop', username: 'admin', secret: 'key', http })
const call = { model: 'res.partner', method: 'search_count', params: { domain: [] } }

async function measure(name: string, once: () => Promise<unknown>): Promise<void> {
  connections = 0
  paths.clear()
  const started = performance.now()
  for (let i = 0; i < CALLS; i++) await once()
  const ms = performance.now() - started
  console.log(`${name}: ${CALLS} calls in ${ms.toFixed(0)} ms (${((ms * 1000) / CALLS).toFixed(0)} µs/call), ${connections} TCP connections, paths ${[...paths].join(', ')}`)
}

async function settlesWithin(ms: number, promise: Promise<unknown>): Promise<string> {
  const timer = new Promise<string>((resolve) => {
    setTimeout(() => {
      resolve(`still pending after ${ms} ms`)
    }, ms)
  })
  return Promise.race([promise.then(() => 'resolved', (error: unknown) => `rejected: ${describe(error)}`), timer])
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { res?: { statusCode?: number } }).res?.statusCode
    return `${error.name} "${error.message}"${status === undefined ? '' : ` (res.statusCode ${status})`}`
  }
  return JSON.stringify(error)
}

console.log('— keep-alive and URL path prefix (base URL …/erp)')
await measure('odoo-await execute_kw', () => odooAwait.execute_kw('res.partner', 'search_count', [[[]]]))
await measure('gateway xmlrpc transport', () => transport.execute(call, 2, AbortSignal.timeout(DEADLINE_MS)))

console.log('— params given to execute_kw')
const params: unknown[] = [[[]]]
await odooAwait.execute_kw('res.partner', 'search_count', params)
console.log(`odoo-await: the caller's params array now holds ${params.length} items (was 1): ${JSON.stringify(params.slice(0, 3))}…`)

console.log("— a proxy's 502 HTML page")
mode = 'proxy-502'
console.log(`odoo-await: ${await settlesWithin(2_000, odooAwait.execute_kw('res.partner', 'search_count', [[[]]]))}`)
console.log(`gateway:    ${await settlesWithin(2_000, transport.execute(call, 2, AbortSignal.timeout(DEADLINE_MS)))}`)

console.log('— a server that accepts the request and never answers')
mode = 'hang'
console.log(`odoo-await: ${await settlesWithin(2_000, odooAwait.execute_kw('res.partner', 'search_count', [[[]]]))}`)
console.log(`gateway:    ${await settlesWithin(2_000, transport.execute(call, 2, AbortSignal.timeout(DEADLINE_MS)))}`)

await http.close()
server.closeAllConnections()
server.close()
