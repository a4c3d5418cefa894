import { randomBytes } from 'node:crypto'
import { accessDenied, OdooError } from '../errors.ts'
import { isJsonObject } from '../python.ts'
import type { Json } from '../python.ts'
import type { ShopDatabase } from '../shop-database.ts'
import { html, json, notFoundPage, versionInfo } from './http-reply.ts'
import type { HttpReply, IncomingRequest, ObjectCall } from './http-reply.ts'
import { parseJsonRpc } from './jsonrpc.ts'
import { asOdooError, jsonRpcErrorMember } from './odoo-errors.ts'

/** Web client sessions: the session_id cookie /web/session/authenticate hands out, and its user. */
export class Sessions {
  readonly #users = new Map<string, number>()

  open(uid: number): string {
    const sid = randomBytes(20).toString('hex')
    this.#users.set(sid, uid)
    return sid
  }

  uidOf(cookieHeader: string | undefined): number | undefined {
    const sid = /(?:^|;\s*)session_id=([^;]+)/.exec(cookieHeader ?? '')?.[1]
    return sid === undefined ? undefined : this.#users.get(sid)
  }
}

export interface WebRequest {
  method: string
  path: string
  cookie: string | undefined
  body: string
}

/** The web client routes: /web/session/authenticate, /web/dataset/call_kw, /web/version (19). */
export function webRequest(database: ShopDatabase, sessions: Sessions, request: WebRequest): IncomingRequest | HttpReply {
  const { version } = database
  if (request.path === '/web/version') {
    if (version !== 19) return notFoundPage()
    // A JSON POST without a CSRF token is refused; the version is a plain GET.
    if (request.method !== 'GET') return html(400, '<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>Session expired (invalid CSRF token)</p>\n')
    const info = versionInfo(version)
    return json(200, { version_info: info.server_version_info, version: info.server_version })
  }
  const rpc = parseJsonRpc(request.body)
  const params = isJsonObject(rpc?.params) ? rpc.params : {}
  const id = rpc?.id ?? null
  const fail = (error: OdooError): HttpReply => json(200, { jsonrpc: '2.0', id, error: jsonRpcErrorMember(version, 'web', error) })
  const answer = (run: () => HttpReply): HttpReply => {
    try {
      return run()
    } catch (error) {
      return fail(asOdooError(error))
    }
  }
  if (request.path === '/web/session/authenticate') {
    return { protocol: 'web', method: 'authenticate', fail, execute: () => answer(() => authenticate(database, sessions, params, id)) }
  }
  if (request.path === '/web/dataset/call_kw' || request.path.startsWith('/web/dataset/call_kw/')) {
    const model = typeof params.model === 'string' ? params.model : ''
    const method = typeof params.method === 'string' ? params.method : ''
    const args = Array.isArray(params.args) ? params.args : []
    const kwargs = isJsonObject(params.kwargs) ? params.kwargs : {}
    const { context, ...rest } = kwargs
    const call: ObjectCall = { model, method }
    if (database.models.isRecordMethod(model, method) && Array.isArray(args[0])) call.ids = args[0].filter((v): v is number => typeof v === 'number')
    if (isJsonObject(context)) call.context = context
    return {
      protocol: 'web',
      call,
      method,
      fail,
      execute: () =>
        answer(() => {
          const uid = sessions.uidOf(request.cookie)
          const account = uid === undefined ? undefined : database.accounts.byUid(uid)
          if (!account) throw sessionExpired()
          const result = database.models.call(model, method, args, rest, { uid: account.uid, context: isJsonObject(context) ? context : {} })
          return json(200, { jsonrpc: '2.0', id, result })
        }),
    }
  }
  return notFoundPage()
}

function authenticate(database: ShopDatabase, sessions: Sessions, params: { [key: string]: Json }, id: Json): HttpReply {
  if (params.db !== database.name) throw new OdooError({ exception: 'odoo.exceptions.AccessError', message: 'Database not found.', stage: 'service' })
  const uid = database.accounts.authenticate(params.login, params.password)
  if (uid === false) throw accessDenied()
  const account = database.accounts.byUid(uid)
  const partner = database.store.get('res.users', uid)?.partner_id
  const partnerName = typeof partner === 'number' ? database.store.get('res.partner', partner)?.name : undefined
  const admin = account?.role === 'admin'
  const info = versionInfo(database.version)
  const result = {
    uid,
    is_system: admin,
    is_admin: admin,
    user_context: { lang: 'en_US', tz: false, uid },
    db: database.name,
    server_version: info.server_version,
    server_version_info: info.server_version_info,
    name: partnerName ?? false,
    username: account?.login ?? false,
    partner_display_name: partnerName ?? false,
    partner_id: partner ?? false,
    ...(database.version === 16 ? { company_id: 1 } : {}),
    user_companies: { current_company: 1, allowed_companies: { 1: { id: 1, name: 'My Company', sequence: 0 } } },
  }
  const sid = sessions.open(uid)
  return json(200, { jsonrpc: '2.0', id, result }, { 'Set-Cookie': `session_id=${sid}; Max-Age=604800; HttpOnly; Path=/; SameSite=Lax` })
}

function sessionExpired(): OdooError {
  return new OdooError({
    exception: 'odoo.http.SessionExpiredException',
    message: 'Session expired',
    stage: 'service',
    site: [['odoo/http.py', 1707, '_authenticate', "raise SessionExpiredException('Session expired')"]],
  })
}
