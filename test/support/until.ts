import { setTimeout as sleep } from 'node:timers/promises'

export interface UntilOptions {
  /** What is awaited, as the failure names it: "the sync run to finish". */
  what: string
  /** How long to keep asking; 30 s unless given (a loaded machine is slow, a test waits for an outcome, not a time). */
  timeoutMs?: number
  intervalMs?: number
}

/**
 * Asks `check` until it answers something truthy and returns that answer; once `timeoutMs` has
 * passed it fails, naming what it waited for and the last answer. Every wait of the suite on
 * something happening elsewhere (a job, a process, a server) goes through here.
 */
export async function until<T>(check: () => Promise<T> | T, options: UntilOptions): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const intervalMs = options.intervalMs ?? 100
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const answer = await check()
    if (answer) return answer
    if (performance.now() >= deadline) {
      throw new Error(`gave up after ${timeoutMs} ms waiting for ${options.what} (last answer: ${describe(answer)})`)
    }
    await sleep(intervalMs)
  }
}

function describe(answer: unknown): string {
  // JSON.stringify gives no text for undefined, a function or a symbol, and throws on a bigint.
  if (answer === undefined || typeof answer === 'function' || typeof answer === 'symbol' || typeof answer === 'bigint') return String(answer)
  try {
    return JSON.stringify(answer)
  } catch {
    return 'a value JSON cannot write (it has a cycle or a bigint inside)'
  }
}
