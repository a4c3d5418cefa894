import type { SimChannel } from './shop-year.ts'
import { shopTime } from './shop-year.ts'
import { legalClock } from './legal-deadlines.ts'

/**
 * The oracle: what the law and the shop's policies demand, computed from their plain definitions
 * and from what the shop really did (the facts the harness reports as it acts), never from the
 * service's planner or deadline code. The harness asks it after every step; the first violation
 * stops the run.
 */

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000
/** RETENTION_SWEEP_CRON's interval: the tolerance for a redaction after its due time. */
export const SWEEP_INTERVAL_MS = 5 * MINUTE_MS
/** SYNC_CRON's interval: after Odoo comes back, the next scheduled sync may be this far off. */
export const SYNC_INTERVAL_MS = 10 * MINUTE_MS

export type ClockEvent = 'order_date' | 'shipped' | 'completed'

export interface Rule {
  clockEvent: ClockEvent
  periodDays: number
}

/**
 * The policies of the domain notes, read independently: Amazon 30 days after shipment, TikTok Shop
 * 30 days after the order, Etsy at completion, every other channel 90 days after the order. A
 * period is elapsed time: N days of 24 hours after the event.
 */
export const DEFAULT_RULES: Record<SimChannel, Rule> = {
  amazon: { clockEvent: 'shipped', periodDays: 30 },
  tiktok_shop: { clockEvent: 'order_date', periodDays: 30 },
  etsy: { clockEvent: 'completed', periodDays: 0 },
  shopify: { clockEvent: 'order_date', periodDays: 90 },
  ebay: { clockEvent: 'order_date', periodDays: 90 },
  bol: { clockEvent: 'order_date', periodDays: 90 },
  other: { clockEvent: 'order_date', periodDays: 90 }
}

export interface OrderFacts {
  id: number
  channel: SimChannel
  orderedAt: number
  partners: number[]
  /** Outgoing deliveries: done when, or cancelled. */
  deliveries: Map<number, { doneAt: number | null; cancelled: boolean }>
  /** Still a quotation: no delivery exists yet. */
  quotation: boolean
  cancelledAt: number | null
}

export interface Violation {
  kind: 'kept_too_long' | 'redacted_early' | 'held_contact_touched' | 'request_late' | 'deadline_stated_late' | 'redaction_unexplained'
  at: number
  day: string
  subject: string
  oracle: string
  service: string
}

export interface Due {
  dueAt: number | null
  why: string
  /** The event that started the decisive order's clock, and when. */
  event: { order: number; channel: SimChannel; kind: ClockEvent | 'cancelled'; at: number; periodDays: number } | null
}

interface HoldFacts {
  kind: 'order' | 'partner' | 'email'
  ref: number | string
  from: number
  to: number | null
}

interface RequestFacts {
  key: number
  id: string
  type: string
  jurisdiction: 'gdpr' | 'ccpa'
  receivedAt: number
  deadline: number
  latestExtension: number | null
  closedAt: number | null
  edge?: string
}

export class Oracle {
  readonly violations: Violation[] = []
  readonly #orders = new Map<number, OrderFacts>()
  readonly #ordersOf = new Map<number, Set<number>>()
  readonly #rules = new Map<SimChannel, { from: number; rule: Rule; version: number }[]>()
  readonly #holds: HoldFacts[] = []
  readonly #outages: { from: number; to: number }[]
  readonly #emails = new Map<number, string>()
  /** When a fact about the contact last changed: its due time cannot be known before. */
  readonly #factAt = new Map<number, number>()
  /** Contacts Odoo holds personal data of, with the moment they (again) got it. */
  readonly piiSince = new Map<number, number>()
  readonly redactedAt = new Map<number, number>()
  /** Contacts an erasure request was granted for, at that instant. */
  readonly #erasures = new Map<number, number>()
  readonly requests = new Map<string, RequestFacts>()
  /** Contacts whose facts changed since the harness last asked (their due time may have moved). */
  #changed = new Set<number>()

