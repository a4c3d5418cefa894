import {
  OdooAccessError,
  OdooAuthError,
  OdooConflictError,
  OdooMissingError,
  OdooUnavailableError,
  OdooUnexpectedError,
  OdooUnknownFieldError,
  OdooUnknownModelError,
  OdooValidationError,
  type OdooError,
  type OdooErrorDetails,
  type OdooErrorKind
} from './errors.ts'
import { fieldNamesOf, type OdooCall } from './odoo-call.ts'

/**
 * An exception as Odoo reports it: the Python class (`odoo.exceptions.AccessError`) and its
 * message. The message may quote values and names; it is read here to classify, then dropped.
 */
export interface OdooException {
  name: string
  message: string
}

/** Where the exception came from: the call, and the code its protocol reported. */
export interface CallSite {
  model?: string | undefined
  method?: string | undefined
  code?: string | undefined
  /** The field names the call itself carried: the only ones a description may repeat. */
  fieldsOfCall?: readonly string[] | undefined
}

export function callSiteOf(call: OdooCall | undefined, code: string): CallSite {
  return call === undefined ? { code } : { model: call.model, method: call.method, code, fieldsOfCall: fieldNamesOf(call) }
}

const PYTHON_CLASS_NAME = /^[A-Z_][\w.]{0,199}$/i

// PostgreSQL concurrency failures Odoo retries itself a few times before giving up and raising them.
const CONCURRENCY_FAILURE = /SerializationFailure|DeadlockDetected|LockNotAvailable|TransactionRollbackError|ConcurrencyError/

const ERROR_CLASSES: Record<OdooErrorKind, new (message: string, details?: OdooErrorDetails) => OdooError> = {
  auth: OdooAuthError,
  access: OdooAccessError,
  missing: OdooMissingError,
  validation: OdooValidationError,
  'unknown-model': OdooUnknownModelError,
  'unknown-field': OdooUnknownFieldError,
  unavailable: OdooUnavailableError,
  conflict: OdooConflictError,
  unexpected: OdooUnexpectedError
}

const SUMMARIES: Record<OdooErrorKind, string> = {
  auth: 'Odoo refused the login or the database',
  access: 'Odoo denied access',
  missing: 'A record no longer exists in Odoo',
  validation: 'Odoo refused the operation',
  'unknown-model': 'Odoo has no such model',
  'unknown-field': 'Odoo has no such field',
  unavailable: 'Odoo is unavailable',
  conflict: 'Odoo gave up on a concurrent update',
  unexpected: 'Odoo failed'
}

/**
 * The one place that turns an Odoo exception, whatever the protocol it came over, into a typed
 * error. Odoo's message decides the kind and which of the call's fields it is about; the error
 * keeps neither it nor the exception, only a description composed of names and codes.
 */
export function toOdooError(exception: OdooException, callSite: CallSite = {}): OdooError {
  const kind = classify(exception)
  const details: OdooErrorDetails = {
    // A class name is all it may be; anything else a server sends there is not repeated.
    exceptionName: PYTHON_CLASS_NAME.test(exception.name) ? exception.name : 'unrecognised',
    code: callSite.code,
    model: callSite.model,
    method: callSite.method,
    fields: fieldsNamedIn(exception.message, callSite.fieldsOfCall ?? [])
  }
  return new ERROR_CLASSES[kind](describeOdooFailure(kind, details), details)
}

function classify({ name, message }: OdooException): OdooErrorKind {
  const shortName = name.slice(name.lastIndexOf('.') + 1)
  if (shortName === 'AccessDenied' || name === 'werkzeug.exceptions.Unauthorized') return 'auth'
  if (shortName === 'AccessError') return 'access'
  if (shortName === 'MissingError') return 'missing'
  if (isUnknownModel(name, message)) return 'unknown-model'
  if (shortName === 'ValidationError' || shortName === 'UserError' || shortName === 'RedirectWarning') return 'validation'
  if (shortName === 'ValueError' && message.startsWith('Invalid field')) return 'unknown-field'
  // Odoo 19 reads a partner's old values by field name before writing, so a removed field in
  // write values surfaces as a bare KeyError naming it (contract file 620).
  if (name === 'builtins.KeyError') return 'unknown-field'
  if (CONCURRENCY_FAILURE.test(name)) return 'conflict'
  if (shortName === 'OperationalError' || shortName === 'InterfaceError') {
    // The database named in the configuration does not exist: a login problem, not an outage.
    return /database ".*" does not exist/.test(message) ? 'auth' : 'unavailable'
  }
  return 'unexpected'
}

function isUnknownModel(name: string, message: string): boolean {
  if (name === 'odoo.exceptions.UserError') return /^Object \S+ doesn't exist/.test(message)
  if (name === 'werkzeug.exceptions.NotFound') return /^the model '.*' does not exist/i.test(message)
  return false
}

/**
 * The call's own field names that Odoo's message mentions, as a word or as the end of a dotted
 * path (`res.partner.email`). Only names the service sent can come out, never text of Odoo's.
 */
function fieldsNamedIn(message: string, fieldsOfCall: readonly string[]): string[] {
  const words = new Set<string>()
  for (const token of message.match(/[\w.]+/g) ?? []) {
    words.add(token)
    for (const segment of token.split('.')) words.add(segment)
  }
  return [...new Set(fieldsOfCall)].filter((field) => words.has(field))
}

/** "Odoo refused the operation: odoo.exceptions.ValidationError (XML-RPC fault 2) in res.partner.write, fields email, name" */
export function describeOdooFailure(kind: OdooErrorKind, details: OdooErrorDetails): string {
  const site = [details.model, details.method].filter(Boolean).join('.')
  const parts = [
    details.exceptionName,
    details.code === undefined ? undefined : `(${details.code})`,
    site === '' ? undefined : `in ${site}`
  ].filter(Boolean)
  const fields = details.fields?.length ? `, field${details.fields.length === 1 ? '' : 's'} ${details.fields.join(', ')}` : ''
  return `${SUMMARIES[kind]}: ${parts.join(' ')}${fields}`
}

const TRACEBACK_HEADER = 'Traceback (most recent call last):'

/**
 * Reads the exception at the end of a Python traceback, as XML-RPC faults with code 1 carry it:
 * indented frame lines, then `module.Class: message` (builtins print without a module).
 */
export function exceptionFromTraceback(traceback: string): OdooException {
  const start = traceback.lastIndexOf(TRACEBACK_HEADER)
  const lines = (start === -1 ? traceback : traceback.slice(start + TRACEBACK_HEADER.length)).split('\n')
  const headerIndex = lines.findIndex((line) => line.trim() !== '' && !/^\s/.test(line))
  const match = /^([A-Z_][\w.]*)(?::\s?(.*))?$/i.exec(lines[headerIndex] ?? '')
  if (!match?.[1]) return { name: 'builtins.Exception', message: traceback.trim() }
  const message = [match[2] ?? '', ...lines.slice(headerIndex + 1)].join('\n').trim()
  const className = match[1]
  return { name: className.includes('.') ? className : `builtins.${className}`, message }
}
