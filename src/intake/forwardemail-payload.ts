import { z } from 'zod'

/*
 * The message ForwardEmail POSTs to a webhook alias: mailparser's `simpleParser` output serialised
 * with JSON.stringify, plus ForwardEmail's own fields (authentication results, `recipients`,
 * `session`). See src/intake/FORWARDEMAIL.md for the sources. Lenient on everything the service
 * does not read (every object is loose, so new fields pass through), strict on what it does read:
 * a payload the service cannot act on is refused rather than half understood.
 */

/** A sender in `from`: ForwardEmail refuses mail whose From header has no valid address, so it is required here. */
const senderEntrySchema = z.looseObject({
  address: z.string(),
  name: z.string().optional()
})

/** A recipient in `to`/`cc`: a group (`undisclosed-recipients:;`) has a name and members but no address of its own. */
const recipientEntrySchema = z.looseObject({
  address: z.string().optional(),
  name: z.string().optional(),
  group: z.array(z.looseObject({ address: z.string().optional(), name: z.string().optional() })).optional()
})

const senderSchema = z.looseObject({
  value: z.array(senderEntrySchema).min(1),
  text: z.string().optional(),
  html: z.string().optional()
})

const recipientListSchema = z.looseObject({
  value: z.array(recipientEntrySchema),
  text: z.string().optional(),
  html: z.string().optional()
})

/** mailparser keeps one object per To/Cc header line, so a message with two To lines gives an array. */
const recipientsSchema = z.union([recipientListSchema, z.array(recipientListSchema)])

/**
 * A Node.js Buffer after JSON.stringify: `{ type: 'Buffer', data: [bytes…] }`. A message at the body
 * limit carries millions of bytes: they are checked in one plain pass, not parsed one zod schema
 * each (which costs seconds and a copy of the array).
 */
const bufferSchema = z.looseObject({
  type: z.literal('Buffer'),
  data: z.custom<number[]>(isByteArray, { message: 'Expected an array of bytes (integers from 0 to 255)' }).meta({ type: 'array', items: { type: 'integer', minimum: 0, maximum: 255 } })
})

function isByteArray(value: unknown): value is number[] {
  if (!Array.isArray(value)) return false
  // `(x & 255) === x` holds for the integers 0 to 255 and nothing else (strings, fractions, booleans, null fail it).
  for (let index = 0; index < value.length; index++) if ((value[index] & 255) !== value[index]) return false
  return true
}

const attachmentSchema = z.looseObject({
  filename: z.string().optional(),
  contentType: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  checksum: z.string().optional(),
  content: bufferSchema.optional()
})

const sessionSchema = z.looseObject({
  /** Milliseconds since the epoch when ForwardEmail's MX received the message. */
  arrivalTime: z.union([z.number(), z.string()]).optional(),
  arrivalDate: z.string().optional(),
  /** The alias the message was addressed to (the value ForwardEmail also writes to X-Original-To). */
  recipient: z.string().optional(),
  /** The envelope sender (MAIL FROM); empty for bounces, which have a null reverse-path. */
  sender: z.union([z.string(), z.literal(false), z.null()]).optional()
})

export const forwardEmailPayloadSchema = z
  .looseObject({
    messageId: z.string().min(1),
    from: senderSchema,
    to: recipientsSchema.optional(),
    cc: recipientsSchema.optional(),
    subject: z.string().optional(),
    /** The Date header as an ISO 8601 string (mailparser parses it into a Date; JSON turns that into a string). */
    date: z.union([z.string(), z.number()]).optional(),
    inReplyTo: z.string().optional(),
    /** One Message-ID as a string, several as an array. */
    references: z.union([z.string(), z.array(z.string())]).optional(),
    /** Every header line of the message as received, keys lower-cased: the reliable way to read headers. */
    headerLines: z.array(z.looseObject({ key: z.string(), line: z.string() })).optional(),
    /** Not reliable: ForwardEmail replaces mailparser's header Map (which serialises as `{}`) with its own session value. Use `headerLines`. */
    headers: z.unknown().optional(),
    text: z.string().optional(),
    /** `false` when the message has no HTML part. */
    html: z.union([z.string(), z.literal(false)]).optional(),
    attachments: z.array(attachmentSchema).optional(),
    /** The aliases of this message that share this webhook URL. */
    recipients: z.array(z.string()).optional(),
    /** The whole message as received, unless the webhook URL carries `?raw=false`. */
    raw: z.string().optional(),
    session: sessionSchema.optional()
  })
  .meta({
    id: 'ForwardEmailMessage',
    description:
      "The message as ForwardEmail's webhook delivers it: mailparser's simpleParser output (from, to, cc, subject, date, messageId, inReplyTo, references, " +
      'headerLines, text, html, attachments with Buffer contents as byte arrays, raw) plus dkim, spf, arc, dmarc, bimi, recipients and session. ' +
      'Unknown fields are accepted and kept.'
  })

