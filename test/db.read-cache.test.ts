import t from 'tap'
import { setTimeout } from 'node:timers/promises'
import { createReadCache } from '../src/db/read-cache.ts'

function counted<V>(value: V) {
  const load = { calls: 0, run: () => { load.calls += 1; return Promise.resolve(value) } }
  return load
}

await t.test('a value read is kept for ttlMs, then read again', async (t) => {
  const cache = createReadCache<string>({ ttlMs: 1000, maxEntries: 10 })
  const load = counted('row')
  t.equal(await cache.read('k', load.run), 'row')
  t.equal(await cache.read('k', load.run), 'row')
  t.equal(load.calls, 1, 'the second read was served from memory')
  await setTimeout(1100)
  await cache.read('k', load.run)
  t.equal(load.calls, 2, 'past ttlMs it is read again')
})

await t.test('with ttlMs 0 every read loads', async (t) => {
  const cache = createReadCache<string>({ ttlMs: 0, maxEntries: 10 })
  const load = counted('row')
  await cache.read('k', load.run)
  await cache.read('k', load.run)
  t.equal(load.calls, 2)
})

await t.test('forget drops the value, and a read under way when it is called is returned but not kept', async (t) => {
  const cache = createReadCache<string>({ ttlMs: 60_000, maxEntries: 10 })
  const load = counted('row')
  await cache.read('k', load.run)
  cache.forget('k')
  await cache.read('k', load.run)
  t.equal(load.calls, 2, 'forgotten')
  cache.forget('k')
  let release = () => {}
  const slow = cache.read('k', () => new Promise<string>((resolve) => (release = () => { resolve('stale') })))
  cache.forget('k')
  release()
  t.equal(await slow, 'stale')
  await cache.read('k', load.run)
  t.equal(load.calls, 3, 'the read that began before forget was not kept')
})

await t.test('keep decides what is kept; past maxEntries the oldest entry goes', async (t) => {
  const cache = createReadCache<string | undefined>({ ttlMs: 60_000, maxEntries: 2, keep: (value) => value !== undefined })
  const missing = counted<string | undefined>(undefined)
  await cache.read('unknown', missing.run)
  await cache.read('unknown', missing.run)
  t.equal(missing.calls, 2, 'an unknown key is not kept')
  const a = counted<string | undefined>('a')
  await cache.read('a', a.run)
  await cache.read('b', () => Promise.resolve('b'))
  await cache.read('c', () => Promise.resolve('c'))
  await cache.read('a', a.run)
  t.equal(a.calls, 2, 'a, the oldest, made room for c')
})
