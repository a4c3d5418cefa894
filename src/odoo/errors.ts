/**
 * Typed failures of the Odoo gateway. Odoo's own text is never kept: its messages and tracebacks
 * quote the values of the call and the display names of records ("The e-mail 'jane@…' of Jane Doe
 * is invalid"), and an error travels far (logs, sync runs, redaction failures, job outputs, API
 * answers). Each error keeps what is safe to tell instead: the Odoo exception class, the code the
 * protocol gave, the model, method and field names, and a message composed from them.
 */
export type OdooErrorKind =
  | 'auth'
  | 'access'
  | 'missing'
  | 'validation'
  | 'unknown-model'
  | 'unknown-field'
  | 'unavailable'
  | 'conflict'
  | 'unexpected'

export interface OdooErrorDetails {
  /** The Python exception Odoo raised, e.g. `odoo.exceptions.AccessError`. */
  exceptionName?: string | undefined
  /** How the protocol reported it: `XML-RPC fault 2`, `JSON-RPC error 200`, `HTTP 422`. */
  code?: string | undefined
  model?: string | undefined
  method?: string | undefined
  /** Field names of the call that Odoo's message named (names only, from the service's own call). */
  fields?: readonly string[] | undefined
  cause?: unknown
}

/** What may be stored, logged or answered about an Odoo failure. */
export interface OdooFailure {
  kind: OdooErrorKind
  exceptionName?: string
  code?: string
  model?: string
  method?: string
  fields?: string[]
  message: string
}

export class OdooError extends Error {
  override name = 'OdooError'
  readonly kind: OdooErrorKind
  /** True when the same call may succeed if repeated later: Odoo unreachable or a concurrent update. */
  readonly transient: boolean
  readonly exceptionName: string | undefined
  readonly code: string | undefined
  readonly fields: readonly string[] | undefined
  model: string | undefined
  method: string | undefined

  /** `message` must be the service's own words, or composed by `toOdooError`: never Odoo's text. */
  constructor(kind: OdooErrorKind, message: string, details: OdooErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.kind = kind
    this.transient = kind === 'unavailable' || kind === 'conflict'
    this.exceptionName = details.exceptionName
    this.code = details.code
    this.fields = details.fields
    this.model = details.model
    this.method = details.method
  }

  describe(): OdooFailure {
    const { kind, exceptionName, code, model, method, fields, message } = this
    return { kind, ...defined({ exceptionName, code, model, method }), ...(fields?.length ? { fields: [...fields] } : {}), message }
  }

  /** `JSON.stringify` and serialize-error (pg-boss job outputs) write this, never the cause. */
  toJSON(): OdooFailure & { name: string } {
    return { name: this.name, ...this.describe() }
  }
}

function defined(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

/** Bad login, password or API key (or an unknown database): nothing works until the configuration is fixed. */
export class OdooAuthError extends OdooError {
  override name = 'OdooAuthError'
  constructor(message: string, details?: OdooErrorDetails) {
    super('auth', message, details)
  }
}

/** The user is authenticated but lacks the right for this model or operation. */
export class OdooAccessError extends OdooError {
  override name = 'OdooAccessError'
  constructor(message: string, details?: OdooErrorDetails) {
    super('access', message, details)
  }
}

/** A record the call names does not exist (any more). */
export class OdooMissingError extends OdooError {
  override name = 'OdooMissingError'
  constructor(message: string, details?: OdooErrorDetails) {
    super('missing', message, details)
  }
}

/** Odoo refused the values or the operation (ValidationError and UserError). */
export class OdooValidationError extends OdooError {
  override name = 'OdooValidationError'
  constructor(message: string, details?: OdooErrorDetails) {
    super('validation', message, details)
  }
}

export class OdooUnknownModelError extends OdooError {
  override name = 'OdooUnknownModelError'
  constructor(message: string, details?: OdooErrorDetails) {
    super('unknown-model', message, details)
  }
}

/** A field named in `fields`, in values or in a domain does not exist on this server. */
export class OdooUnknownFieldError extends OdooError {
  override name = 'OdooUnknownFieldError'
  constructor(message: string, details?: OdooErrorDetails) {
    super('unknown-field', message, details)
  }
}

/** Odoo could not be reached or did not answer as an RPC server (network, 502/503/504, timeout, HTML). */
export class OdooUnavailableError extends OdooError {
  override name = 'OdooUnavailableError'
  constructor(message: string, details?: OdooErrorDetails) {
    super('unavailable', message, details)
  }
}

/** PostgreSQL refused the transaction because of a concurrent update; Odoo gave up retrying it. */
export class OdooConflictError extends OdooError {
  override name = 'OdooConflictError'
  constructor(message: string, details?: OdooErrorDetails) {
    super('conflict', message, details)
  }
}

/** Any other Odoo failure (invalid operator, unknown method, a bug): repeating the call will not help. */
export class OdooUnexpectedError extends OdooError {
  override name = 'OdooUnexpectedError'
  constructor(message: string, details?: OdooErrorDetails) {
    super('unexpected', message, details)
  }
}
