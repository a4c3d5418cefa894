import { createTransport } from 'nodemailer'
import type { NodemailerError } from 'nodemailer'
import addressparser from 'nodemailer/lib/addressparser'
import type { Logger } from '../log/logger.ts'

export interface OutgoingMail {
  to: string
  subject: string
  text: string
  html: string
  /** `<id@domain>`: set by us, not the server, so a resend after a crash carries the same id. */
  messageId: string
  inReplyTo?: string
  references?: string[]
}

export interface SmtpSender {
  /** The domain of the sender address, which our Message-IDs are minted under. */
  readonly domain: string
  /** Resolves once the server accepted the message; throws `SmtpSendError` otherwise. */
  send(mail: OutgoingMail): Promise<void>
}

export interface SmtpSenderOptions {
  /** `smtps://user:pass@smtp.forwardemail.net:465`, or `smtp://…` for STARTTLS or a local relay. */
  url: string
  /** `Privacy <privacy@shop.example>` */
  from: string
  log: Logger
  connectionTimeoutMs?: number
  greetingTimeoutMs?: number
  socketTimeoutMs?: number
}

/**
 * A failed send, told apart by what retrying would achieve: a transient one (server unreachable,
 * timeout, 4xx) may go through later; a permanent one (5xx for this message or recipient) never
 * will. The message is safe to store and log: addresses the server echoed are masked.
 */
export class SmtpSendError extends Error {
  override name = 'SmtpSendError'
  readonly transient: boolean
  constructor(message: string, transient: boolean) {
    super(message)
    this.transient = transient
  }
}

export function createSmtpSender(options: SmtpSenderOptions): SmtpSender {
  const domain = domainOf(options.from)
  // Nodemailer's own defaults (2 min to connect, 10 min of socket silence) would hold a worker and
  // its database row lock far longer than a retry later costs.
  const transport = createTransport({
    url: options.url,
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    greetingTimeout: options.greetingTimeoutMs ?? 10_000,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
    dnsTimeout: options.connectionTimeoutMs ?? 10_000
  })

  return {
    domain,
    async send(mail) {
      const started = performance.now()
      try {
        await transport.sendMail({
          from: options.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
          ...(mail.references?.length ? { references: mail.references } : {}),
          // RFC 3834: vacation responders and ticket systems must not answer machine mail, which
          // would otherwise come back through intake as a new request.
          headers: { 'Auto-Submitted': 'auto-generated' }
        })
      } catch (error) {
        throw classifySmtpFailure(error)
      }
      options.log.debug({ messageId: mail.messageId, ms: Math.round(performance.now() - started) }, 'smtp server accepted the message')
    }
  }
}

/**
 * Permanent only when the server refused this message for good. Our own setup failing (bad
 * credentials, sender address refused at MAIL FROM) is transient on purpose: marking every
 * message failed would lose mail that goes through once the configuration is fixed.
 */
export function classifySmtpFailure(error: unknown): SmtpSendError {
  const failure = error as NodemailerError
  const reason = maskAddresses(describe(failure)).slice(0, 500)
  const setupProblem = failure.code === 'EAUTH' || failure.code === 'ENOAUTH' || failure.code === 'ECONFIG' || failure.command === 'MAIL FROM'
  if (setupProblem) return new SmtpSendError(reason, true)
  if (typeof failure.responseCode === 'number') return new SmtpSendError(reason, !(failure.permanent ?? failure.responseCode >= 500))
  // Refused before any server reply: an address nodemailer cannot even put on the envelope.
  if (failure.code === 'EENVELOPE') return new SmtpSendError(reason, false)
  return new SmtpSendError(reason, true)
}

function describe(failure: NodemailerError): string {
  const parts = [failure.code, failure.command, failure.response ?? failure.message].filter((part) => typeof part === 'string' && part.length > 0)
  return parts.join(' ') || 'unknown SMTP failure'
}

/** Servers echo the recipient in their replies (`550 5.1.1 <jane@…>: no such user`). */
export function maskAddresses(text: string): string {
  // A match starts only where a run of address characters starts: tried inside a long run without
  // an @, it would scan to the run's end from every position (quadratic).
  return text.replace(/(?<![^\s<>"'(),;:[\]])[^\s<>"'(),;:[\]]+@[^\s<>"'(),;:[\]]+/g, '[address]')
}

/** The bare address of a sender like `Privacy <privacy@shop.example>`, lower-cased; '' when it holds none. */
export function addressOf(from: string): string {
  return (addressparser(from, { flatten: true })[0]?.address ?? '').toLowerCase()
}

function domainOf(from: string): string {
  const address = addressOf(from)
  const domain = address.slice(address.lastIndexOf('@') + 1)
  if (!address.includes('@') || domain.length === 0) throw new Error('MAIL_FROM must hold an e-mail address, e.g. "Privacy <privacy@shop.example>"')
  return domain.toLowerCase()
}
