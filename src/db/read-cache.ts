import { performance } from 'node:perf_hooks'

/**
 * What one process read from PostgreSQL, trusted for `ttlMs` without reading it again, so a hot
 * path (every authenticated call) does not pay a round trip for a fact that rarely changes. A
 * change made through this process calls `forget` and shows at once; one made elsewhere shows
 * within `ttlMs`. Time is monotonic, not the service's clock (tests fix that one). Past
 * `maxEntries` the oldest entry goes.
 */
export interface ReadCache<V> {
  /** The fresh value, or `load`'s; kept when `keep` says so (default: always). */
  read(key: string, load: () => Promise<V>): Promise<V>
  forget(key: string): void
}

export function createReadCache<V>(options: { ttlMs: number; maxEntries: number; keep?: (value: V) => boolean }): ReadCache<V> {
  const { ttlMs, maxEntries, keep = () => true } = options
  const entries = new Map<string, { value: V; until: number }>()
  // A read that began before a `forget` may hold what was forgotten: it is returned, not kept.
  let forgets = 0

  function fresh(key: string): { value: V } | undefined {
    const entry = entries.get(key)
    if (!entry) return undefined
    if (entry.until > performance.now()) return entry
    entries.delete(key)
    return undefined
  }

  return {
    async read(key, load) {
      const cached = fresh(key)
      if (cached) return cached.value
      const generation = forgets
      const value = await load()
      if (ttlMs > 0 && generation === forgets && keep(value)) {
        entries.delete(key)
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string)
        entries.set(key, { value, until: performance.now() + ttlMs })
      }
      return value
    },
    forget(key) {
      forgets += 1
      entries.delete(key)
    }
  }
}
