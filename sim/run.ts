import { randomUUID } from 'node:crypto'
import { cpus, loadavg } from 'node:os'
import type { InjectOptions } from 'fastify'
import { REDACT_QUEUE } from '../src/retention/retention-jobs.ts'
import { drainDueContacts } from '../src/retention/redaction-drain.ts'
import { RECONCILE_QUEUE } from '../src/mirror/mirror-jobs.ts'
import type { OdooGateway } from '../src/odoo/gateway.ts'
import { Agenda } from './agenda.ts'
import type { Phase } from './agenda.ts'
import { DEFAULT_RULES, Oracle } from './oracle.ts'
import type { OrderFacts, Rule, Violation } from './oracle.ts'
import { codeReply, requestMail } from './requester-mail.ts'
import { ShopOdoo } from './shop-odoo.ts'
import type { CreatedOrder } from './shop-odoo.ts'
import { agentSessions, CHANNELS, planShopYear, shopTime } from './shop-year.ts'
import type { Customer, PlannedOrder, PlannedRequest, ShopYear, SimChannel } from './shop-year.ts'
import { SimClock } from './sim-clock.ts'
import { startServiceUnderTest, Teardowns } from './service-under-test.ts'
import type { ServiceUnderTest } from './service-under-test.ts'
import { addDays, BERLIN, isoDate, isWeekday, localDate, startOfLocalDay } from './zoned-time.ts'
import type { LocalDate } from './zoned-time.ts'

export interface SimulationOptions {
  seed: number
  days: number
  orders: number
  /** The first day, 00:00 Berlin (default 2027-11-01: the year holds 29 February 2028 and four DST changes). */
  start?: string
  /** Progress, one line a simulated week. */
  progress?: (line: string) => void
}

export interface DayFigures {
  date: string
  orders: number
  /** Contacts whose data Odoo holds at the end of the day, by the channel of their latest order. */
  piiContacts: Record<SimChannel, number>
  /** Contacts whose due time fell on this day (by the oracle), and contacts redacted on this day. */
  due: number
  redacted: number
  erased: number
  openRequests: number
  /** Of the open requests, the one closest to its legal deadline: days left (negative: late). */
  tightestDeadlineDays: number | null
}

export interface SimulationResult {
  options: Required<Omit<SimulationOptions, 'progress'>>
  figures: {
    orders: number
    customers: number
    contacts: number
    redactions: number
    erasures: number
    requests: number
    requestsByType: Record<string, number>
    requestsByOutcome: Record<string, number>
    requestsByLanguage: Record<string, number>
    requestsByChannel: Record<string, number>
    extended: number
    holds: number
    policyChanges: number
    outages: number
    workerKills: number
    contactEdits: number
    returns: number
    cancelled: number
    multiDelivery: number
    syncs: number
    steps: number
    violations: number
  }
  violations: Violation[]
  /** The year's incidents, for the chart: policy changes, outages, the killed worker. */
  incidents: { date: string; what: string }[]
  days: DayFigures[]
  runSeconds: number
  /** Where it ran: the run time depends on it (and on what else the machine was doing). */
  machine: { cpus: number; cpu: string; node: string; loadAverageAtStart: number; loadAverageAtEnd: number }
  /** Wall-clock seconds per part of an instant, for tuning the harness. */
  timings: Record<string, number>
  stoppedAt: string | null
}

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000
const MINUTE_MS = 60_000
/** RETENTION_SWEEP_CRON (every 5 minutes by default): the sweeper queues due contacts at these ticks. */
const SWEEP_TICK_MS = 5 * MINUTE_MS

/** Runs the shop's year against the service and checks it day by day; stops at the first violation. */
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const started = performance.now()
  const loadAtStart = loadavg()[0] as number
  const [y, m, d] = (options.start ?? '2027-11-01').split('-').map(Number) as [number, number, number]
  const start = new Date(startOfLocalDay(BERLIN, { year: y, month: m, day: d }))
  const year = planShopYear({ seed: options.seed, start, days: options.days, orders: options.orders })
  const clock = new SimClock(start)
  const teardowns = new Teardowns()
  try {
    const sut = await startServiceUnderTest(teardowns, clock, { seed: options.seed })
    const run = new YearRun(year, sut, clock, options.progress ?? (() => undefined))
    await run.play()
    return {
      options: { seed: options.seed, days: options.days, orders: options.orders, start: options.start ?? '2027-11-01' },
      figures: run.figures(),
      violations: run.oracle.violations,
      incidents: incidentsOf(year),
      days: run.days,
      runSeconds: Math.round((performance.now() - started) / 100) / 10,
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverageAtStart: round1(loadAtStart), loadAverageAtEnd: round1(loadavg()[0] as number) },
      timings: Object.fromEntries(Object.entries(run.timings).map(([part, ms]) => [part, Math.round(ms / 100) / 10])),
      stoppedAt: run.oracle.violations.length > 0 ? shopTime(run.oracle.violations[0]?.at ?? 0) : null
    }
  } finally {
    await teardowns.run()
  }
}

/** A contact's retention columns as the service keeps them, read to describe its side of a violation. */
interface PartnerRetentionRow {
  retention_due_at: Date | null
  redaction_fields: string[] | null
  redacted_at: Date | null
  redaction_failure: unknown
  backlog_since: Date | null
  backlog_approved_at: Date | null
}