  constructor(outages: { from: number; to: number }[]) {
    this.#outages = outages
  }

  // --- facts, as the shop and its people create them ---

  contactGotPii(partnerId: number, at: number, email: string | null): void {
    this.piiSince.set(partnerId, at)
    this.redactedAt.delete(partnerId)
    if (email) this.#emails.set(partnerId, email.trim().toLowerCase())
    this.#factAt.set(partnerId, at)
  }

  orderCreated(order: OrderFacts): void {
    this.#orders.set(order.id, order)
    for (const partner of order.partners) {
      let set = this.#ordersOf.get(partner)
      if (!set) this.#ordersOf.set(partner, (set = new Set()))
      set.add(order.id)
    }
    this.#touch(order, order.orderedAt)
  }

  deliveriesCreated(orderId: number, pickingIds: readonly number[], at: number): void {
    const order = this.#orders.get(orderId) as OrderFacts
    order.quotation = false
    for (const id of pickingIds) order.deliveries.set(id, { doneAt: null, cancelled: false })
    this.#touch(order, at)
  }

  delivered(orderId: number, pickingId: number, at: number): void {
    const order = this.#orders.get(orderId) as OrderFacts
    order.deliveries.set(pickingId, { doneAt: at, cancelled: false })
    this.#touch(order, at)
  }

  orderCancelled(orderId: number, at: number): void {
    const order = this.#orders.get(orderId) as OrderFacts
    order.cancelledAt = at
    for (const [id, delivery] of order.deliveries) if (delivery.doneAt === null) order.deliveries.set(id, { doneAt: null, cancelled: true })
    this.#touch(order, at)
  }

  policyChanged(channel: SimChannel, rule: Rule, at: number, version: number): void {
    const history = this.#rules.get(channel) ?? []
    history.push({ from: at, rule, version })
    this.#rules.set(channel, history)
    for (const order of this.#orders.values()) if (order.channel === channel) this.#touch(order, at)
  }

  holdPlaced(kind: HoldFacts['kind'], ref: number | string, at: number): HoldFacts {
    const hold = { kind, ref: typeof ref === 'string' ? ref.trim().toLowerCase() : ref, from: at, to: null }
    this.#holds.push(hold)
    return hold
  }

  holdEnded(hold: HoldFacts, at: number): void {
    hold.to = at
    for (const partner of this.#partnersUnder(hold)) {
      this.#factAt.set(partner, Math.max(this.#factAt.get(partner) ?? 0, at))
      this.#changed.add(partner)
    }
  }

  erasureGranted(partnerIds: readonly number[], at: number): void {
    for (const id of partnerIds) this.#erasures.set(id, at)
  }

  requestReceived(request: { key: number; id: string; type: string; jurisdiction: 'gdpr' | 'ccpa'; receivedAt: number; edge?: string }, statedDueAt: number, at: number): void {
    const clock = legalClock(request.type, request.jurisdiction, request.receivedAt)
    const facts: RequestFacts = { ...request, deadline: clock.deadline, latestExtension: clock.latestExtension, closedAt: null }
    this.requests.set(request.id, facts)
    this.#checkStatedDeadline(facts, statedDueAt, at, 'received')
  }

  requestExtended(id: string, until: number, statedDueAt: number, at: number): void {
    const facts = this.requests.get(id) as RequestFacts
    if (facts.latestExtension !== null && at <= facts.deadline) facts.deadline = Math.min(until, facts.latestExtension)
    this.#checkStatedDeadline(facts, statedDueAt, at, 'extended')
  }

  requestClosed(id: string, at: number): void {
    const facts = this.requests.get(id)
    if (facts && facts.closedAt === null) facts.closedAt = at
  }

  // --- the rules ---

  #touch(order: OrderFacts, at: number): void {
    for (const partner of order.partners) {
      this.#factAt.set(partner, Math.max(this.#factAt.get(partner) ?? 0, at))
      this.#changed.add(partner)
    }
  }

