export type ConcurrencyLimit = <T>(task: () => Promise<T>, options?: { first?: boolean }) => Promise<T>

/**
 * Runs at most `max` tasks at a time; the others wait in arrival order, except those marked
 * `first`, which wait ahead of the others (in arrival order among themselves).
 */
export function createConcurrencyLimit(max: number): ConcurrencyLimit {
  let running = 0
  const waitingFirst: (() => void)[] = []
  const waiting: (() => void)[] = []

  async function acquire(first: boolean): Promise<void> {
    if (running < max) {
      running++
      return
    }
    await new Promise<void>((resolve) => (first ? waitingFirst : waiting).push(resolve))
  }

  function release(): void {
    const next = waitingFirst.shift() ?? waiting.shift()
    // The slot passes straight to the next task, so `running` stays as it is.
    if (next === undefined) running--
    else next()
  }

  return async (task, options = {}) => {
    await acquire(options.first ?? false)
    try {
      return await task()
    } finally {
      release()
    }
  }
}
