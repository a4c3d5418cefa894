import { pino } from 'pino'
import type { DestinationStream, Logger, LoggerOptions } from 'pino'
import { describeFailure, serializeErrorForLog } from './failure-description.ts'

export type { Logger }

// Field names that carry secrets or personal data wherever they appear in a logged object.
// Amazon's Data Protection Policy and GDPR both forbid PII in logs; redaction is the last line of
// defence behind code that should not log such values in the first place.
const SENSITIVE_KEYS = [
  'authorization', 'cookie', 'set-cookie', 'x-api-key', 'apiKey', 'api_key', 'password', 'secret', 'token',
  'email', 'email_from', 'phone', 'mobile', 'name', 'street', 'street2', 'zip', 'city', 'address',
  'vat', 'body', 'text', 'html', 'subject', 'from', 'to', 'cc', 'piiKey', 'key'
]

export const REDACT_PATHS = SENSITIVE_KEYS.flatMap((key) => {
  const k = /^[A-Z_]\w*$/i.test(key) ? key : `["${key}"]`
  const join = (prefix: string) => (k.startsWith('[') ? `${prefix}${k}` : `${prefix}.${k}`)
  return [k.startsWith('[') ? k.slice(2, -2) : k, join('*'), join('*.*'), join('req.headers')]
})

export function createLogger(options: { level: LoggerOptions['level']; destination?: DestinationStream }): Logger {
  const config: LoggerOptions = {
    level: options.level,
    redact: { paths: [...new Set(REDACT_PATHS)], censor: '[redacted]' },
    // Error messages may quote values (Odoo's, PostgreSQL's): errors are logged as class, code and stack frames.
    serializers: { err: serializeErrorForLog },
    hooks: { logMethod: withSafeErrorMessage },
    base: { service: 'odoo-privacy-bridge' },
    timestamp: pino.stdTimeFunctions.isoTime
  }
  return options.destination ? pino(config, options.destination) : pino(config)
}

/** pino makes an error's own message the log line's `msg` when none is given: give the safe one instead. */
function withSafeErrorMessage(this: Logger, args: Parameters<Logger['info']>, method: (...args: unknown[]) => void): void {
  const [first, second] = args as unknown[]
  const error = first instanceof Error ? first : (first as { err?: unknown } | null)?.err
  if (error instanceof Error && typeof second !== 'string') {
    method.apply(this, [first, describeFailure(error).message])
    return
  }
  method.apply(this, args)
}
