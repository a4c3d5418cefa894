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
  type OdooErrorDetails
} from './errors.ts'

/** An exception as Odoo reports it: the Python class (`odoo.exceptions.AccessError`) and its message. */
export interface OdooException {
  name: string
  message: string
}

type CallSite = Pick<OdooErrorDetails, 'model' | 'method'>

// PostgreSQL concurrency failures Odoo retries itself a few times before giving up and raising them.
const CONCURRENCY_FAILURE = /SerializationFailure|DeadlockDetected|LockNotAvailable|TransactionRollbackError|ConcurrencyError/

/** The one place that turns an Odoo exception, whatever the protocol it came over, into a typed error. */
export function toOdooError(exception: OdooException, callSite: CallSite = {}): OdooError {
  const { name, message } = exception
  const details = { ...callSite, odooName: name }
  const shortName = name.slice(name.lastIndexOf('.') + 1)

  if (shortName === 'AccessDenied' || name === 'werkzeug.exceptions.Unauthorized') return new OdooAuthError(message, details)
  if (shortName === 'AccessError') return new OdooAccessError(message, details)
  if (shortName === 'MissingError') return new OdooMissingError(message, details)
  if (isUnknownModel(name, message)) return new OdooUnknownModelError(message, details)
  if (shortName === 'ValidationError' || shortName === 'UserError' || shortName === 'RedirectWarning') {
    return new OdooValidationError(message, details)
  }
  if (shortName === 'ValueError' && message.startsWith('Invalid field')) return new OdooUnknownFieldError(message, details)
  // Odoo 19 reads a partner's old values by field name before writing, so a removed field in
  // write values surfaces as a bare KeyError naming it (contract file 620).
  if (name === 'builtins.KeyError') return new OdooUnknownFieldError(`Unknown field ${message}`, details)
  if (CONCURRENCY_FAILURE.test(name)) return new OdooConflictError(message, details)
  if (shortName === 'OperationalError' || shortName === 'InterfaceError') {
    // The database named in the configuration does not exist: a login problem, not an outage.
    if (/database ".*" does not exist/.test(message)) return new OdooAuthError(message, details)
    return new OdooUnavailableError(message, details)
  }
  return new OdooUnexpectedError(message, details)
}

function isUnknownModel(name: string, message: string): boolean {
  if (name === 'odoo.exceptions.UserError') return /^Object \S+ doesn't exist/.test(message)
  if (name === 'werkzeug.exceptions.NotFound') return /^the model '.*' does not exist/i.test(message)
  return false
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
