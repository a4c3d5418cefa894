import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import type { FastifyError } from 'fastify'
import type { Problem } from './schemas/problem.ts'
import { OdooError } from '../odoo/errors.ts'
import { domainError, DomainError } from '../errors/catalogue.ts'
import type { ErrorCode } from '../errors/catalogue.ts'

/** The problem `type` of a catalogue code: `verification_code_wrong` is `urn:problem:verification-code-wrong`. */
export function problemType(code: ErrorCode): string {
  return `urn:problem:${code.replaceAll('_', '-')}`
}

/** A domain error as RFC 9457 problem details. */
export function problemOf(error: DomainError, requestId: string): Problem {
  const problem: Problem = { type: problemType(error.code), title: error.title, status: error.status, detail: error.message, requestId }
  return error.allowed ? { ...problem, allowed: [...error.allowed] } : problem
}

/** Turns anything thrown in a request into problem details, without leaking internals. */
export function toProblem(error: unknown, requestId: string): Problem {
  if (error instanceof DomainError) return problemOf(error, requestId)
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = error.validation.map((issue) => ({
      path: [error.validationContext, ...issue.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.'),
      message: issue.message ?? 'is invalid'
    }))
    return { ...problemOf(domainError('validation', `${errors.length} field${errors.length === 1 ? '' : 's'} failed validation`), requestId), errors }
  }
  const known = odooFailure(error) ?? databaseFailure(error)
  if (known) return problemOf(known, requestId)
  const fastifyError = error as Partial<FastifyError>
  const status = fastifyError.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // fastify's own client errors (malformed JSON, body too large, unsupported media type...) keep fastify's code.
    return { type: `urn:problem:${(fastifyError.code ?? 'bad-request').toLowerCase()}`, title: httpTitle(status), status, detail: fastifyError.message ?? httpTitle(status), requestId }
  }
  return problemOf(domainError('internal'), requestId)
}

/**
 * 503 when Odoo's failure is worth retrying, else 502 with the safe description (class, code,
 * model, method, fields), never Odoo's own text.
 */
function odooFailure(error: unknown): DomainError | undefined {
  if (!(error instanceof OdooError)) return undefined
  return error.transient ? domainError('odoo_unavailable', error.message) : domainError('odoo', error.message)
}

/**
 * Values the API's schemas let through but PostgreSQL cannot store (an id beyond its integer, a
 * date beyond its calendar, a NUL character) are the client's mistake: 400. A database that does
 * not answer is an outage: 503, to be retried.
 */
function databaseFailure(error: unknown): DomainError | undefined {
  const code = (error as { code?: unknown }).code
  if (typeof code !== 'string') return undefined
  if (['22003', '22008', '22021', '22P05', '22007', '22P02'].includes(code)) {
    return domainError('validation', 'A value is out of the range the service can store (too large a number, too distant a date, or a NUL character).')
  }
  if (code.startsWith('08') || ['57P01', '57P02', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(code)) return domainError('unavailable')
  return undefined
}

function httpTitle(status: number): string {
  const titles: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large' }
  return titles[status] ?? 'Client Error'
}
