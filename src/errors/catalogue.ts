/**
 * The one catalogue of the errors the service reports: each code is stable (clients match on it,
 * as `urn:problem:<code in kebab case>`), with the HTTP status it stands for, a title and the
 * factory of its message. Domain code throws `domainError(code, …)` and knows nothing of HTTP;
 * the error handler (src/http/problems.ts) turns them into problem details. Messages are written
 * for API clients and never carry personal data: ids, counts, field names and dates only.
 */

/** What a message factory returns when the error carries more than its message. */
interface Described {
  message: string
  /** For state conflicts: the transitions the current state allows. */
  allowed?: readonly string[]
}

interface CatalogueEntry {
  readonly status: number
  readonly title: string
  readonly message: (...args: never[]) => string | Described
}

// The generic codes stand for many situations: the thrower words the detail.
const given = (detail: string) => detail

/** A deadline extension refused: the reason, and the date it is measured against when there is one. */
const extensionRefused = (reason: string) => ({
  status: 409,
  title: 'Extension refused',
  message: (limit?: Date) => `${reason}${limit ? ` (${limit.toISOString()})` : ''}`
})

export const ERROR_CATALOGUE = {
  // Any route
  validation: { status: 400, title: 'Validation failed', message: given },
  malformed_json: { status: 400, title: 'Bad Request', message: () => 'The body is not valid JSON.' },
  unauthorized: { status: 401, title: 'Unauthorized', message: given },
  forbidden: { status: 403, title: 'Forbidden', message: given },
  not_found: { status: 404, title: 'Not Found', message: given },
  conflict: { status: 409, title: 'Conflict', message: (detail: string, allowed?: readonly string[]) => ({ message: detail, allowed }) },
  rate_limited: { status: 429, title: 'Too Many Requests', message: (refusal: string, retryAfterSeconds: number) => `${refusal}: try again in ${retryAfterSeconds} seconds.` },
  internal: { status: 500, title: 'Internal Server Error', message: () => 'An unexpected error occurred; it has been logged with this request id.' },
  unavailable: { status: 503, title: 'Service Unavailable', message: () => 'The database does not answer; try again shortly.' },

  // Odoo failing is the gateway's failure, not the service's.
  odoo: { status: 502, title: 'Bad Gateway', message: given },
  odoo_unavailable: { status: 503, title: 'Service Unavailable', message: (description: string) => `${description}; try again shortly.` },

  // Identity verification of a rights request
  verification_code_wrong: { status: 422, title: 'Wrong code', message: (attemptsLeft: number) => `The code does not match (${attemptsLeft} attempts left).` },
  verification_attempts_exhausted: { status: 429, title: 'Too many attempts', message: () => 'Too many wrong codes: send a new one.' },
  verification_code_expired: { status: 410, title: 'Code expired', message: () => 'The code has expired: send a new one.' },
  verification_bound_to_type: {
    status: 409,
    title: 'Verification bound to the type',
    message: (requestId: string, verifiedAs: string, type: string) =>
      `Request ${requestId} was verified as ${verifiedAs}; a verification does not carry over to ${type}. Send {"type": "${type}", "reverify": true} to change the type and verify the requester again (the request goes back to received).`
  },

  // The subject of a rights request
  subject_needs_confirmation: {
    status: 409,
    title: 'Subject needs confirmation',
    message: (requestId: string, why: string) =>
      `${why} Nothing was sent or changed: see the contacts with GET /v1/requests/${requestId}/subject, then name those that are the subject with PUT /v1/requests/${requestId}/subject {"partnerIds": [...]}.`
  },

  // The second person's approval (RIGHTS_APPROVAL)
  approval_pending: {
    status: 409,
    title: 'Approval pending',
    message: (action: string, requestedBy: string, requestedAt: string) =>
      `${action} asked for by ${requestedBy} at ${requestedAt} awaits another key's decision (POST /v1/requests/{id}/approval); nothing else can be verified, fulfilled or reclassified until then.`
  },
  no_approval_pending: { status: 409, title: 'Nothing to approve', message: (requestId: string) => `Request ${requestId} has no action awaiting approval (it may have been decided already).` },
  approval_needs_second_person: {
    status: 403,
    title: 'A second person must approve',
    message: (action: string, requestedBy: string) => `${action} was asked for with this key (${requestedBy}): another agent or admin key must approve it. This key may reject it.`
  },

  // Deadline extensions; the codes after `extension_` are those of src/rights/deadlines.ts.
  extension_request_closed: extensionRefused('The request is closed.'),
  extension_not_extendable: extensionRefused('This kind of request cannot be extended.'),
  extension_already_extended: extensionRefused('A CCPA request can be extended once.'),
  extension_at_maximum: extensionRefused('The request is already at its longest legal deadline.'),
  extension_notice_too_late: extensionRefused('An extension must be notified within the original deadline.'),
  extension_reason_missing: extensionRefused('An extension needs a reason for the requester.'),
  extension_not_after_due: extensionRefused('The new deadline must be later than the current one.'),
  extension_beyond_maximum: extensionRefused('That is beyond the longest legal deadline.'),

  // The service's own records of a request
  export_gone: {
    status: 410,
    title: 'Gone',
    message: (why: 'downloaded_or_expired' | 'expired') =>
      why === 'expired' ? 'The export has expired and was destroyed.' : 'The export was already downloaded, or has expired, and was destroyed.'
  },
  identifiers_purged: {
    status: 410,
    title: 'Identifiers destroyed',
    message: (requestId: string) => `The requester's identifiers of ${requestId} were destroyed after the retention period; the record of the request remains.`
  },

  // Parts of the service switched off or failing
  intake_disabled: { status: 503, title: 'Service Unavailable', message: () => 'The e-mail intake is disabled: FORWARDEMAIL_WEBHOOK_KEY is not set.' },
  metrics_unavailable: { status: 503, title: 'Service Unavailable', message: () => 'The figures could not be read from the database; see the service log.' }
} as const satisfies Record<string, CatalogueEntry>

type Catalogue = typeof ERROR_CATALOGUE
export type ErrorCode = keyof Catalogue
type MessageArgs<C extends ErrorCode> = Parameters<Catalogue[C]['message']>

/** An error of the catalogue: what went wrong (`code`), and the message for whoever asked. */
export class DomainError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly title: string
  readonly allowed: readonly string[] | undefined

  constructor(code: ErrorCode, described: string | Described) {
    const { message, allowed } = typeof described === 'string' ? { message: described, allowed: undefined } : described
    super(message)
    this.name = 'DomainError'
    this.code = code
    this.status = ERROR_CATALOGUE[code].status
    this.title = ERROR_CATALOGUE[code].title
    this.allowed = allowed
  }
}

/** The catalogue's error `code`, its message built from `args`. */
export function domainError<C extends ErrorCode>(code: C, ...args: MessageArgs<C>): DomainError {
  // TypeScript cannot tie a generic key to its entry's parameters; `MessageArgs<C>` checks the call.
  const message = ERROR_CATALOGUE[code].message as (...args: MessageArgs<C>) => string | Described
  return new DomainError(code, message(...args))
}

/** Whether `error` is a domain error, of one of `codes` when any are given. */
export function isDomainError(error: unknown, ...codes: readonly ErrorCode[]): error is DomainError {
  return error instanceof DomainError && (codes.length === 0 || codes.includes(error.code))
}
