import type { Logger } from 'pino'
import { OdooError } from './errors.ts'
import type { ConcurrencyLimit } from './concurrency-limit.ts'

/** What the logs may say about a call: never the domain, the values or the credentials. */
export interface CallDescription {
  model?: string
  method: string
  /** How many records the call names, when it names some. */
  ids?: number
  /** Safe to send again after a transient failure: reads, and writes of the same values. */
  retryable: boolean
}

export interface CallRunnerOptions {
  log: Logger
  limit: ConcurrencyLimit
  timeoutMs: number
  retries: number
  retryBaseMs: number
  sleep: (ms: number) => Promise<void>
  random: () => number
}

export interface RunOptions {
  signal?: AbortSignal | undefined
  timeoutMs?: number
  /** Skip the concurrency limit (the readiness probe must not queue behind a long sync). */
  unlimited?: boolean
  /** Wait for a slot of the concurrency limit ahead of calls without it. */
  first?: boolean
}

export type CallRunner = <T>(description: CallDescription, attempt: (signal: AbortSignal) => Promise<T>, options?: RunOptions) => Promise<T>

/**
 * Runs each Odoo call with a deadline, within the concurrency limit, retrying transient failures of
 * retryable calls with exponential backoff and full jitter, and logs every attempt.
 */
export function createCallRunner(options: CallRunnerOptions): CallRunner {
  const { log, limit, retries, retryBaseMs, sleep, random } = options

  return async (description, attempt, runOptions = {}) => {
    const timeoutMs = runOptions.timeoutMs ?? options.timeoutMs
    const maxAttempts = description.retryable ? retries + 1 : 1
    for (let attemptNumber = 1; ; attemptNumber++) {
      const once = () => attemptOnce(description, attempt, attemptNumber, maxAttempts, timeoutMs, runOptions.signal)
      try {
        return await (runOptions.unlimited ? once() : limit(once, { first: runOptions.first ?? false }))
      } catch (error) {
        if (!(error instanceof OdooError && error.transient) || attemptNumber >= maxAttempts) throw error
      }
      await sleep(backoffDelay(attemptNumber, retryBaseMs, random))
    }
  }

  async function attemptOnce<T>(
    description: CallDescription,
    attempt: (signal: AbortSignal) => Promise<T>,
    attemptNumber: number,
    maxAttempts: number,
    timeoutMs: number,
    callerSignal: AbortSignal | undefined
  ): Promise<T> {
    const deadline = AbortSignal.timeout(timeoutMs)
    const signal = callerSignal === undefined ? deadline : AbortSignal.any([callerSignal, deadline])
    const started = performance.now()
    const fields = { model: description.model, method: description.method, ids: description.ids, attempt: attemptNumber }
    try {
      const result = await attempt(signal)
      log.debug({ ...fields, ms: elapsedSince(started), outcome: 'ok' }, 'odoo call')
      return result
    } catch (error) {
      if (error instanceof OdooError) {
        error.model ??= description.model
        error.method ??= description.method
      }
      const willRetry = error instanceof OdooError && error.transient && attemptNumber < maxAttempts
      log.warn(
        { ...fields, ms: elapsedSince(started), outcome: willRetry ? 'retry' : 'failed', kind: errorKind(error), ...(error instanceof OdooError ? { exceptionName: error.exceptionName, code: error.code } : {}) },
        'odoo call failed'
      )
      throw error
    }
  }
}

/** Full jitter: a random delay between 0 and base × 2^(attempt − 1). */
export function backoffDelay(attempt: number, baseMs: number, random: () => number): number {
  return Math.round(random() * baseMs * 2 ** (attempt - 1))
}

function elapsedSince(started: number): number {
  return Math.round(performance.now() - started)
}

function errorKind(error: unknown): string {
  if (error instanceof OdooError) return error.kind
  return error instanceof Error ? error.name : 'unknown'
}
