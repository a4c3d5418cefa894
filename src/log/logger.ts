import { pino } from 'pino'
import type { DestinationStream, Logger, LoggerOptions } from 'pino'

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
    base: { service: 'odoo-privacy-bridge' },
    timestamp: pino.stdTimeFunctions.isoTime
  }
  return options.destination ? pino(config, options.destination) : pino(config)
}
