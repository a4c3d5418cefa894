export type ConcurrencyLimit = <T>(task: () => Promise<T>) => Promise<T>

/** Runs at most `max` tasks at a time; the others wait in arrival order. */
export function createConcurrencyLimit(max: number): ConcurrencyLimit {
  let running = 0
  const waiting: (() => void)[] = []

  async function acquire(): Promise<void> {
    if (running < max) {
      running++
      return
    }
    await new Promise<void>((resolve) => waiting.push(resolve))
  }

  function release(): void {
    const next = waiting.shift()
    // The slot passes straight to the next task, so `running` stays as it is.
    if (next === undefined) running--
    else next()
  }

  return async (task) => {
    await acquire()
    try {
      return await task()
    } finally {
      release()
    }
  }
}
