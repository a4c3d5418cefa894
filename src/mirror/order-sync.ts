import type { Clock } from '../clock.ts'
import type { Pool, PoolClient } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import type { AuditTrail } from '../audit/audit-trail.ts'
import type { Logger } from '../log/logger.ts'
import type { OdooGateway } from '../odoo/gateway.ts'
import type { OdooRecord } from '../odoo/odoo-types.ts'
import { nextSecond } from '../odoo/write-date-walk.ts'
import type { OdooCursor } from '../odoo/write-date-walk.ts'
import type { ChannelClassifier } from './channels.ts'
import type { FirstSightOrder, FirstSightPlan, OrderRetention, PartnerRetention } from '../retention/retention-planner.ts'
import { insertFirstSightOrders, knownOrderIds, markOrderDeleted, readCursor, refreshPlannerStatistics, refreshShipment, upsertOrders, upsertPickings, writeCursor } from './mirror-store.ts'
import { CONTACT_LOOKUP_STATISTICS, insertFirstSightPartners, knownPartnerIds, redactedPartnerIds, upsertPartners } from './partner-store.ts'
import type { SyncedModel } from './mirror-store.ts'
import { many2oneId, ORDER_FIELDS, OUTGOING_PICKINGS_DOMAIN, PARTNER_FIELDS, PICKING_FIELDS, toOrderRow, toPartnerRow, toPickingRow } from './odoo-records.ts'
import type { OrderRow, PickingRow } from './odoo-records.ts'
import { firstSightClock } from './order-clock.ts'
import { knownContactsAbove, knownContactsOfRun } from './known-contacts.ts'
import type { KnownContacts } from './known-contacts.ts'
import { sealPartner } from './sealed-partner.ts'
import { forgetDeletedContacts } from './reconcile.ts'
import type { SealedPartner } from './sealed-partner.ts'

export interface SyncCounts {
  fetched: number
  inserted: number
  updated: number
  failed: number
}

export interface OrderSyncDeps {
  pool: Pool
  odoo: OdooGateway
  cipher: PiiCipher
  classify: ChannelClassifier
  clock: Clock
  log: Logger
  pageSize: number
  retention: SyncRetention
  /** Records the contacts forgotten because Odoo deleted them. */
  audit: AuditTrail
}

/** What the sync asks of retention planning, always inside the transaction that writes the rows. */
export interface SyncRetention {
  planFirstSight(db: PoolClient, orders: readonly FirstSightOrder[]): Promise<FirstSightPlan>
  admitFirstSight(db: PoolClient, partners: ReadonlyMap<number, PartnerRetention>): Promise<void>
  /** These orders' dates, state or deliveries changed. */
  ordersChanged(db: PoolClient, orderIds: readonly number[]): Promise<void>
  /** These contacts' orders changed. */
  partnersChanged(db: PoolClient, partnerIds: readonly number[]): Promise<void>
  /** These contacts gained the orders just inserted, which alone give each the retention planned. */
  partnersGainedOrders(db: PoolClient, plans: ReadonlyMap<number, PartnerRetention>): Promise<void>
}

export type SyncProgress = (counts: SyncCounts, stage: SyncedModel) => void | Promise<void>

export interface OrderSync {
  /** One incremental pass over orders, then deliveries, then contacts, each from its stored cursor. */
  syncAll(onProgress?: SyncProgress): Promise<SyncCounts>
  /** Re-reads one record from Odoo (the webhook's trigger), never trusting values posted to us. */
  syncRecord(model: SyncedModel, id: number): Promise<'mirrored' | 'deleted' | 'ignored'>
  /** Reads these contacts from Odoo and mirrors them, known or not (a rights request found them). */
  mirrorContacts(ids: readonly number[]): Promise<number[]>
}

// Pages fetched and prepared while one is written: enough to keep Odoo, the service and the
// database busy at once, few enough that memory stays bounded by the page size.
const READ_AHEAD = 4

// Records inserted or updated (orders, with their contacts and deliveries alongside) before the
// planner statistics are first refreshed; then again each time that count grows eightfold. Once a
// table has statistics, PostgreSQL scales its row estimates by the table's current size, so lookups
// stay planned as lookups; each ANALYZE samples up to 30,000 rows of every table, not free.
const FIRST_ANALYZE = 2000
const ANALYZE_GROWTH = 8

