import type { Clock } from '../clock.ts'
import type { Pool, PoolClient } from '../db/database.ts'
import { inTransaction } from '../db/database.ts'
import type { PiiCipher } from '../crypto/pii-cipher.ts'
import type { Logger } from '../log/logger.ts'
import type { OdooGateway } from '../odoo/gateway.ts'
import type { OdooRecord } from '../odoo/odoo-types.ts'
import { nextSecond } from '../odoo/write-date-walk.ts'
import type { OdooCursor } from '../odoo/write-date-walk.ts'
import type { ChannelClassifier } from './channels.ts'
import { knownOrderIds, knownPartnerIds, markOrderDeleted, readCursor, refreshShipment, upsertOrders, upsertPartners, upsertPickings, writeCursor } from './mirror-store.ts'
import type { SyncedModel } from './mirror-store.ts'
import { many2oneId, ORDER_FIELDS, OUTGOING_PICKINGS_DOMAIN, PARTNER_FIELDS, PICKING_FIELDS, toOrderRow, toPartnerRow, toPickingRow } from './odoo-records.ts'
import type { OrderRow, PartnerRow, PickingRow } from './odoo-records.ts'

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
  /** Called in the transaction that changed these orders (their dates, state or deliveries). */
  ordersChanged?: (db: PoolClient, orderIds: number[]) => Promise<void>
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
  const { pool, odoo, clock, log } = deps

  async function syncAll(onProgress?: SyncProgress): Promise<SyncCounts> {
    const counts: SyncCounts = { fetched: 0, inserted: 0, updated: 0, failed: 0 }
    const context = await readSyncContext()
    // Contacts and deliveries read along with new orders are current as of now: their own walks
    // only need to follow what changes from this point on.
    await startCursorAtLatest('res.partner', [])
    await startCursorAtLatest('stock.picking', OUTGOING_PICKINGS_DOMAIN)

    await walkPages('sale.order', { domain: [], fields: ORDER_FIELDS }, counts, onProgress, orderStage(context))
    await walkPages('stock.picking', { domain: OUTGOING_PICKINGS_DOMAIN, fields: PICKING_FIELDS }, counts, onProgress, pickingStage)
    await walkPages('res.partner', { domain: [['active', 'in', [true, false]]], fields: context.partnerFields }, counts, onProgress, partnerStage(context))
    return counts
  }

  async function syncRecord(model: SyncedModel, id: number): Promise<'mirrored' | 'deleted' | 'ignored'> {
    const context = await readSyncContext()
    const fields = model === 'sale.order' ? ORDER_FIELDS : model === 'stock.picking' ? PICKING_FIELDS : context.partnerFields
    const records = await odoo.read(model, [id], fields)
    if (records.length === 0) {
      if (model !== 'sale.order') return 'ignored'
      return (await markOrderDeleted(pool, id, clock.now())) ? 'deleted' : 'ignored'
    }
    const stage: PageStage<unknown> = model === 'sale.order' ? orderStage(context) : model === 'stock.picking' ? pickingStage : partnerStage(context)
    const prepared = await stage.prepare(records)
    const written = await inTransaction(pool, (db) => stage.write(prepared, db))
    return written.inserted + written.updated > 0 || model === 'sale.order' ? 'mirrored' : 'ignored'
  }

  async function mirrorContacts(ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return []
    const context = await readSyncContext()
    const records = await odoo.read('res.partner', ids, context.partnerFields, { context: { active_test: false } })
    await inTransaction(pool, (db) => upsertPartners(db, records.map(toPartnerRow), deps.cipher, context.companyPartnerIds, clock.now()))
    return records.map((r) => r.id)
  }

  /**
   * Walks one model from its stored cursor. While a page is written, the next one is fetched and
   * prepared (its Odoo reads), so Odoo's latency and the database's overlap instead of adding up.
   * Preparing ahead of the previous page's commit can only make a record look new twice, and
   * every write is an idempotent upsert.
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
    const fetchAndPrepare = async () => {
      const next = await pages.next()
      return next.done ? undefined : { page: next.value, prepared: await stage.prepare(next.value.records) }
    }
    // Awaited in turn below; until then a failure of the page ahead must not count as unhandled.
    const ahead = () => {
      const promise = fetchAndPrepare()
      promise.catch(() => undefined)
      return promise
    }
    let pending = ahead()
    try {
      for (;;) {
        const item = await pending
        if (!item) return
        pending = ahead()
        counts.fetched += item.page.records.length
        try {
          const written = await inTransaction(pool, async (db) => {
            const result = await stage.write(item.prepared, db)
            await writeCursor(db, model, item.page.cursor, clock.now())
            return result
          })
          counts.inserted += written.inserted
          counts.updated += written.updated
        } catch (error) {
          counts.failed += item.page.records.length
          await onProgress?.({ ...counts }, model)
          throw error
        }
        await onProgress?.({ ...counts }, model)
      }
    } finally {
      await pending.catch(() => undefined)
      await pages.return?.(undefined)
    }
  }

  /** Orders, with the contacts the mirror does not hold yet and the deliveries of new orders. */
  function orderStage(context: SyncContext): PageStage<{ rows: OrderRow[]; newOrderIds: number[]; partners: OdooRecord[]; pickings: OdooRecord[] }> {
    return {
      async prepare(records) {
        const rows = records.map((record) => toOrderRow(record, deps.classify, (tagId) => context.tagNames.get(tagId)))
        const known = await knownOrderIds(pool, rows.map((r) => r.odooId))
        const newOrderIds = rows.filter((r) => !known.has(r.odooId)).map((r) => r.odooId)
        const referenced = [...new Set(rows.flatMap((r) => [r.partnerId, r.partnerInvoiceId, r.partnerShippingId]).filter((id): id is number => id !== null))]
        const knownPartners = await knownPartnerIds(pool, referenced)
        const [partners, pickings] = await Promise.all([
          odoo.read('res.partner', referenced.filter((id) => !knownPartners.has(id)), context.partnerFields),
          newOrderIds.length === 0 ? [] : odoo.searchRead('stock.picking', [...OUTGOING_PICKINGS_DOMAIN, ['sale_id', 'in', newOrderIds]], { fields: PICKING_FIELDS })
        ])
        return { rows, newOrderIds, partners, pickings }
      },
      async write({ rows, newOrderIds, partners, pickings }, db) {
        const now = clock.now()
        await upsertPartners(db, partners.map(toPartnerRow), deps.cipher, context.companyPartnerIds, now)
        const { changedIds, ...counts } = await upsertOrders(db, rows, now)
        await upsertPickings(db, pickings.map(toPickingRow).filter((p) => p !== undefined), now)
        await refreshShipment(db, newOrderIds)
        await deps.ordersChanged?.(db, changedIds)
        return counts
      }
    }
  }

  /** Deliveries of mirrored orders; one of an order not mirrored yet arrives with that order's first sync. */
  const pickingStage: PageStage<PickingRow[]> = {
    prepare: async (records) => records.map(toPickingRow).filter((p) => p !== undefined),
    async write(rows, db) {
      const orders = await knownOrderIds(db, rows.map((r) => r.orderId))
      const changedOrders = await upsertPickings(db, rows.filter((r) => orders.has(r.orderId)), clock.now())
      await deps.ordersChanged?.(db, await refreshShipment(db, changedOrders))
      return { inserted: 0, updated: changedOrders.length }
    }
  }

  /** Edits of contacts the mirror holds; other contacts in Odoo are none of its business. */
  function partnerStage(context: SyncContext): PageStage<PartnerRow[]> {
    return {
      prepare: async (records) => records.map(toPartnerRow),
      async write(rows, db) {
        const known = await knownPartnerIds(db, rows.map((r) => r.odooId))
        return upsertPartners(db, rows.filter((r) => known.has(r.odooId)), deps.cipher, context.companyPartnerIds, clock.now())
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
}

interface SyncContext {
  partnerFields: string[]
  companyPartnerIds: Set<number>
  tagNames: Map<number, string>
}
