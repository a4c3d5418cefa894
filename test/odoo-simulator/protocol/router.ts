import type { ShopDatabase } from '../shop-database.ts'
import type { HttpReply, IncomingRequest } from './http-reply.ts'
import { methodNotAllowedPage, notFoundPage } from './http-reply.ts'
import { json2Request } from './json2.ts'
import { jsonRpcRequest } from './jsonrpc.ts'
import type { RpcServices } from './rpc-services.ts'
import type { Sessions } from './web.ts'
import { webRequest } from './web.ts'
import { xmlRpcRequest } from './xmlrpc.ts'

export interface RawRequest {
  method: string
  url: string
  headers: { [name: string]: string | undefined }
  body: string
}

export interface Endpoints {
  database: ShopDatabase
  services: RpcServices
  sessions: Sessions
}

/** Which protocol a request speaks, by path: XML-RPC, JSON-RPC, the web client routes or JSON-2. */
export function route(endpoints: Endpoints, request: RawRequest): IncomingRequest | HttpReply {
  const path = request.url.split('?')[0] ?? '/'
  const { database, services, sessions } = endpoints
  const xmlrpc = /^\/xmlrpc\/2\/(common|object|db)$/.exec(path)
  if (xmlrpc) return request.method === 'POST' ? xmlRpcRequest(services, database.version, xmlrpc[1] as string, request.body) : methodNotAllowedPage()
  if (path === '/jsonrpc') return request.method === 'POST' ? jsonRpcRequest(services, database.version, request.body) : methodNotAllowedPage()
  if (path.startsWith('/json/2/')) {
    return json2Request(database, {
      method: request.method,
      path,
      authorization: request.headers.authorization,
      database: request.headers['x-odoo-database'],
      body: request.body,
    })
  }
  if (path.startsWith('/web/')) return webRequest(database, sessions, { method: request.method, path, cookie: request.headers.cookie, body: request.body })
  return notFoundPage()
}
