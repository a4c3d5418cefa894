/**
 * Typed failures of the Odoo gateway. Each keeps Odoo's own message (never record values, the
 * request or the secret) and the Odoo exception it came from, so callers branch on the class and
 * operators read what Odoo said.
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
  odooName?: string | undefined
  model?: string | undefined
  method?: string | undefined
  cause?: unknown
}

export class OdooError extends Error {
  override name = 'OdooError'
  readonly kind: OdooErrorKind
  /** True when the same call may succeed if repeated later: Odoo unreachable or a concurrent update. */
  readonly transient: boolean
  readonly odooName: string | undefined
  model: string | undefined
  method: string | undefined

  constructor(kind: OdooErrorKind, message: string, details: OdooErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.kind = kind
    this.transient = kind === 'unavailable' || kind === 'conflict'
    this.odooName = details.odooName
    this.model = details.model
    this.method = details.method
  }
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