export type ForwardEmailPayload = z.infer<typeof forwardEmailPayloadSchema>

/** The most of an address that is read: a longer one is none (RFC 5321 §4.5.3.1.3 allows 256 octets for a path). */
export const ADDRESS_MAX_CHARS = 256

/** The sender's address from the From header, trimmed and lower-cased; null when it is not an address. */
export function senderAddress(payload: Pick<ForwardEmailPayload, 'from'>): string | null {
  const address = payload.from.value[0]?.address.trim().toLowerCase() ?? ''
  return address.length <= ADDRESS_MAX_CHARS && /^[^\s@]+@[^\s@]+$/.test(address) ? address : null
}

/** Header lines looked through: real messages have a few dozen; the rest of a padded header is not read. */
export const HEADER_LINES_MAX = 1_000
/** The most of a header value that is read, and of the References looked through (from the newest). */
export const HEADER_VALUE_MAX_CHARS = 32_768
/** The newest References considered: a reply to one of our messages names it among the last few. */
export const REFERENCES_MAX = 100

/**
 * The value of the first header called `name` (case-insensitive) among the first HEADER_LINES_MAX,
 * unfolded and trimmed, at most HEADER_VALUE_MAX_CHARS of it, read from `headerLines`; undefined
 * when the message has no such header. Encoded words are left as they are.
 */
export function headerValue(payload: Pick<ForwardEmailPayload, 'headerLines'>, name: string): string | undefined {
  const key = name.trim().toLowerCase()
  const found = payload.headerLines?.slice(0, HEADER_LINES_MAX).find((header) => header.key.length === key.length && header.key.toLowerCase() === key)
  if (!found) return undefined
  const colon = found.line.indexOf(':')
  const value = colon < 0 ? '' : found.line.slice(colon + 1, colon + 1 + HEADER_VALUE_MAX_CHARS)
  return value.replace(/\r?\n[ \t]+/g, ' ').trim()
}

/**
 * The Message-IDs this message answers, each as `<id>`: In-Reply-To first, then References from
 * the most recent back to the start of the thread (the newest REFERENCES_MAX of them), without
 * repeats.
 */
export function referencedMessageIds(payload: Pick<ForwardEmailPayload, 'inReplyTo' | 'references'>): string[] {
  const inReplyTo = messageIdsIn((payload.inReplyTo ?? '').slice(0, HEADER_VALUE_MAX_CHARS))
  return [...new Set([...inReplyTo, ...newestReferences(payload.references ?? [])])]
}

/** The newest References first, read from the end within HEADER_VALUE_MAX_CHARS. */
function newestReferences(references: string | string[]): string[] {
  const newest: string[] = []
  let budget = HEADER_VALUE_MAX_CHARS
  for (const entry of [references].flat().slice(-REFERENCES_MAX).reverse()) {
    const tail = entry.slice(-budget)
    const ids = messageIdsIn(tail)
    // A value cut at the budget starts with part of an id: that part is no id.
    if (tail.length < entry.length) ids.shift()
    newest.push(...ids.reverse())
    budget -= tail.length
    if (budget <= 0 || newest.length >= REFERENCES_MAX) break
  }
  return newest.slice(0, REFERENCES_MAX)
}

function messageIdsIn(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((token) => token.replace(/^<+|(?<!>)>+$/g, ''))
    .filter((id) => id.length > 0)
    .map((id) => `<${id}>`)
}
