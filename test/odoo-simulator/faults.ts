import { missingRecord, OdooError, serializationFailure } from './errors.ts'
import type { HttpReply, ObjectCall, Protocol } from './protocol/http-reply.ts'
import { html } from './protocol/http-reply.ts'
import type { SimulatorStore } from './store.ts'

export interface FaultMatch {
  model?: string
  method?: string
  protocol?: Protocol
}

export type OdooFaultKind = 'AccessError' | 'ValidationError' | 'UserError' | 'MissingError' | 'SerializationFailure'

/** Makes the simulator misbehave the way production does: slow answers, proxy errors, hangs, Odoo exceptions. */
export interface FaultInjector {
  /** Delay added to every request; 0 clears it. */
  latency(ms: number): void
  /** Each answer also waits for the server time real Odoo takes for the call (see FaultRules.costOf). */
  odooCost(on: boolean): void
  /** The next matching requests get an HTML error page from the reverse proxy in front of Odoo. */
  failNext(options: { status: 502 | 503 | 504; times?: number; match?: FaultMatch }): void
  /** The next matching requests are accepted and never answered (until the client or the simulator closes). */
  hangNext(options?: { times?: number; match?: FaultMatch }): void
  /**
   * The next matching requests raise this Odoo exception, in the envelope of their protocol; with
   * `after`, only once that many matching requests have been answered normally.
   */
  odooFaultNext(options: OdooFaultOptions): void
  clear(): void
}

export interface OdooFaultOptions {
  kind: OdooFaultKind
  times?: number
  after?: number
  match?: FaultMatch
  message?: string
  /**
   * Opt-in: the message goes on to quote the name and e-mail of each record the call names, as
   * Odoo's constraint and record-rule messages quote display names and values. For testing that
   * the client keeps no text of Odoo's.
   */
  echo?: boolean
}

/** What the server should do instead of answering normally. */
export type Disruption = { kind: 'reply'; reply: HttpReply } | { kind: 'hang' } | { kind: 'raise'; error: OdooError }

type Action = { kind: 'fail'; status: 502 | 503 | 504 } | { kind: 'hang' } | { kind: 'odoo'; fault: OdooFaultKind; message?: string; echo: boolean }

interface Rule {
  action: Action
  remaining: number
  /** Matching requests still to let through before the rule applies. */
  after: number
  match: FaultMatch
}

export interface RequestTraits {
  protocol?: Protocol
  call?: ObjectCall
  method?: string
}

export class FaultRules implements FaultInjector {
  #latency = 0
  #rules: Rule[] = []
  readonly #store: Pick<SimulatorStore, 'get'>

  constructor(store: Pick<SimulatorStore, 'get'>) {
    this.#store = store
  }

  get delay(): number {
    return this.#latency
  }

  #odooCost = false

  /**
   * With the cost on, each answer also waits for the server time real Odoo 18 took on a 2-core
   * machine (measured for issue #18): a `write` of n contacts 110 + 0.7·n ms (100: 180 ms, 300:
   * 320 ms); a `read` of n records 0.4·n ms; a search about 40 ms; any other call 4 ms.
   */
  odooCost(on: boolean): void {
    this.#odooCost = on
  }

