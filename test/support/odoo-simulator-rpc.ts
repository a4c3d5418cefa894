import type { OdooSimulator } from '../odoo-simulator/index.ts'

/**
 * Minimal RPC calls against a running simulator, written out by hand so that the tests check what
 * travels on the wire rather than what a client library makes of it.
 */
export interface JsonRpcError {
  code: number
  message: string
  data: { name: string; message: string; arguments: unknown[]; debug: string; context: object }
}

export interface JsonRpcAnswer {
  result?: unknown
  error?: JsonRpcError
}

export async function jsonRpc(sim: OdooSimulator, service: string, method: string, args: unknown[]): Promise<JsonRpcAnswer> {
  const response = await fetch(`${sim.url}/jsonrpc`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: 1 }),
  })
  return (await response.json()) as JsonRpcAnswer
}

export interface Caller {
  uid?: number
  secret?: string
}

/** execute_kw over JSON-RPC; resolves to the result, rejects with an Error whose cause is the JSON-RPC error member. */
export async function executeKw(sim: OdooSimulator, model: string, method: string, args: unknown[], kwargs: object = {}, caller: Caller = {}): Promise<unknown> {
  const answer = await jsonRpc(sim, 'object', 'execute_kw', [sim.db, caller.uid ?? 2, caller.secret ?? sim.apiKey, model, method, args, kwargs])
  if (answer.error) throw new Error(`${model}.${method} failed: ${answer.error.message}`, { cause: answer.error })
  return answer.result
}

/** The JSON-RPC error a call fails with. */
export async function executeKwError(sim: OdooSimulator, model: string, method: string, args: unknown[], kwargs: object = {}, caller: Caller = {}): Promise<JsonRpcError> {
  const answer = await jsonRpc(sim, 'object', 'execute_kw', [sim.db, caller.uid ?? 2, caller.secret ?? sim.apiKey, model, method, args, kwargs])
  if (!answer.error) throw new Error(`expected ${model}.${method} to fail, got ${JSON.stringify(answer.result)}`)
  return answer.error
}

export const xmlString = (text: string): string => `<value><string>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</string></value>`
export const xmlInt = (n: number): string => `<value><int>${n}</int></value>`

/** An XML-RPC call with params already encoded as <value> elements; resolves to the raw response. */
export async function xmlRpc(sim: OdooSimulator, service: 'common' | 'object', methodName: string, params: string[]): Promise<{ status: number; body: string }> {
  const body = `<?xml version="1.0"?><methodCall><methodName>${methodName}</methodName><params>${params.map((p) => `<param>${p}</param>`).join('')}</params></methodCall>`
  const response = await fetch(`${sim.url}/xmlrpc/2/${service}`, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body })
  return { status: response.status, body: await response.text() }
}

/** execute_kw over XML-RPC with the admin's API key; args and kwargs encoded by the caller. */
export function xmlExecuteKw(sim: OdooSimulator, model: string, method: string, args: string, kwargs?: string): Promise<{ status: number; body: string }> {
  const params = [xmlString(sim.db), xmlInt(2), xmlString(sim.apiKey), xmlString(model), xmlString(method), args]
  return xmlRpc(sim, 'object', 'execute_kw', kwargs === undefined ? params : [...params, kwargs])
}

/** The faultCode of an XML-RPC fault response. */
export function faultCode(body: string): number | undefined {
  const match = /<name>faultCode<\/name>\s*<value><int>(\d+)<\/int><\/value>/.exec(body)
  return match ? Number(match[1]) : undefined
}

export interface Json2Options {
  key?: string
  database?: string
  httpMethod?: string
  rawBody?: string
}

export async function json2(sim: OdooSimulator, model: string, method: string, body: object = {}, options: Json2Options = {}): Promise<{ status: number; body: unknown; text: string }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  const key = options.key ?? sim.apiKey
  if (key) headers.Authorization = `bearer ${key}`
  if (options.database) headers['X-Odoo-Database'] = options.database
  const httpMethod = options.httpMethod ?? 'POST'
  const response = await fetch(`${sim.url}/json/2/${model}/${method}`, {
    method: httpMethod,
    headers,
    ...(httpMethod === 'GET' ? {} : { body: options.rawBody ?? JSON.stringify(body) }),
  })
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  return { status: response.status, body: parsed, text }
}
