/** Memoizes a successful result; a failure is forgotten so that the next call tries again. */
export function once<T>(compute: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined
  return () => {
    pending ??= compute().catch((error: unknown) => {
      pending = undefined
      throw error
    })
    return pending
  }
}

/** `once` per key: each key's first success is kept for the lifetime of the returned function. */
export function oncePerKey<T>(compute: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const byKey = new Map<string, () => Promise<T>>()
  return (key) => {
    let cached = byKey.get(key)
    if (cached === undefined) {
      cached = once(() => compute(key))
      byKey.set(key, cached)
    }
    return cached()
  }
}