  costOf(call: { method: string; ids?: number[] } | undefined): number {
    if (!this.#odooCost || call === undefined) return 0
    const n = call.ids?.length ?? 0
    if (call.method === 'write') return 110 + 0.7 * n
    if (call.method === 'read') return Math.max(4, 0.4 * n)
    if (call.method === 'search' || call.method === 'search_read' || call.method === 'search_count') return 40
    return 4
  }

  latency(ms: number): void {
    this.#latency = Math.max(0, ms)
  }

  failNext(options: { status: 502 | 503 | 504; times?: number; match?: FaultMatch }): void {
    this.#add({ kind: 'fail', status: options.status }, options)
  }

  hangNext(options: { times?: number; match?: FaultMatch } = {}): void {
    this.#add({ kind: 'hang' }, options)
  }

  odooFaultNext(options: OdooFaultOptions): void {
    this.#add({ kind: 'odoo', fault: options.kind, echo: options.echo ?? false, ...(options.message === undefined ? {} : { message: options.message }) }, options)
  }

  clear(): void {
    this.#rules = []
    this.#latency = 0
  }

  /** The disruption for this request, if a rule matches it (using up one of the rule's times). */
  take(request: RequestTraits): Disruption | undefined {
    // An Odoo exception needs a protocol to travel in; plain HTTP pages (404...) cannot carry one.
    const rule = this.#rules.find((r) => matches(r.match, request) && (r.action.kind !== 'odoo' || request.protocol !== undefined))
    if (!rule) return undefined
    if (rule.after > 0) {
      rule.after -= 1
      return undefined
    }
    rule.remaining -= 1
    if (rule.remaining <= 0) this.#rules = this.#rules.filter((r) => r !== rule)
    const { action } = rule
    if (action.kind === 'fail') return { kind: 'reply', reply: proxyErrorPage(action.status) }
    if (action.kind === 'hang') return { kind: 'hang' }
    const error = injectedError(action.fault, request.call, action.message)
    return { kind: 'raise', error: action.echo ? withRecordsQuoted(error, this.#store, request.call) : error }
  }

  #add(action: Action, options: { times?: number; after?: number; match?: FaultMatch }): void {
    this.#rules.push({ action, remaining: options.times ?? 1, after: options.after ?? 0, match: options.match ?? {} })
  }
}

function matches(match: FaultMatch, request: RequestTraits): boolean {
  return (
    (match.protocol === undefined || match.protocol === request.protocol) &&
    (match.model === undefined || match.model === request.call?.model) &&
    (match.method === undefined || match.method === (request.call?.method ?? request.method))
  )
}

const REASONS = { 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out' } as const

/** What nginx answers when Odoo behind it is down, restarting or too slow. */
function proxyErrorPage(status: 502 | 503 | 504): HttpReply {
  const title = `${status} ${REASONS[status]}`
  return html(status, `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`)
}

function injectedError(kind: OdooFaultKind, call: ObjectCall | undefined, message: string | undefined): OdooError {
  const model = call?.model ?? 'res.partner'
  switch (kind) {
    case 'SerializationFailure':
      // Odoo retries a transaction on this error a few times, then lets it through as is.
      return serializationFailure(message)
    case 'MissingError':
      return message === undefined ? missingRecord(model, call?.ids ?? [], 2) : new OdooError({ exception: 'odoo.exceptions.MissingError', message })
    case 'AccessError':
      return new OdooError({ exception: 'odoo.exceptions.AccessError', message: message ?? `You are not allowed to access '${model}' (${model}) records.\n\nContact your administrator to request access if necessary.` })
    case 'ValidationError':
      return new OdooError({ exception: 'odoo.exceptions.ValidationError', message: message ?? 'The operation cannot be completed: the values do not pass validation.' })
    case 'UserError':
      return new OdooError({ exception: 'odoo.exceptions.UserError', message: message ?? 'The operation cannot be completed.' })
  }
}

/** The same exception, its message quoting the records of the call: "Records: Jane Doe <jane@…> (res.partner: 8)". */
function withRecordsQuoted(error: OdooError, store: Pick<SimulatorStore, 'get'>, call: ObjectCall | undefined): OdooError {
  if (!call?.ids?.length) return error
  const quoted = call.ids.map((id) => store.get(call.model, id)).filter((row) => row !== undefined)
    .map((row) => `${String(row.name)}${typeof row.email === 'string' ? ` <${row.email}>` : ''} (${call.model}: ${row.id})`)
  if (quoted.length === 0) return error
  return new OdooError({ exception: error.exception, message: `${error.message.trimEnd()}\n\nRecords: ${quoted.join(', ')}`, stage: error.stage, site: error.site })
}