interface RequestRun {
  plan: PlannedRequest
  customer: Customer
  id?: string
  stage: 'new' | 'awaiting_code' | 'verified' | 'closed'
  codeSentAt?: number
}

class YearRun {
  readonly oracle: Oracle
  readonly days: DayFigures[] = []
  readonly #year: ShopYear
  readonly #sut: ServiceUnderTest
  readonly #clock: SimClock
  readonly #progress: (line: string) => void
  readonly #agenda = new Agenda()
  readonly #shop: ShopOdoo
  readonly #orders = new Map<number, CreatedOrder>()
  readonly #channelOf = new Map<number, SimChannel>()
  readonly #lastOrderOf = new Map<number, number>()
  readonly #requests: RequestRun[] = []
  readonly #holds: { id: string; facts: ReturnType<Oracle['holdPlaced']> }[] = []
  #odooChanged = false
  /** Someone acted through the API or wrote to the privacy address: mail may be queued. */
  #mailMayWait = false
  #callsSeen = 0
  #syncs = 0
  #steps = 0
  #retryUntil = 0
  #stopped = false
  #auditCursor = 0
  readonly #count = { orders: 0, redactions: 0, erasures: 0, extended: 0, holds: 0, edits: 0, returns: 0, cancelled: 0, multiDelivery: 0, kills: 0, policyChanges: 0 }
  readonly #today = { orders: 0, redacted: 0, erased: 0 }
  readonly #dueByDay = new Map<string, number>()
  readonly #policyVersions = new Map<string, { clockEvent: string; periodDays: number }>()
  /** Instants the worker is woken at besides the shop's own steps: due times, the oracle's and the service's. */
  readonly #wakeups = new Set<number>()

  constructor(year: ShopYear, sut: ServiceUnderTest, clock: SimClock, progress: (line: string) => void) {
    this.#year = year
    this.#sut = sut
    this.#clock = clock
    this.#progress = progress
    this.#shop = new ShopOdoo(sut.odoo.store)
    this.oracle = new Oracle(year.outages)
  }

  async play(): Promise<void> {
    this.#planYear()
    for (let at = this.#agenda.next; at !== undefined && at < this.#year.end && !this.#stopped; at = this.#agenda.next) {
      await this.#instant(at)
    }
  }

  // --- the year, put on the agenda ---

