import { httpError, privateMethod } from '../errors.ts'
import type { OdooError } from '../errors.ts'
import { isJsonObject } from '../python.ts'
import type { Json, PyValue } from '../python.ts'
import type { ShopDatabase } from '../shop-database.ts'
import { html, json, notFoundPage } from './http-reply.ts'
import type { HttpReply, IncomingRequest, ObjectCall } from './http-reply.ts'
import { asOdooError } from './odoo-errors.ts'

export interface Json2HttpRequest {
  method: string
  path: string
  authorization: string | undefined
  database: string | undefined
  body: string
}

const WRONG_DATABASE_PAGE =
  '<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>No database is selected and the requested URL was not found in the server-wide controllers.</p>\n<p>Please verify the hostname, <a href=/web/login>login</a> and try again.</p>\n\n<!-- Alternatively, use the X-Odoo-Database header. -->\n'

/**
 * Odoo 19's JSON-2 API: POST /json/2/<model>/<method> with a bearer API key and the method's named
 * arguments as the body (ids and context included); the bare result on success, otherwise the HTTP
 * status of the exception class and {name, message, arguments, context, debug}.
 */
export function json2Request(database: ShopDatabase, request: Json2HttpRequest): IncomingRequest | HttpReply {
  if (database.version !== 19) return notFoundPage()
  if (request.database !== undefined && request.database !== database.name) return html(404, WRONG_DATABASE_PAGE)
  const [model = '', method = ''] = request.path.slice('/json/2/'.length).split('/')
  const body = parseBody(request.body)
  const named = isJsonObject(body) ? body : {}
  const call: ObjectCall = { model, method }
  if (Array.isArray(named.ids)) call.ids = named.ids.filter((id): id is number => typeof id === 'number')
  if (isJsonObject(named.context)) call.context = named.context
  const fail = (error: OdooError): HttpReply => {
    const headers: Record<string, string> = error.httpStatus === 401 ? { 'WWW-Authenticate': 'Bearer ' } : {}
    return json(error.httpStatus, { name: error.exception, message: error.message, arguments: error.pyArgs, context: {}, debug: error.traceback(19, 'json2') }, headers)
  }
  return {
    protocol: 'json2',
    call,
    method,
    fail,
    execute: () => {
      try {
        return json(200, run(database, request, model, method, body))
      } catch (error) {
        return fail(asOdooError(error))
      }
    },
  }
}

function run(database: ShopDatabase, request: Json2HttpRequest, model: string, method: string, body: ParsedBody): PyValue {
  if (request.method !== 'POST' || !method) throw httpError('NotFound', 'Did you mean POST /json/2/<model>/<method>?')
  const token = /^bearer\s+(.+)$/i.exec(request.authorization ?? '')?.[1]?.trim()
  if (!token) throw httpError('Unauthorized', 'User not authenticated, use an API Key with a Bearer Authorization header.')
  const account = database.accounts.byApiKey(token)
  if (!account) throw httpError('Unauthorized', 'Invalid apikey')
  if (body instanceof SyntaxError) throw httpError('BadRequest', `could not parse the body as json: ${body.message}`)
  if (!isJsonObject(body)) throw httpError('UnprocessableEntity', 'the body must be a JSON object of named arguments')
  if (!database.models.modelExists(model)) throw httpError('NotFound', `the model '${model}' does not exist`)
  if (method.startsWith('_')) throw privateMethod(19, model, method)
  if (!database.models.hasMethod(model, method)) throw httpError('NotFound', `The method '${model}.${method}' does not exist`)
  const { ids, context, ...named } = body
  const idList = Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : []
  return database.models.callNamed(model, method, idList, named, { uid: account.uid, context: isJsonObject(context) ? context : {} })
}

type ParsedBody = Json | SyntaxError

/** The body as JSON, or the parse failure worded as Python's json module words it. */
function parseBody(text: string): ParsedBody {
  try {
    return JSON.parse(text) as Json
  } catch (error) {
    const message = error instanceof Error ? error.message : ''
    const at = /position (\d+)/.exec(message)?.[1]
    const token = /Unexpected token '(.)'/.exec(message)?.[1]
    const position = at !== undefined ? Number(at) : token !== undefined ? Math.max(0, text.indexOf(token)) : text.length
    const before = text.slice(0, position)
    const line = before.split('\n').length
    const column = position - before.lastIndexOf('\n')
    return new SyntaxError(`Expecting value: line ${line} column ${column} (char ${position})`)
  }
}