const EPOCH: OdooCursor = { writeDateSecond: '1970-01-01 00:00:00', afterId: 0 }

// Odoo stamps write_date with its transaction's start time, so a record can land in a second
// after that second has passed, but not ten minutes after (Odoo's request and cron time limits
// are shorter). Older seconds, once read whole, are not read again.
const SETTLE_MS = 10 * 60_000

/**
 * Mirrors what retention and rights requests need: orders, their outgoing deliveries (which decide
 * when an order shipped) and their contacts (PII sealed). Each page is written in one transaction
 * together with the cursor that follows it, so a run that fails part-way resumes where it stopped
 * and memory stays bounded by the page size however many orders Odoo holds.
 */
export function createOrderSync(deps: OrderSyncDeps): OrderSync {
  const { pool, odoo, clock, log, retention } = deps
  const seal = (records: readonly OdooRecord[], context: SyncContext) => records.map((record) => sealPartner(toPartnerRow(record), deps.cipher, context.companyPartnerIds))

  async function syncAll(onProgress?: SyncProgress): Promise<SyncCounts> {
    const counts: SyncCounts = { fetched: 0, inserted: 0, updated: 0, failed: 0 }
    let analyzeAt = FIRST_ANALYZE
    const progress: SyncProgress = async (latest, stage) => {
      if (latest.inserted + latest.updated >= analyzeAt) {
        await refreshPlannerStatistics(pool, [CONTACT_LOOKUP_STATISTICS])
        analyzeAt *= ANALYZE_GROWTH
      }
      await onProgress?.(latest, stage)
    }
    const context = await readSyncContext()
    // Contacts and deliveries read along with new orders are current as of now: their own walks
    // only need to follow what changes from this point on.
    await startCursorAtLatest('res.partner', [])
    await startCursorAtLatest('stock.picking', OUTGOING_PICKINGS_DOMAIN)

    await walkPages('sale.order', { domain: [], fields: ORDER_FIELDS }, counts, progress, orderStage(context, await knownContactsOfRun(pool)))
    await walkPages('stock.picking', { domain: OUTGOING_PICKINGS_DOMAIN, fields: PICKING_FIELDS }, counts, progress, pickingStage)
    await walkPages('res.partner', { domain: [['active', 'in', [true, false]]], fields: context.partnerFields }, counts, progress, partnerStage(context))
    return counts
  }

  async function syncRecord(model: SyncedModel, id: number): Promise<'mirrored' | 'deleted' | 'ignored'> {
    const context = await readSyncContext()
    const fields = model === 'sale.order' ? ORDER_FIELDS : model === 'stock.picking' ? PICKING_FIELDS : context.partnerFields
    const records = await odoo.read(model, [id], fields)
    if (records.length === 0) {
      if (model === 'sale.order') return (await markOrderDeleted(pool, id, clock.now())) ? 'deleted' : 'ignored'
      if (model === 'res.partner') return (await forgetDeletedContacts(deps, [id])).length > 0 ? 'deleted' : 'ignored'
      return 'ignored'
    }
    // One record: its contacts are looked up, without reading first what the mirror holds.
    const stage: PageStage<unknown> = model === 'sale.order' ? orderStage(context, knownContactsAbove(Number.POSITIVE_INFINITY)) : model === 'stock.picking' ? pickingStage : partnerStage(context)
    const prepared = await stage.prepare(records)
    const written = await inTransaction(pool, (db) => stage.write(prepared, db))
    return written.inserted + written.updated > 0 || model === 'sale.order' ? 'mirrored' : 'ignored'
  }

  async function mirrorContacts(ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return []
    const context = await readSyncContext()
    const records = await odoo.read('res.partner', ids, context.partnerFields, { context: { active_test: false } })
    await inTransaction(pool, (db) => upsertPartners(db, seal(records, context), clock.now()))
    return records.map((r) => r.id)
  }

  /**
   * Walks one model from its stored cursor. Pages are written one at a time, in order, each with
   * the cursor that follows it; meanwhile the next pages are fetched and prepared (their Odoo reads
   * and sealing), so that Odoo's latency, the service's CPU and the database's overlap instead of
   * adding up. A page prepared before the previous one committed can only find a record new that is
   * not, and every write handles that.
   */
  async function walkPages<Prepared>(
    model: SyncedModel,
    query: { domain: readonly unknown[]; fields: readonly string[] },
    counts: SyncCounts,
    onProgress: SyncProgress | undefined,
    stage: PageStage<Prepared>
  ): Promise<void> {
    const after = (await readCursor(pool, model)) ?? EPOCH
    const pages = odoo.walk(model, { domain: query.domain, fields: query.fields, pageSize: deps.pageSize, after, settledBefore: settledBefore() })[Symbol.asyncIterator]()
    // An async generator queues calls to next(), so pages arrive in order and are prepared in order.
    const fetchAndPrepare = async (): Promise<PreparedPages<Prepared> | undefined> => {
      const next = await pages.next()
      return next.done ? undefined : { records: next.value.records.length, cursor: next.value.cursor, prepared: await stage.prepare(next.value.records) }
    }
    const ahead = () => {
      const entry: { promise: Promise<PreparedPages<Prepared> | undefined>; ready?: PreparedPages<Prepared> } = { promise: fetchAndPrepare() }
      // Awaited in turn below; until then a failure of a page ahead must not count as unhandled.
      entry.promise.then((item) => (entry.ready = item), () => undefined)
      return entry
    }
    const pending = Array.from({ length: READ_AHEAD }, ahead)
    try {
      for (;;) {
        let batch = await (pending.shift() as (typeof pending)[number]).promise
        if (!batch) return
        pending.push(ahead())
        // Pages prepared while the previous write ran join this one: when the database is the slower
        // side, one transaction and one set of round trips serve several pages.
        while (stage.merge && pending[0]?.ready) {
          const next = (pending.shift() as (typeof pending)[number]).ready as PreparedPages<Prepared>
          pending.push(ahead())
          batch = { records: batch.records + next.records, cursor: next.cursor, prepared: stage.merge(batch.prepared, next.prepared) }
        }
        const { records, cursor, prepared } = batch
        counts.fetched += records
        try {
          const written = await inTransaction(pool, async (db) => {
            // Without waiting for the flush to disk: a page lost to a crash takes its cursor with
            // it, and the next run reads it again from Odoo.
            await db.query('SET LOCAL synchronous_commit = off')
            const result = await stage.write(prepared, db)
            await writeCursor(db, model, cursor, clock.now())
            return result
          })
          counts.inserted += written.inserted
          counts.updated += written.updated
        } catch (error) {
          counts.failed += records
          await onProgress?.({ ...counts }, model)
          throw error
        } finally {
          stage.settled?.(prepared)
        }
        await onProgress?.({ ...counts }, model)
      }
    } finally {
      await Promise.allSettled(pending.map((entry) => entry.promise))
      await pages.return?.(undefined)
    }
  }

  /**
   * Orders, with the contacts the mirror does not hold yet and the deliveries of new orders. Orders
   * and contacts seen for the first time are written once, their retention planned beforehand; the
   * rest (edited orders, repeat customers, and rows another write got to first) are upserted and
   * planned afresh.
   */
  function orderStage(context: SyncContext, knownContacts: KnownContacts): PageStage<OrderPage> {
    // Contacts that a page read ahead claimed, until it commits: a later page naming them (a repeat
    // customer) neither reads them from Odoo again nor writes them as new.
    const claimedPartners = new Set<number>()
    return {
      async prepare(records) {
        const rows = records.map((record) => toOrderRow(record, deps.classify, (tagId) => context.tagNames.get(tagId)))
        const claimed = [...new Set(rows.flatMap(partnerIdsOf))].filter((id) => !claimedPartners.has(id))
        for (const id of claimed) claimedPartners.add(id)
        const [known, knownPartners] = await Promise.all([knownOrderIds(pool, rows.map((r) => r.odooId)), knownContacts.among(pool, claimed)])
        const newOrderIds = rows.filter((r) => !known.has(r.odooId)).map((r) => r.odooId)
        const [partners, pickings] = await Promise.all([
          odoo.read('res.partner', claimed.filter((id) => !knownPartners.has(id)), context.partnerFields),
          newOrderIds.length === 0 ? [] : odoo.searchRead('stock.picking', [...OUTGOING_PICKINGS_DOMAIN, ['sale_id', 'in', newOrderIds]], { fields: PICKING_FIELDS })
        ])
        return { rows, known, claimed, knownPartners: [...knownPartners], partners: seal(partners, context), pickings: pickings.map(toPickingRow).filter((p) => p !== undefined) }
      },
      async write(page, db) {
        const written = await writeOrderPage(page, db)
        // A failed page fails the walk, and the run with it: what it remembers is not used again.
        knownContacts.remember([...page.knownPartners, ...page.partners.map((p) => p.odooId)])
        return written
      },
      settled: (page) => {
        for (const id of page.claimed) claimedPartners.delete(id)
      },
      merge: (earlier, later) => ({
        rows: latestById([...earlier.rows, ...later.rows]),
        known: new Set([...earlier.known, ...later.known]),
        claimed: [...earlier.claimed, ...later.claimed],
        knownPartners: [...earlier.knownPartners, ...later.knownPartners],
        partners: latestById([...earlier.partners, ...later.partners]),
        pickings: latestById([...earlier.pickings, ...later.pickings])
      })
    }
  }

  async function writeOrderPage({ rows, known, partners, pickings }: OrderPage, db: PoolClient) {
    const now = clock.now()
    const deliveries = Map.groupBy(pickings, (p) => p.orderId)
    const firstSight = rows.filter((r) => !known.has(r.odooId)).map((row) => ({ ...row, clock: firstSightClock(row, deliveries.get(row.odooId) ?? []) }))
    const plan = await retention.planFirstSight(db, firstSight.map((row) => ({ odooId: row.odooId, channel: row.channel, partnerIds: partnerIdsOf(row), ...row.clock })))
    const insertedOrders = await insertFirstSightOrders(db, firstSight.map((row) => ({ ...row, retention: plan.orders.get(row.odooId) as OrderRetention })), now)

    // A new contact named only by orders just inserted is planned whole; any other goes the general
    // way (one named by an order edited since, whose later version names someone else, included).
    const namedElsewhere = new Set(rows.filter((r) => !insertedOrders.has(r.odooId)).flatMap(partnerIdsOf))
    const planned = partners.filter((p) => !namedElsewhere.has(p.odooId) && plan.partners.has(p.odooId)).map((p) => ({ ...p, retention: plan.partners.get(p.odooId) as PartnerRetention }))
    const insertedPartners = await insertFirstSightPartners(db, planned, now)
    await upsertPartners(db, partners.filter((p) => !insertedPartners.has(p.odooId)), now)

    const { changedIds, ...counts } = await upsertOrders(db, rows.filter((r) => !insertedOrders.has(r.odooId)), now)
    await upsertPickings(db, pickings, now)
    await refreshShipment(db, firstSight.filter((r) => !insertedOrders.has(r.odooId)).map((r) => r.odooId))
    await retention.ordersChanged(db, changedIds)
    const unplanned = [...new Set(firstSight.filter((r) => insertedOrders.has(r.odooId)).flatMap(partnerIdsOf))].filter((id) => !insertedPartners.has(id))
    await retention.partnersGainedOrders(db, new Map(unplanned.map((id) => [id, plan.partners.get(id) as PartnerRetention])))
    await retention.admitFirstSight(db, new Map([...insertedPartners].map((id) => [id, plan.partners.get(id) as PartnerRetention])))
    return { inserted: counts.inserted + insertedOrders.size, updated: counts.updated }
  }

  /** Deliveries of mirrored orders; one of an order not mirrored yet arrives with that order's first sync. */
  const pickingStage: PageStage<PickingRow[]> = {
    prepare: (records) => Promise.resolve(records.map(toPickingRow).filter((p) => p !== undefined)),
    merge: (earlier, later) => latestById([...earlier, ...later]),
    async write(rows, db) {
      const orders = await knownOrderIds(db, rows.map((r) => r.orderId))
      const changedOrders = await upsertPickings(db, rows.filter((r) => orders.has(r.orderId)), clock.now())
      await retention.ordersChanged(db, await refreshShipment(db, changedOrders))
      return { inserted: 0, updated: changedOrders.length }
    }
  }

  /** Edits of contacts the mirror holds; other contacts in Odoo are none of its business. */
  function partnerStage(context: SyncContext): PageStage<SealedPartner[]> {
    return {
      prepare: (records) => Promise.resolve(seal(records, context)),
      merge: (earlier, later) => latestById([...earlier, ...later]),
      async write(rows, db) {
        const known = await knownPartnerIds(db, rows.map((r) => r.odooId))
        const written = rows.filter((r) => known.has(r.odooId))
        const revived = await redactedPartnerIds(db, written.filter((r) => r.holdsPii).map((r) => r.odooId))
        const counts = await upsertPartners(db, written, clock.now())
        // Data written into a redacted contact again (a repeat order) is due when its orders say,
        // the new one included: its old due date has passed and would redact it at once.
        await retention.partnersChanged(db, revived)
        return counts
      }
    }
  }

  async function startCursorAtLatest(model: SyncedModel, domain: readonly unknown[]): Promise<void> {
    if (await readCursor(pool, model)) return
    const [latest] = await odoo.searchRead(model, [...domain], { fields: ['write_date'], order: 'write_date desc', limit: 1, context: { active_test: false } })
    const second = typeof latest?.write_date === 'string' ? latest.write_date : EPOCH.writeDateSecond
    // A settled latest second holds nothing the order walk will not read fresh: start after it.
    const start = second < settledBefore() ? nextSecond(second) : second
    await writeCursor(pool, model, { writeDateSecond: start, afterId: 0 }, clock.now())
  }

  function settledBefore(): string {
    return odooSecond(new Date(clock.now().getTime() - SETTLE_MS))
  }

  async function readSyncContext(): Promise<SyncContext> {
    const [partnerFields, companies, tags] = await Promise.all([
      odoo.availableFields('res.partner', PARTNER_FIELDS),
      odoo.searchRead('res.company', [], { fields: ['partner_id'] }),
      odoo.searchRead('crm.tag', [], { fields: ['name'] })
    ])
    log.debug({ partnerFields: partnerFields.length, companies: companies.length, tags: tags.length }, 'sync context read')
    return {
      partnerFields,
      companyPartnerIds: new Set(companies.map((c) => many2oneId(c.partner_id)).filter((id): id is number => id !== null)),
      tagNames: new Map(tags.map((t) => [t.id, String(t.name)]))
    }
  }

  return { syncAll, syncRecord, mirrorContacts }
}

