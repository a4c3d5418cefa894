import t from 'tap'
import type { Test } from 'tap'
import type { OdooGateway } from '../src/odoo/gateway.ts'
import type { OdooCursor, WalkPage } from '../src/odoo/write-date-walk.ts'
import type { OdooSimulator } from './odoo-simulator/index.ts'
import { gateway, PROTOCOL_MATRIX, simulator } from './support/odoo-simulated.ts'

const PAGE_SIZE = 5
// More pages than any walk below needs: a walk that goes round in circles fails instead of hanging.
const MAX_PAGES = 40

/**
 * 30 orders stamped as Odoo stamps them, microseconds hidden behind whole-second values:
 * 12 orders in one second (more than a page) whose microseconds run against their ids, 5 in the next
 * second (exactly a page), then 13 spread one or two per second.
 */
function stampOrders(sim: OdooSimulator): number[] {
  const ids = sim.store
    .records('sale.order')
    .map((order) => order.id)
    .sort((a, b) => a - b)
  ids.forEach((id, index) => {
    if (index < 12) sim.store.touch('sale.order', id, `2026-01-10 08:00:00.${String(900_000 - index * 50_000).padStart(6, '0')}`)
    else if (index < 17) sim.store.touch('sale.order', id, `2026-01-10 08:00:01.${String(100_000 * (17 - index)).padStart(6, '0')}`)
    else sim.store.touch('sale.order', id, `2026-01-10 08:00:${String(2 + Math.floor((index - 17) / 2)).padStart(2, '0')}.${String(10 + index).padStart(6, '0')}`)
  })
  return ids
}

async function walkAll(odoo: OdooGateway, options: { after?: OdooCursor; onPage?: (page: WalkPage) => void } = {}): Promise<WalkPage[]> {
  const pages: WalkPage[] = []
  for await (const page of odoo.walk('sale.order', { fields: ['name'], pageSize: PAGE_SIZE, ...(options.after ? { after: options.after } : {}) })) {
    pages.push(page)
    options.onPage?.(page)
    if (pages.length > MAX_PAGES) throw new Error('the walk does not end')
  }
  return pages
}

const idsOf = (pages: WalkPage[]) => pages.flatMap((page) => page.records.map((record) => record.id))
const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b)

t.jobs = PROTOCOL_MATRIX.length

for (const { version, protocol } of PROTOCOL_MATRIX) {
  await t.test(`Odoo ${version} over ${protocol}`, async (t) => {
    async function setup(t: Test) {
      const sim = await simulator(t, { version, orders: 30 })
      return { sim, odoo: gateway(t, sim, protocol), ids: stampOrders(sim) }
    }

    await t.test('records sharing a write_date second are each delivered exactly once, in pages no larger than asked', async (t) => {
      const { odoo, ids } = await setup(t)
      const pages = await walkAll(odoo)
      t.same(sorted(idsOf(pages)), ids)
      t.equal(new Set(idsOf(pages)).size, idsOf(pages).length, 'no record twice')
      t.ok(pages.every((page) => page.records.length > 0 && page.records.length <= PAGE_SIZE))
    })

    await t.test('a second holding exactly a page is delivered as that page', async (t) => {
      const { odoo, ids } = await setup(t)
      const pages = await walkAll(odoo)
      t.ok(pages.some((page) => JSON.stringify(sorted(page.records.map((record) => record.id))) === JSON.stringify(ids.slice(12, 17))))
    })

    await t.test('a walk resumed from a stored cursor inside a crowded second loses nothing', async (t) => {
      const { odoo, ids } = await setup(t)
      const [first] = await walkAll(odoo).then((pages) => pages.slice(0, 1))
      if (!first) throw new Error('no first page')
      t.match(first.cursor, { writeDateSecond: '2026-01-10 08:00:00', afterId: Number })
      const stored = JSON.parse(JSON.stringify(first.cursor)) as OdooCursor
      const rest = await walkAll(odoo, { after: stored })
      t.same(sorted([...new Set([...idsOf([first]), ...idsOf(rest)])]), ids)
    })

    await t.test('records written during the walk are delivered again later, none is lost, and the walk ends', async (t) => {
      const { sim, odoo, ids } = await setup(t)
      const rewritten = [ids[0], ids[20]].filter((id): id is number => id !== undefined)
      let pagesSeen = 0
      const pages = await walkAll(odoo, {
        onPage: () => {
          // After the first page Odoo writes one order already delivered and one not yet reached.
          if (++pagesSeen === 1) sim.store.touch('sale.order', rewritten)
        }
      })
      const delivered = idsOf(pages)
      t.same(sorted([...new Set(delivered)]), ids, 'every record at least once')
      t.equal(delivered.filter((id) => id === rewritten[0]).length, 2, 'the order written after its delivery comes again')
    })

    await t.test('the last cursor re-opens its second, so a walk from it delivers only that second and what came later', async (t) => {
      const { sim, odoo, ids } = await setup(t)
      const pages = await walkAll(odoo)
      const last = pages.at(-1)?.cursor
      t.match(last, { afterId: 0 })
      const changed = ids[3] as number
      sim.store.touch('sale.order', changed)
      const next = await walkAll(odoo, { after: last })
      t.ok(idsOf(next).includes(changed))
      t.ok(idsOf(next).length < ids.length / 2, 'not the whole history again')
    })
  })
}