  #planYear(): void {
    const year = this.#year
    for (const order of year.orders) this.#agenda.at(order.importAt, 'shop', () => { this.#importOrder(order); })
    for (const change of year.policyChanges) this.#agenda.at(change.at, 'people', () => this.#changePolicy(change))
    for (const outage of year.outages) {
      this.#agenda.at(outage.from, 'shop', () => { this.#sut.odoo.faults.failNext({ status: 503, times: 1_000_000_000 }); })
      this.#agenda.at(outage.to, 'shop', () => {
        this.#sut.odoo.faults.clear()
        this.#retryUntil = Math.max(this.#retryUntil, outage.to + HOUR_MS)
      })
      // The scheduled sync and the worker's polling keep trying while Odoo does not answer.
      for (let at = outage.from + 10 * MINUTE_MS; at <= outage.to + 30 * MINUTE_MS; at += 10 * MINUTE_MS) this.#agenda.at(at, 'people', () => undefined)
    }
    this.#agenda.at(year.workerKillAfter, 'people', () => this.#killWorkerMidBatch())
    for (const edit of year.edits) this.#agenda.at(edit.at, 'shop', () => { this.#editContact(edit.customer); })
    for (const hold of year.holds) this.#agenda.at(hold.at, 'people', () => this.#timed('people.holds', () => this.#placeHold(hold)))
    for (const request of year.requests) this.#agenda.at(request.at, 'people', () => this.#timed('people.mail', () => this.#requestArrives(request)))
    const first = localDate(BERLIN, year.start)
    for (let i = 0; i < year.days; i++) {
      const date = addDays(first, i)
      for (const session of agentSessions(date)) this.#agenda.at(session, 'people', () => this.#timed('people.agents', () => this.#agentSession()))
      this.#agenda.at(Date.UTC(date.year, date.month - 1, date.day, 1, 40), 'people', () => this.#timed('people.nightly', () => this.#nightlyJobs(i % 7 === 6)))
      this.#agenda.at(endOfDay(date) - MINUTE_MS, 'check', () => this.#endOfDay(date))
    }
  }

  /** One simulated instant: the shop acts in Odoo, the service syncs, people call the API, the workers work, the oracle checks. */
  readonly timings: Record<string, number> = {}

  async #timed<T>(label: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now()
    try {
      return await work()
    } finally {
      this.timings[label] = (this.timings[label] ?? 0) + performance.now() - started
    }
  }

  async #instant(at: number): Promise<void> {
    await this.#timed('clock', () => this.#clock.advanceTo(at))
    this.#steps++
    await this.#timed('shop', () => this.#runPhase(at, 'shop'))
    if (this.#odooChanged || at <= this.#retryUntil) await this.#timed('sync', () => this.#sync(at))
    await this.#timed('people', () => this.#runPhase(at, 'people'))
    await this.#timed('work', () => this.#work())
    await this.#timed('observe', () => this.#observeRedactions(at))
    this.#wakeForDueContacts()
    await this.#timed('check', () => this.#runPhase(at, 'check'))
    if (this.oracle.violations.length > 0) this.#stopped = true
  }

  async #runPhase(at: number, phase: Phase): Promise<void> {
    const order: Phase[] = ['shop', 'people', 'check']
    for (;;) {
      const next = this.#agenda.next
      if (next !== at) return
      const entry = this.#agenda.take(at) as { phase: number; run: () => Promise<void> | void }
      if (entry.phase > order.indexOf(phase)) {
        // Belongs to a later phase: put it back (same instant) and stop this phase.
        this.#agenda.at(at, order[entry.phase] as Phase, entry.run)
        return
      }
      await entry.run()
    }
  }

  /**
   * In production the sweeper (RETENTION_SWEEP_CRON, every 5 minutes) queues redaction jobs for the
   * contacts due by then, and a worker starts them within its 2-s polling; here the harness is woken
   * at the first 5-minute tick at or after each instant a contact falls due by the oracle's reckoning.
   */
  #wake(at: number): void {
    if (at <= this.#clock.ms || at >= this.#year.end || this.#wakeups.has(at)) return
    this.#wakeups.add(at)
    this.#agenda.at(at, 'people', () => undefined)
  }

  #wakeForDueContacts(): void {
    for (const id of this.oracle.takeChanged()) {
      const due = this.oracle.due(id, Infinity).dueAt
      if (due !== null) this.#wake(Math.ceil(due / SWEEP_TICK_MS) * SWEEP_TICK_MS)
    }
  }

  /** The mirror learns of Odoo's changes at once, as Odoo's webhook (17+) has it sync them within seconds. */
  async #sync(at: number): Promise<void> {
    this.#odooChanged = false
    this.#syncs++
    const run = await this.#sut.parts.runSync({ trigger: 'schedule', requestedBy: 'system' })
    if (run?.state !== 'succeeded') {
      this.#retryUntil = Math.max(this.#retryUntil, at + HOUR_MS)
      this.#agenda.at(at + 10 * MINUTE_MS, 'people', () => undefined)
    }
  }

  /** The workers: the sweeper (RETENTION_SWEEP_CRON), then every queue with work ready at this simulated time. */
  async #work(): Promise<void> {
    const sweep = this.#sut.definitions.find((d) => d.queue === 'retention-sweep')
    await this.#timed('work.sweep', async () => sweep?.handle([]))
    const redaction = await this.#timed('work.redact', () => this.#sut.work(REDACT_QUEUE))
    if (this.#mailMayWait) {
      this.#mailMayWait = false
      await this.#timed('work.mail', () => this.#sut.work('mail-send'))
    }
    // A failed batch is retried by pg-boss after its backoff: the worker keeps polling.
    if (redaction.failed > 0) {
      this.#retryUntil = Math.max(this.#retryUntil, this.#clock.ms + HOUR_MS)
      this.#agenda.at(this.#clock.ms + 10 * MINUTE_MS, 'people', () => undefined)
    }
  }

  async #nightlyJobs(weekly: boolean): Promise<void> {
    // The shop deletes nothing in Odoo, so the reconciliation (daily in production) has nothing to
    // find; it runs once a week, its full scan of the mirror's ids being a night's most work.
    if (weekly) {
      await this.#sut.jobs.send(RECONCILE_QUEUE, { v: 1 })
      await this.#sut.work(RECONCILE_QUEUE)
    }
    for (const queue of ['rights-destroy-expired-exports', 'rights-purge-closed-records', 'mail-sweep']) {
      await this.#sut.definitions.find((d) => d.queue === queue)?.handle([])
    }
  }

  // --- the shop, in Odoo ---

  #importOrder(order: PlannedOrder): void {
    const customer = this.#year.customers[order.customer] as Customer
    const at = this.#clock.ms
    const before = this.#shop.contacts.get(customer.key)
    const { contacts, refilled } = this.#shop.contactsFor(customer)
    if (!before) for (const id of [contacts.main, ...contacts.delivery, ...(contacts.invoice ? [contacts.invoice] : [])]) this.oracle.contactGotPii(id, at, this.#shop.email(id))
    for (const id of refilled) this.oracle.contactGotPii(id, at, this.#shop.email(id))
    const created = this.#shop.createOrder(order, customer, new Date(at))
    this.#orders.set(order.n, created)
    for (const id of created.partnerIds) {
      this.#channelOf.set(id, order.channel)
      this.#lastOrderOf.set(id, created.id)
    }
    const facts: OrderFacts = { id: created.id, channel: order.channel, orderedAt: Math.floor(at / 1000) * 1000, partners: created.partnerIds, deliveries: new Map(), quotation: order.draft !== undefined, cancelledAt: null }
    this.oracle.orderCreated(facts)
    if (!order.draft) this.oracle.deliveriesCreated(created.id, created.pickings, at)
    this.#odooChanged = true
    this.#count.orders++
    this.#today.orders++
    if (order.deliveries.length > 1) this.#count.multiDelivery++

    if (order.draft?.cancelAt !== undefined) this.#agenda.at(order.draft.cancelAt, 'shop', () => { this.#cancel(created); })
    const confirmAt = order.draft?.confirmAt
    if (order.draft && confirmAt === undefined) return
    if (confirmAt !== undefined) {
      this.#agenda.at(confirmAt, 'shop', () => {
        this.#shop.confirm(created, order.deliveries.length)
        this.oracle.deliveriesCreated(created.id, created.pickings, this.#clock.ms)
        this.#odooChanged = true
      })
    }
    order.deliveries.forEach((doneAt, i) => { this.#agenda.at(Math.max(doneAt, confirmAt ?? at), 'shop', () => { this.#deliver(created, i); }); })
    if (order.cancelAt !== undefined) this.#agenda.at(order.cancelAt, 'shop', () => { this.#cancel(created); })
    if (order.returned) {
      const returned = order.returned
      this.#agenda.at(returned.createdAt, 'shop', () => {
        const pickingId = this.#shop.createReturn(created)
        this.#count.returns++
        this.#odooChanged = true
        this.#agenda.at(returned.doneAt, 'shop', () => {
          this.#shop.validate(pickingId, new Date(this.#clock.ms))
          this.#odooChanged = true
        })
      })
    }
  }

  #deliver(order: CreatedOrder, index: number): void {
    const pickingId = order.pickings[index]
    if (pickingId === undefined || this.#shop.pickingState(pickingId).state !== 'assigned') return
    const at = this.#clock.ms
    this.#shop.validate(pickingId, new Date(at))
    this.oracle.delivered(order.id, pickingId, Math.floor(at / 1000) * 1000)
    this.#odooChanged = true
  }

  #cancel(order: CreatedOrder): void {
    const at = this.#clock.ms
    this.#shop.cancel(order)
    this.oracle.orderCancelled(order.id, at)
    this.#count.cancelled++
    this.#odooChanged = true
  }

  #editContact(customerKey: number): void {
    const contacts = this.#shop.contacts.get(customerKey)
    if (contacts && this.#shop.editContact(contacts.main, this.#count.edits)) {
      this.#count.edits++
      this.#odooChanged = true
    }
  }

  // --- people: the admin, the agents, the requesters ---

  async #api(options: InjectOptions & { as: keyof ServiceUnderTest['auth'] }): Promise<{ status: number; body: Record<string, unknown> }> {
    const { as, ...request } = options
    if (request.method !== 'GET') this.#mailMayWait = true
    const response = await this.#sut.app.inject({ ...request, headers: { ...this.#sut.auth[as], ...(request.headers ?? {}) } })
    const body = response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {}
    if (response.statusCode === 503 && body.type === 'urn:problem:odoo-unavailable') throw new OdooUnavailable()
    return { status: response.statusCode, body }
  }

  async #changePolicy(change: ShopYear['policyChanges'][number]): Promise<void> {
    const response = await this.#api({ as: 'admin', method: 'PUT', url: `/v1/retention/policies/${change.channel}`, payload: { clockEvent: change.clockEvent, periodDays: change.periodDays, fields: ['name', 'street', 'street2', 'zip', 'city', 'email', 'phone', 'mobile'] } })
    if (response.status !== 200) throw new Error(`policy change refused: ${response.status} ${JSON.stringify(response.body)}`)
    this.#count.policyChanges++
    this.oracle.policyChanged(change.channel, { clockEvent: change.clockEvent, periodDays: change.periodDays }, this.#clock.ms, Number(response.body.version))
    // A shortened policy makes contacts due at once; the admin reviews the backlog and approves it.
    const backlog = await this.#api({ as: 'admin', method: 'GET', url: '/v1/retention/backlog' })
    if (((backlog.body.channels as unknown[] | undefined) ?? []).length > 0) await this.#api({ as: 'admin', method: 'POST', url: '/v1/retention/backlog/approve', payload: {} })
  }

  /** The admin holds something of a contact due within the next weeks: a dispute on an order, a chargeback on a contact, a tax audit on an e-mail. */
  async #placeHold(hold: ShopYear['holds'][number]): Promise<void> {
    const now = this.#clock.ms
    const candidates = [...this.oracle.piiSince.keys()].filter((id) => {
      const due = this.oracle.due(id, now + 20 * DAY_MS).dueAt
      return due !== null && due > now + DAY_MS && due < now + 20 * DAY_MS && this.#orderNaming(id) !== undefined
    })
    if (candidates.length === 0) return
    const partnerId = candidates[this.#count.holds % candidates.length] as number
    const orderId = this.#orderNaming(partnerId) as number
    const email = this.#shop.email(partnerId)
    const subject = hold.kind === 'order' ? { subjectType: 'order', orderId } : hold.kind === 'email' && email ? { subjectType: 'email', email } : { subjectType: 'partner', partnerId }
    const endsAt = hold.release.by === 'end' ? new Date(hold.release.at).toISOString() : undefined
    const response = await this.#api({ as: 'admin', method: 'POST', url: '/v1/holds', payload: { ...subject, reason: `${hold.kind} hold: dispute under review`, ...(endsAt ? { endsAt } : {}) } })
    if (response.status !== 201) throw new Error(`hold refused: ${response.status} ${JSON.stringify(response.body)}`)
    const kind = subject.subjectType as 'order' | 'partner' | 'email'
    const facts = this.oracle.holdPlaced(kind, kind === 'order' ? orderId : kind === 'email' ? (email as string) : partnerId, now)
    const id = String(response.body.id)
    this.#holds.push({ id, facts })
    this.#count.holds++
    if (hold.release.by === 'admin') {
      this.#agenda.at(hold.release.at, 'people', async () => {
        await this.#api({ as: 'admin', method: 'DELETE', url: `/v1/holds/${id}` })
        this.oracle.holdEnded(facts, this.#clock.ms)
      })
    } else {
      this.#agenda.at(hold.release.at, 'people', () => { this.oracle.holdEnded(facts, this.#clock.ms); })
    }
  }

  #orderNaming(partnerId: number): number | undefined {
    return this.#lastOrderOf.get(partnerId)
  }

  /** A request reaches the shop: by e-mail (the intake opens it), or by phone (an agent records it at the next session). */
  async #requestArrives(plan: PlannedRequest): Promise<void> {
    const customer = this.#year.customers[plan.customer] as Customer
    const run: RequestRun = { plan, customer, stage: 'new' }
    this.#requests.push(run)
    if (plan.via === 'email') {
      const messageId = `<sim-${plan.key}-${randomUUID()}@mail.example>`
      const { payload, headers } = this.#sut.signed(requestMail(customer, plan.type, messageId, new Date(plan.at)))
      const response = await this.#sut.app.inject({ method: 'POST', url: '/v1/intake/forwardemail', payload, headers })
      this.#mailMayWait = true
      if (response.statusCode !== 200) throw new Error(`intake refused a request mail: ${response.statusCode} ${response.body}`)
      run.id = await this.#requestOpenedBy(messageId)
    }
  }

  async #requestOpenedBy(messageId: string): Promise<string> {
    const { messageKey } = await import('../src/intake/intake-service.ts')
    const row = await this.#sut.pool.query<{ request_id: string }>('SELECT request_id FROM inbound_messages WHERE message_key = $1', [messageKey(this.#sut.parts.cipher, messageId)])
    const id = row.rows[0]?.request_id
    if (!id) throw new Error('the intake opened no request for a request mail')
    return id
  }

  /** An agent works through the open requests whose turn has come. */
  async #agentSession(): Promise<void> {
    const now = this.#clock.ms
    for (const run of this.#requests) {
      if (run.stage === 'closed' || !this.#agentsTurn(run, now)) continue
      try {
        await this.#advance(run, now)
      } catch (error) {
        // Odoo does not answer: the agent tries again at the next session.
        if (!(error instanceof OdooUnavailable)) throw error
      }
    }
  }

  #agentsTurn(run: RequestRun, now: number): boolean {
    if (run.stage === 'new') return now >= addBusinessDays(run.plan.at, run.plan.agentDelay)
    if (run.stage === 'awaiting_code') return run.plan.outcome === 'denied' && now >= (run.codeSentAt as number) + 7 * DAY_MS
    return true
  }

  async #advance(run: RequestRun, now: number): Promise<void> {
    const { plan } = run
    if (run.stage === 'new') {
      if (!run.id) {
        const created = await this.#api({ as: 'agent', method: 'POST', url: '/v1/requests', payload: { type: plan.type, email: run.customer.email, name: run.customer.name, language: plan.language, jurisdiction: plan.jurisdiction, receivedAt: new Date(plan.at).toISOString() } })
        if (created.status !== 201) throw new Error(`request refused: ${created.status} ${JSON.stringify(created.body)}`)
        run.id = String(created.body.id)
      }
      let view = (await this.#api({ as: 'agent', method: 'GET', url: `/v1/requests/${run.id}` })).body
      if (view.type !== plan.type) view = (await this.#api({ as: 'agent', method: 'PATCH', url: `/v1/requests/${run.id}`, payload: { type: plan.type } })).body
      this.oracle.requestReceived({ key: plan.key, id: run.id, type: plan.type, jurisdiction: plan.jurisdiction, receivedAt: Date.parse(String(view.receivedAt)), ...(plan.edge ? { edge: plan.edge } : {}) }, Date.parse(String(view.dueAt)), now)
      if (plan.extend) {
        const until = Date.parse(String(view.receivedAt)) + (plan.jurisdiction === 'ccpa' ? 80 : 55) * DAY_MS
        const extended = await this.#api({ as: 'agent', method: 'POST', url: `/v1/requests/${run.id}/extension`, payload: { until: new Date(until).toISOString(), reason: 'The request covers orders on several marketplaces whose records are being collected.' } })
        if (extended.status === 200) {
          this.#count.extended++
          this.oracle.requestExtended(run.id, until, Date.parse(String(extended.body.dueAt)), now)
        }
      }
      if (plan.outcome === 'withdrawn') { this.#close(run, await this.#api({ as: 'agent', method: 'POST', url: `/v1/requests/${run.id}/withdraw` })); return; }
      if (plan.type === 'ccpa_opt_out') { this.#close(run, await this.#api({ as: 'agent', method: 'POST', url: `/v1/requests/${run.id}/fulfilment`, payload: {} })); return; }
      const sent = await this.#api({ as: 'agent', method: 'POST', url: `/v1/requests/${run.id}/verification` })
      if (sent.status !== 200) {
        // Nobody to send a code to (the data is gone): the request is answered "we hold no data" after a manual check.
        await this.#api({ as: 'agent', method: 'POST', url: `/v1/requests/${run.id}/verification/manual`, payload: { evidence: 'Called back the number the requester gave; identity confirmed.' } })
        await this.#api({ as: 'agent2', method: 'POST', url: `/v1/requests/${run.id}/approval`, payload: { decision: 'approve' } })
        run.stage = 'verified'
        return
      }
      run.stage = 'awaiting_code'
      run.codeSentAt = now
      // The code is valid for RIGHTS_CODE_TTL_MINUTES (30): the requester answers within minutes.
      if (plan.outcome !== 'denied') this.#agenda.at(now + (4 + (plan.key % 20)) * MINUTE_MS, 'people', () => this.#replyWithCode(run))
      return
    }
    if (run.stage === 'awaiting_code') {
      this.#close(run, await this.#api({ as: 'agent', method: 'POST', url: `/v1/requests/${run.id}/deny`, payload: { reason: 'identity_not_verified', detail: 'No answer to the verification code within a week.' } })); return;
    }
    if (run.stage === 'verified') {
      const view = (await this.#api({ as: 'agent', method: 'GET', url: `/v1/requests/${run.id}` })).body
      // An extended request is answered late, but within its new deadline.
      if (plan.extend && now < Date.parse(String(view.dueAt)) - 4 * DAY_MS) return
      await this.#fulfil(run)
    }
  }

  async #replyWithCode(run: RequestRun): Promise<void> {
    const mail = [...this.#sut.smtp.received].reverse().find((m) => m.to.includes(run.customer.email) && m.raw.includes(run.id as string) && /\b\d{6}\b/.test(decodeQuotedPrintable(m.raw)))
    if (!mail) return
    const code = (/\b(\d{6})\b/.exec(decodeQuotedPrintable(mail.raw).split(/\r?\n\r?\n/).slice(1).join('\n')) ?? [])[1]
    const inReplyTo = /^Message-ID:\s*(<[^>]+>)/im.exec(mail.raw)?.[1]
    if (!code) return
    const messageId = `<sim-reply-${run.plan.key}-${randomUUID()}@mail.example>`
    const { payload, headers } = this.#sut.signed(codeReply(run.customer, run.id as string, code, messageId, inReplyTo, new Date(this.#clock.ms)))
    await this.#sut.app.inject({ method: 'POST', url: '/v1/intake/forwardemail', payload, headers })
    this.#mailMayWait = true
    const view = (await this.#api({ as: 'agent', method: 'GET', url: `/v1/requests/${run.id}` })).body
    if (view.state === 'verified') run.stage = 'verified'
  }

  async #fulfil(run: RequestRun): Promise<void> {
    const { plan } = run
    await this.#api({ as: 'agent', method: 'GET', url: `/v1/requests/${run.id}/subject` })
    const payload = plan.type === 'rectification' ? { changes: { street: 'Korrigierte Straße 1' } } : {}
    let done = await this.#api({ as: 'agent', method: 'POST', url: `/v1/requests/${run.id}/fulfilment`, payload })
    if (done.status === 202) {
      // RIGHTS_APPROVAL: an erasure takes effect once a second agent approves it.
      if (plan.type === 'erasure' || plan.type === 'ccpa_delete') this.oracle.erasureGranted(this.#contactsOf(run.customer), this.#clock.ms)
      done = await this.#api({ as: 'agent2', method: 'POST', url: `/v1/requests/${run.id}/approval`, payload: { decision: 'approve' } })
    }
    if (done.status !== 200) throw new Error(`fulfilment of ${run.id} (${plan.type}) refused: ${done.status} ${JSON.stringify(done.body)}`)
    if (plan.type === 'erasure' || plan.type === 'ccpa_delete') this.#count.erasures++
    if (['access', 'portability', 'ccpa_know'].includes(plan.type) && done.body.state === 'completed') await this.#api({ as: 'agent', method: 'GET', url: `/v1/requests/${run.id}/export` })
    this.#close(run, done)
  }

  #contactsOf(customer: Customer): number[] {
    const contacts = this.#shop.contacts.get(customer.key)
    return contacts ? [contacts.main, ...contacts.delivery, ...(contacts.invoice ? [contacts.invoice] : [])] : []
  }

  #close(run: RequestRun, response: { status: number; body: Record<string, unknown> }): void {
    if (response.status !== 200) throw new Error(`closing ${run.id} (${run.plan.type}, ${run.plan.outcome}) refused: ${response.status} ${JSON.stringify(response.body)}`)
    run.stage = 'closed'
    this.oracle.requestClosed(run.id as string, this.#clock.ms)
  }

  // --- incidents ---

  /**
   * A second worker takes the next redaction batch, Odoo accepts its write, and the process dies
   * before it verifies, cleans the chatter or records anything: its jobs stay active until their
   * heartbeat is missed and pg-boss's supervisor (a live worker's monitor pass) fails them into retry.
   */
  async #killWorkerMidBatch(): Promise<void> {
    const drainWith = (odoo: OdooGateway, claim: string) =>
      drainDueContacts({ ...this.#sut.partsWith(odoo), dryRun: false, batchSize: this.#sut.config.retention.batchSize, afterBatch: () => Promise.resolve() }, claim)
    const real = this.#sut.parts.odoo
    let died = false
    const dying: OdooGateway = {
      ...real,
      write: async (model, ids, values, options) => {
        await real.write(model, ids, values, options)
        if (model === 'res.partner') {
          died = true
          await new Promise(() => undefined)
        }
      }
    }
    const kill = async (): Promise<boolean> => {
      // A redaction job claims its first batch of due contacts, and its worker dies after Odoo's write.
      const [job] = await this.#sut.jobs.boss.fetch(REDACT_QUEUE, { batchSize: 1 })
      if (!job) return false
      void drainWith(dying, job.id).catch(() => undefined)
      for (let i = 0; i < 200 && !died; i++) await new Promise((resolve) => setTimeout(resolve, 5))
      return true
    }
    // The worker dies on the first batch due after this moment.
    const tryKill = async (): Promise<void> => {
      if (this.#count.kills > 0) return
      await this.#sut.definitions.find((d) => d.queue === 'retention-sweep')?.handle([])
      if (!(await kill())) {
        this.#agenda.at(this.#clock.ms + HOUR_MS, 'people', tryKill)
        return
      }
      this.#count.kills++
      await this.#observeRedactions(this.#clock.ms)
      // A live worker's monitor pass notices the missed heartbeat (20 s) within its 15 s interval.
      this.#agenda.at(this.#clock.ms + MINUTE_MS, 'people', async () => {
        await this.#sut.jobs.boss.supervise(REDACT_QUEUE)
      })
      this.#agenda.at(this.#clock.ms + 2 * MINUTE_MS, 'people', () => undefined)
    }
    await tryKill()
  }

  // --- the oracle's eyes ---

  /** Contacts Odoo was asked to write since the last look: is their data gone now? */
  async #observeRedactions(at: number): Promise<void> {
    const calls = this.#sut.odoo.calls
    const written = new Set<number>()
    for (; this.#callsSeen < calls.length; this.#callsSeen++) {
      const call = calls[this.#callsSeen]
      if (call && call.model === 'res.partner' && call.method === 'write') for (const id of call.ids ?? []) written.add(id)
      if (call && call.model === 'mail.tracking.value' && call.method === 'unlink') for (const id of this.#shop.tracked) if (this.oracle.piiSince.has(id)) written.add(id)
    }
    for (const id of written) {
      const pii = this.#shop.holdsPii(id)
      if (pii.fields) continue
      const wasHolding = this.oracle.piiSince.has(id)
      const due = this.oracle.due(id, at).dueAt
      await this.oracle.observeRedaction(id, at, !pii.chatter, () => this.#serviceSide(id))
      if (wasHolding && !pii.chatter && !this.oracle.piiSince.has(id)) {
        this.#count.redactions++
        this.#today.redacted++
        if (due !== null && due <= at) {
          const day = isoDate(localDate(BERLIN, due))
          this.#dueByDay.set(day, (this.#dueByDay.get(day) ?? 0) + 1)
        } else this.#today.erased++
      }
    }
  }

  async #serviceSide(partnerId: number): Promise<string> {
    const partner = await this.#sut.pool.query<PartnerRetentionRow>(
      `SELECT retention_due_at, redaction_fields, redacted_at, redaction_failure, backlog_since, backlog_approved_at FROM mirror_partners WHERE odoo_id = $1`,
      [partnerId]
    )
    const orders = await this.#sut.pool.query(
      `SELECT odoo_id, channel, state, order_date, shipped_at, cancelled_at, retention_due_at, retention_basis FROM mirror_orders
        WHERE $1 IN (partner_id, partner_invoice_id, partner_shipping_id) ORDER BY odoo_id`,
      [partnerId]
    )
    return JSON.stringify({ contact: partner.rows[0] ?? null, orders: orders.rows })
  }

  async #requestSide(id: string): Promise<string> {
    const view = await this.#api({ as: 'auditor', method: 'GET', url: `/v1/requests/${id}` })
    const { state, type, jurisdiction, receivedAt, dueAt, extension, completedAt } = view.body
    return JSON.stringify({ state, type, jurisdiction, receivedAt, dueAt, extension, completedAt })
  }

  async #endOfDay(date: LocalDate): Promise<void> {
    const now = this.#clock.ms
    await this.oracle.checkRetention(now, (id) => this.#serviceSide(id))
    await this.oracle.checkRequests(now, (id) => this.#requestSide(id))
    await this.#explainRedactions(now)
    const pii = Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<SimChannel, number>
    for (const id of this.oracle.piiSince.keys()) pii[this.#channelOf.get(id) ?? 'other']++
    const open = [...this.oracle.requests.values()].filter((r) => r.closedAt === null)
    const tightest = open.length === 0 ? null : Math.min(...open.map((r) => (r.deadline - now) / DAY_MS))
    const day = isoDate(date)
    this.days.push({ date: day, orders: this.#today.orders, piiContacts: pii, due: 0, redacted: this.#today.redacted, erased: this.#today.erased, openRequests: open.length + this.#requests.filter((r) => r.stage !== 'closed' && (!r.id || !this.oracle.requests.has(r.id))).length, tightestDeadlineDays: tightest === null ? null : Math.round(tightest * 10) / 10 })
    for (const figures of this.days) figures.due = this.#dueByDay.get(figures.date) ?? 0
    this.#today.orders = 0
    this.#today.redacted = 0
    this.#today.erased = 0
    if (this.days.length % 7 === 0) this.#progress(`${day}: ${this.#count.orders} orders, ${this.oracle.piiSince.size} contacts holding data, ${this.#count.redactions} redacted, ${this.#requests.length} requests, ${this.#syncs} syncs${process.env.SIM_PROFILE ? ` ${JSON.stringify(Object.fromEntries(Object.entries(this.timings).map(([k, v]) => [k, Math.round(v / 1000)])))}` : ''}`)
  }

  /**
   * Every redaction must be explained by the audit trail alone: the policy version and clock event
   * that made the contact due, the event's date and the due date (consistent with that version's
   * period), or the erasure request that granted it.
   */
  async #explainRedactions(now: number): Promise<void> {
    for (;;) {
      const page = await this.#api({ as: 'auditor', method: 'GET', url: `/v1/audit?after=${this.#auditCursor}&limit=500` })
      const items = (page.body.items as Record<string, unknown>[] | undefined) ?? []
      for (const entry of items) {
        this.#auditCursor = Math.max(this.#auditCursor, Number(entry.id))
        const details = (entry.details ?? {}) as Record<string, unknown>
        if (entry.action === 'retention.policy_changed') this.#policyVersions.set(`${String((entry.subject as { id: string } | undefined)?.id ?? entry.subjectId)}:${String(details.version)}`, { clockEvent: String(details.clockEvent), periodDays: Number(details.periodDays) })
        if (entry.action === 'partner.redacted') this.#explain(entry, details, now)
      }
      if (items.length < 500) return
    }
  }

  #explain(entry: Record<string, unknown>, details: Record<string, unknown>, now: number): void {
    const subject = `audit entry ${String(entry.id)}: partner.redacted of contact ${String((entry.subject as { id?: unknown } | undefined)?.id ?? entry.subjectId)}`
    const at = Date.parse(String(entry.at))
    if (typeof details.requestId === 'string') return
    const basis = details.basis as { channel?: string; policyVersion?: number; startedBy?: string; eventAt?: string; dueAt?: string } | undefined
    if (!basis || basis.policyVersion === undefined || !basis.startedBy || !basis.eventAt || !basis.dueAt || !basis.channel) {
      this.oracle.unexplained(now, subject, 'a redaction must name the policy version, the clock event, its date and the due date (or the erasure request that granted it)', JSON.stringify(details)); return;
    }
    const rule = basis.policyVersion === 0 ? defaultRule(basis.channel) : this.#policyVersions.get(`${basis.channel}:${basis.policyVersion}`)
    if (!rule) { this.oracle.unexplained(now, subject, `the trail holds no version ${basis.policyVersion} of the ${basis.channel} policy`, JSON.stringify(details)); return; }
    const expected = Date.parse(basis.eventAt) + rule.periodDays * DAY_MS
    if (Date.parse(basis.dueAt) !== expected) { this.oracle.unexplained(now, subject, `${basis.startedBy} ${basis.eventAt} + ${rule.periodDays} days (version ${basis.policyVersion}) is ${new Date(expected).toISOString()}`, JSON.stringify(details)); return; }
    if (basis.startedBy !== rule.clockEvent && basis.startedBy !== 'cancelled') { this.oracle.unexplained(now, subject, `version ${basis.policyVersion} of ${basis.channel} counts from ${rule.clockEvent}`, JSON.stringify(details)); return; }
    if (Date.parse(basis.dueAt) > at) { this.oracle.unexplained(now, subject, `redacted ${String(entry.at)}, before the due date it names`, JSON.stringify(details)); return; }
  }

  figures(): SimulationResult['figures'] {
    const planned = this.#requests
    const countBy = (key: (r: RequestRun) => string) => planned.reduce<Record<string, number>>((acc, r) => ({ ...acc, [key(r)]: (acc[key(r)] ?? 0) + 1 }), {})
    return {
      orders: this.#count.orders,
      customers: this.#shop.contacts.size,
      contacts: this.oracle.piiSince.size + this.oracle.redactedAt.size,
      redactions: this.#count.redactions,
      erasures: this.#count.erasures,
      requests: planned.length,
      requestsByType: countBy((r) => r.plan.type),
      requestsByOutcome: countBy((r) => (r.stage === 'closed' ? r.plan.outcome : 'open')),
      requestsByLanguage: countBy((r) => r.plan.language),
      requestsByChannel: countBy((r) => r.plan.via),
      extended: this.#count.extended,
      holds: this.#count.holds,
      policyChanges: this.#count.policyChanges,
      outages: this.#year.outages.filter((o) => o.from < this.#clock.ms).length,
      workerKills: this.#count.kills,
      contactEdits: this.#count.edits,
      returns: this.#count.returns,
      cancelled: this.#count.cancelled,
      multiDelivery: this.#count.multiDelivery,
      syncs: this.#syncs,
      steps: this.#steps,
      violations: this.oracle.violations.length
    }
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10
}

export function incidentsOf(year: ShopYear): SimulationResult['incidents'] {
  const date = (at: number) => isoDate(localDate(BERLIN, at))
  return [
    ...year.policyChanges.map((change) => ({ date: date(change.at), what: `${change.channel}: ${change.clockEvent} + ${change.periodDays} d` })),
    ...year.outages.map((outage) => ({ date: date(outage.from), what: `Odoo down ${Math.round((outage.to - outage.from) / 60_000)} min` })),
    { date: date(year.workerKillAfter), what: 'worker killed' }
  ].sort((a, b) => a.date.localeCompare(b.date))
}

class OdooUnavailable extends Error {
  override name = 'OdooUnavailable'
}

/** The documented default rule of a channel (policy version 0), as the oracle reads it. */
function defaultRule(channel: string): Rule | undefined {
  return Object.hasOwn(DEFAULT_RULES, channel) ? DEFAULT_RULES[channel as SimChannel] : undefined
}

function endOfDay(date: LocalDate): number {
  return startOfLocalDay(BERLIN, addDays(date, 1))
}

function addBusinessDays(at: number, days: number): number {
  let date = localDate(BERLIN, at)
  for (let counted = 0; counted < days; ) {
    date = addDays(date, 1)
    if (isWeekday(date)) counted++
  }
  return days === 0 ? at : startOfLocalDay(BERLIN, date)
}

function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}
