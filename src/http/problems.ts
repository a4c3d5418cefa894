import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import type { FastifyError } from 'fastify'
import type { Problem } from './schemas/problem.ts'
import { OdooError } from '../odoo/errors.ts'

/**
 * The one error catalogue: domain code throws these, the error handler turns them into problem
 * details. Messages are written for API clients and never carry personal data.
 */
export class HttpProblem extends Error {
  readonly status: number
  readonly type: string
  readonly title: string
  readonly extra: Pick<Problem, 'errors' | 'allowed'>

  constructor(status: number, type: string, title: string, detail?: string, extra: HttpProblem['extra'] = {}) {
    super(detail ?? title)
    this.status = status
    this.type = `urn:problem:${type}`
    this.title = title
    this.extra = extra
  }
}

export const unauthorized = (detail: string) => new HttpProblem(401, 'unauthorized', 'Unauthorized', detail)
export const forbidden = (detail: string) => new HttpProblem(403, 'forbidden', 'Forbidden', detail)
export const notFound = (detail: string) => new HttpProblem(404, 'not-found', 'Not Found', detail)
export const conflict = (detail: string, allowed?: string[]) =>
  new HttpProblem(409, 'conflict', 'Conflict', detail, allowed ? { allowed } : {})

/** Turns anything thrown in a request into problem details, without leaking internals. */
export function toProblem(error: unknown, requestId: string): Problem {
  if (error instanceof HttpProblem) {
    return { type: error.type, title: error.title, status: error.status, detail: error.message, requestId, ...error.extra }
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((issue) => ({
      path: [error.validationContext, ...issue.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.'),
      message: issue.message ?? 'is invalid'
    }))
    return {
      type: 'urn:problem:validation',
      title: 'Validation failed',
      status: 400,
      detail: `${errors.length} field${errors.length === 1 ? '' : 's'} failed validation`,
      requestId,
      errors
    }
  }
  const odoo = odooProblem(error, requestId)
  if (odoo) return odoo
  const database = databaseProblem(error, requestId)
  if (database) return database
  const fastifyError = error as Partial<FastifyError>
  const status = fastifyError.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // fastify's own client errors (malformed JSON, body too large, unsupported media type...)
    return { type: `urn:problem:${(fastifyError.code ?? 'bad-request').toLowerCase()}`, title: httpTitle(status), status, detail: fastifyError.message ?? httpTitle(status), requestId }
  }
  return { type: 'urn:problem:internal', title: 'Internal Server Error', status: 500, detail: 'An unexpected error occurred; it has been logged with this request id.', requestId }
}

/**
 * Odoo failing is the gateway's failure, not the service's: 503 when it is worth retrying, else
 * 502 with the safe description (class, code, model, method, fields), never Odoo's own text.
 */
function odooProblem(error: unknown, requestId: string): Problem | undefined {
  if (!(error instanceof OdooError)) return undefined
  if (error.transient) return { type: 'urn:problem:odoo-unavailable', title: 'Service Unavailable', status: 503, detail: `${error.message}; try again shortly.`, requestId }
  return { type: 'urn:problem:odoo', title: 'Bad Gateway', status: 502, detail: error.message, requestId }
}

/**
 * Values the API's schemas let through but PostgreSQL cannot store (an id beyond its integer, a
 * date beyond its calendar, a NUL character) are the client's mistake: 400. A database that does
 * not answer is an outage: 503, to be retried.
 */
function databaseProblem(error: unknown, requestId: string): Problem | undefined {
  const code = (error as { code?: unknown }).code
  if (typeof code !== 'string') return undefined
  if (['22003', '22008', '22021', '22P05', '22007', '22P02'].includes(code)) {
    return { type: 'urn:problem:validation', title: 'Validation failed', status: 400, detail: 'A value is out of the range the service can store (too large a number, too distant a date, or a NUL character).', requestId }
  }
  if (code.startsWith('08') || ['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(code)) {
    return { type: 'urn:problem:unavailable', title: 'Service Unavailable', status: 503, detail: 'The database does not answer; try again shortly.', requestId }
  }
  return undefined
}

function httpTitle(status: number): string {
  const titles: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large' }
  return titles[status] ?? 'Client Error'
}