function odooSecond(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ')
}

/** What a walk does with a page: read what else it needs (outside any transaction), then write it. */
interface PageStage<Prepared> {
  prepare(records: OdooRecord[]): Promise<Prepared>
  write(prepared: Prepared, db: PoolClient): Promise<{ inserted: number; updated: number }>
  /** After the page's transaction ended, committed or not. */
  settled?(prepared: Prepared): void
  /** Joins two pages, the later one read after the earlier, into one to write in one transaction. */
  merge?(earlier: Prepared, later: Prepared): Prepared
}

/** One or more pages read and prepared, with the cursor that follows the last of them. */
interface PreparedPages<Prepared> {
  records: number
  cursor: OdooCursor
  prepared: Prepared
}

/** A record read twice (edited while the walk ran) is written as last read. */
function latestById<T extends { odooId: number }>(rows: readonly T[]): T[] {
  return [...new Map(rows.map((row) => [row.odooId, row])).values()]
}

interface OrderPage {
  rows: OrderRow[]
  /** Orders the mirror held when the page was read. */
  known: Set<number>
  /** Contacts this page claimed from the pages read after it, until it commits. */
  claimed: number[]
  /** Of those, the ones the mirror held when the page was read. */
  knownPartners: number[]
  /** Contacts the mirror did not hold, sealed. */
  partners: SealedPartner[]
  /** Deliveries of the orders the mirror did not hold. */
  pickings: PickingRow[]
}

function partnerIdsOf(order: OrderRow): number[] {
  return [order.partnerId, order.partnerInvoiceId, order.partnerShippingId].filter((id): id is number => id !== null)
}

interface SyncContext {
  partnerFields: string[]
  companyPartnerIds: Set<number>
  tagNames: Map<number, string>
}
