import t from 'tap'
import { backoffDelay, createCallRunner } from '../src/odoo/call-runner.ts'
import { createConcurrencyLimit } from '../src/odoo/concurrency-limit.ts'
import { OdooAccessError, OdooConflictError, OdooUnavailableError } from '../src/odoo/errors.ts'
import { recordingLogger } from './support/odoo-gateway.ts'

function runnerWith(overrides: { retries?: number; random?: () => number } = {}) {
  const sleeps: number[] = []
  const { log, entries } = recordingLogger()
  const run = createCallRunner({
    log,
    limit: createConcurrencyLimit(2),
    timeoutMs: 1_000,
    retries: overrides.retries ?? 3,
    retryBaseMs: 100,
    sleep: (ms) => {
      sleeps.push(ms)
      return Promise.resolve()
    },
    random: overrides.random ?? (() => 1)
  })
  return { run, sleeps, entries }
}

function failing(errors: Error[], result = 'done') {
  let calls = 0
  const attempt = () => {
    const error = errors[calls++]
    return error ? Promise.reject(error) : Promise.resolve(result)
  }
  return { attempt, calls: () => calls }
}

const read = { model: 'res.partner', method: 'read', ids: 2, retryable: true }

await t.test('full jitter: each delay is random() times the base doubled per attempt', (t) => {
  t.same([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, 100, () => 1)), [100, 200, 400, 800])
  t.same([1, 2, 3].map((attempt) => backoffDelay(attempt, 100, () => 0.25)), [25, 50, 100])
  t.equal(backoffDelay(3, 100, () => 0), 0)
  t.end()
})

await t.test('a transient failure of a retryable call is retried after a backoff until it succeeds', async (t) => {
  const { run, sleeps } = runnerWith({ random: () => 0.5 })
  const odoo = failing([new OdooUnavailableError('502'), new OdooConflictError('could not serialize access')])
  t.equal(await run(read, odoo.attempt), 'done')
  t.equal(odoo.calls(), 3)
  t.same(sleeps, [50, 100])
})

await t.test('retries stop after the configured number and the last error is thrown', async (t) => {
  const { run, sleeps } = runnerWith({ retries: 2 })
  const odoo = failing([new OdooUnavailableError('a'), new OdooUnavailableError('b'), new OdooUnavailableError('c'), new OdooUnavailableError('d')])
  await t.rejects(run(read, odoo.attempt), { message: 'c' })
  t.equal(odoo.calls(), 3)
  t.equal(sleeps.length, 2)
})

await t.test('a failure that is not transient fails at once', async (t) => {
  const { run, sleeps } = runnerWith()
  const odoo = failing([new OdooAccessError('not allowed')])
  await t.rejects(run(read, odoo.attempt), OdooAccessError)
  t.equal(odoo.calls(), 1)
  t.same(sleeps, [])
})

await t.test('a call that is not safe to repeat is not retried, even after a transient failure', async (t) => {
  const { run } = runnerWith()
  const odoo = failing([new OdooUnavailableError('502')])
  await t.rejects(run({ model: 'res.partner', method: 'create', retryable: false }, odoo.attempt), OdooUnavailableError)
  t.equal(odoo.calls(), 1)
})

await t.test('every attempt is logged: successes at debug, failures at warn with their kind', async (t) => {
  const { run, entries } = runnerWith()
  const odoo = failing([new OdooUnavailableError('502')])
  await run(read, odoo.attempt)
  t.match(entries(), [
    { level: 40, model: 'res.partner', method: 'read', ids: 2, attempt: 1, outcome: 'retry', kind: 'unavailable', ms: Number },
    { level: 20, model: 'res.partner', method: 'read', ids: 2, attempt: 2, outcome: 'ok', ms: Number }
  ])
})

await t.test('the attempt gets a signal that aborts at the deadline', async (t) => {
  const { log } = recordingLogger()
  const run = createCallRunner({ log, limit: createConcurrencyLimit(1), timeoutMs: 20, retries: 0, retryBaseMs: 1, sleep: async () => {}, random: () => 0 })
  // The deadline's timer does not keep the process alive (a pending socket does): this one does.
  const keepAlive = setInterval(() => {}, 1_000)
  t.teardown(() => {
    clearInterval(keepAlive)
  })
  const reason = await run(read, (signal) => new Promise<DOMException>((resolve) => {
    signal.addEventListener('abort', () => {
      resolve(signal.reason as DOMException)
    })
  }))
  t.equal(reason.name, 'TimeoutError')
})

await t.test('the concurrency limit never runs more tasks at once than allowed, and runs them all', async (t) => {
  const limit = createConcurrencyLimit(3)
  let running = 0
  let mostAtOnce = 0
  let finished = 0
  const releases: (() => void)[] = []
  const tasks = Array.from({ length: 10 }, (_, index) =>
    limit(async () => {
      running++
      mostAtOnce = Math.max(mostAtOnce, running)
      await new Promise<void>((resolve) => releases.push(resolve))
      running--
      finished++
      return index
    })
  )
  while (finished < 10) {
    await new Promise((resolve) => setImmediate(resolve))
    releases.shift()?.()
  }
  t.same(await Promise.all(tasks), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  t.equal(mostAtOnce, 3)
})

await t.test('a task marked first takes the next free slot ahead of tasks that waited longer', async (t) => {
  const limit = createConcurrencyLimit(1)
  const started: string[] = []
  let releaseBusy = () => {}
  const busy = limit(() => new Promise<void>((resolve) => (releaseBusy = resolve)))
  const task = (name: string) => () => {
    started.push(name)
    return Promise.resolve()
  }
  const queued = [limit(task('read 1')), limit(task('read 2')), limit(task('page'), { first: true }), limit(task('read 3'))]
  await new Promise((resolve) => setImmediate(resolve))
  releaseBusy()
  await Promise.all([busy, ...queued])
  t.same(started, ['page', 'read 1', 'read 2', 'read 3'])
})