  takeChanged(): number[] {
    const changed = [...this.#changed]
    this.#changed = new Set()
    return changed
  }

  ruleAt(channel: SimChannel, at: number): { rule: Rule; version: number } {
    const history = (this.#rules.get(channel) ?? []).filter((entry) => entry.from <= at)
    const current = history[history.length - 1]
    return current ? { rule: current.rule, version: current.version } : { rule: DEFAULT_RULES[channel], version: 0 }
  }

  /** When one order's data must be gone, under the policy in force at `at`, from the facts known by then. */
  orderDue(order: OrderFacts, at: number): Due['event'] {
    const { rule } = this.ruleAt(order.channel, at)
    const live = [...order.deliveries.values()].filter((d) => !d.cancelled)
    const shipped = !order.quotation && live.length > 0 && live.every((d) => d.doneAt !== null && d.doneAt <= at) ? Math.max(...live.map((d) => d.doneAt as number)) : null
    const event = rule.clockEvent === 'order_date' ? order.orderedAt : shipped
    if (event !== null) return { order: order.id, channel: order.channel, kind: rule.clockEvent, at: event, periodDays: rule.periodDays }
    if (order.cancelledAt !== null && order.cancelledAt <= at) return { order: order.id, channel: order.channel, kind: 'cancelled', at: order.cancelledAt, periodDays: rule.periodDays }
    return null
  }

  /** A contact is due when the last of the orders naming it is; never while one of them has no clock running. */
  due(partnerId: number, at: number): Due {
    const orders = [...(this.#ordersOf.get(partnerId) ?? [])].map((id) => this.#orders.get(id) as OrderFacts).filter((o) => o.orderedAt <= at)
    if (orders.length === 0) return { dueAt: null, why: 'named by no order', event: null }
    let latest: Due = { dueAt: -Infinity, why: '', event: null }
    for (const order of orders) {
      const event = this.orderDue(order, at)
      if (!event) return { dueAt: null, why: `order ${order.id} (${order.channel}) has no clock running yet`, event: null }
      const dueAt = event.at + event.periodDays * DAY_MS
      if (latest.dueAt === null || dueAt > (latest.dueAt)) latest = { dueAt, why: `order ${order.id} (${order.channel}): ${event.kind} ${shopTime(event.at)} + ${event.periodDays} days`, event }
    }
    return latest
  }

  heldAt(partnerId: number, at: number): HoldFacts | undefined {
    return this.#holds.find((hold) => hold.from <= at && (hold.to === null || hold.to > at) && this.#covers(hold, partnerId))
  }

  #covers(hold: HoldFacts, partnerId: number): boolean {
    if (hold.kind === 'partner') return hold.ref === partnerId
    if (hold.kind === 'email') return this.#emails.get(partnerId) === hold.ref
    return (this.#orders.get(hold.ref as number)?.partners ?? []).includes(partnerId)
  }

  #partnersUnder(hold: HoldFacts): number[] {
    if (hold.kind === 'partner') return [hold.ref as number]
    if (hold.kind === 'email') return [...this.#emails].filter(([, email]) => email === hold.ref).map(([id]) => id)
    return this.#orders.get(hold.ref as number)?.partners ?? []
  }

  /**
   * By when the contact's data must be gone: its due time, or when the service could first know it
   * (the fact that made it due: a shipment, a policy change, a hold's end), plus one sweep interval;
   * a due time inside an Odoo outage moves to the outage's end plus one sync and one sweep interval.
   * Null while it is not due or is held.
   */
  mustBeGoneBy(partnerId: number, now: number): { by: number; due: Due } | null {
    const due = this.due(partnerId, now)
    if (due.dueAt === null || due.dueAt > now) return null
    if (this.heldAt(partnerId, now)) return null
    let start = Math.max(due.dueAt, this.#factAt.get(partnerId) ?? 0, this.piiSince.get(partnerId) ?? 0)
    let by = start + SWEEP_INTERVAL_MS
    for (const outage of this.#outages) {
      if (outage.from <= by && outage.to >= start) {
        start = outage.to
        by = outage.to + SYNC_INTERVAL_MS + SWEEP_INTERVAL_MS
      }
    }
    return { by, due }
  }

  // --- checks ---

  /**
   * A contact's data left Odoo at `at` (`fields`: its fields were overwritten; `gone`: nothing is
   * left, chatter included). Not before its due time unless an erasure was granted, never while held.
   */
  observeRedaction(partnerId: number, at: number, complete: boolean, service: () => Promise<string>): Promise<void> | void {
    if (!this.piiSince.has(partnerId) || this.redactedAt.has(partnerId)) return
    const held = this.heldAt(partnerId, at)
    const erasure = this.#erasures.get(partnerId)
    const due = this.due(partnerId, at)
    if (complete) {
      this.redactedAt.set(partnerId, at)
      this.piiSince.delete(partnerId)
    }
    if (held) return this.#report('held_contact_touched', at, `contact ${partnerId}`, `held since ${shopTime(held.from)} by a hold on ${held.kind} ${String(held.ref)}`, service)
    if (erasure !== undefined && erasure <= at) return
    if (due.dueAt === null) return this.#report('redacted_early', at, `contact ${partnerId}`, `not due: ${due.why}`, service)
    if (due.dueAt > at) return this.#report('redacted_early', at, `contact ${partnerId}`, `due ${shopTime(due.dueAt)}: ${due.why}`, service)
    const limit = this.mustBeGoneBy(partnerId, at)
    if (complete && limit && limit.by < at) return this.#report('kept_too_long', at, `contact ${partnerId}`, `had to be gone by ${shopTime(limit.by)} (${due.why}); redacted ${shopTime(at)}`, service)
  }

  /** Every contact still holding data past its limit. */
  async checkRetention(now: number, service: (partnerId: number) => Promise<string>): Promise<void> {
    for (const partnerId of this.piiSince.keys()) {
      const limit = this.mustBeGoneBy(partnerId, now)
      if (limit && limit.by < now) await this.#report('kept_too_long', now, `contact ${partnerId}`, `had to be gone by ${shopTime(limit.by)}: ${limit.due.why}`, () => service(partnerId))
    }
  }

  async checkRequests(now: number, service: (id: string) => Promise<string>): Promise<void> {
    for (const request of this.requests.values()) {
      const answeredAt = request.closedAt ?? now
      if (answeredAt > request.deadline) {
        await this.#report('request_late', now, `request ${request.id} (${request.type}, ${request.jurisdiction}${request.edge ? `, ${request.edge}` : ''})`, `received ${shopTime(request.receivedAt)}, legal deadline ${shopTime(request.deadline)}, ${request.closedAt ? `answered ${shopTime(request.closedAt)}` : 'still open'}`, () => service(request.id))
      }
    }
  }

  #checkStatedDeadline(request: RequestFacts, statedDueAt: number, at: number, when: string): void {
    if (statedDueAt <= request.deadline) return
    void this.#report('deadline_stated_late', at, `request ${request.id} (${request.type}, ${request.jurisdiction}${request.edge ? `, ${request.edge}` : ''})`,
      `received ${new Date(request.receivedAt).toISOString()} (${shopTime(request.receivedAt)}): the law's deadline is ${new Date(request.deadline).toISOString()}`,
      () => Promise.resolve(`when ${when}, the service states dueAt ${new Date(statedDueAt).toISOString()}, ${Math.round((statedDueAt - request.deadline) / 60_000)} minutes after it`))
  }

  unexplained(at: number, subject: string, oracle: string, service: string): void {
    void this.#report('redaction_unexplained', at, subject, oracle, () => Promise.resolve(service))
  }

  async #report(kind: Violation['kind'], at: number, subject: string, oracle: string, service: () => Promise<string>): Promise<void> {
    const violation: Violation = { kind, at, day: shopTime(at).slice(0, 10), subject, oracle, service: '' }
    this.violations.push(violation)
    violation.service = await service().catch((error: unknown) => `(could not read the service's side: ${(error as Error).message})`)
  }
}
