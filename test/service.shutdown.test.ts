import t from 'tap'
import pg from 'pg'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { startService } from '../src/service.ts'
import type { JobDefinition } from '../src/jobs/job.ts'
import { createOdooGateway } from '../src/odoo/gateway.ts'
import { createPrivacyBridgeClient } from '../src/client/index.ts'
import { createTestDatabase } from './support/database.ts'
import { testConfig } from './support/config.ts'
import { capturedLogger } from './support/logs.ts'

function blockingJob(queue: string) {
  let markStarted = () => {}
  let release = () => {}
  const started = new Promise<void>((resolve) => (markStarted = resolve))
  const gate = new Promise<void>((resolve) => (release = resolve))
  const state = { finished: false }
  const definition: JobDefinition = {
    queue,
    workOptions: { pollingIntervalSeconds: 0.5 },
    async handle() {
      markStarted()
      await gate
      state.finished = true
    }
  }
  return { definition, started, release, state }
}

async function jobStates(url: string, queue: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const result = await client.query<{ state: string }>('SELECT state FROM pgboss.job WHERE name = $1', [queue])
    return result.rows.map((r) => r.state)
  } finally {
    await client.end()
  }
}

await t.test('shutdown waits for a running job to finish, then closes everything', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const { log } = capturedLogger()
  const job = blockingJob('test-blocking')
  const config = testConfig({ DATABASE_URL: databaseUrl, SHUTDOWN_TIMEOUT_MS: '20000' })
  const service = await startService({ config, log, role: 'all', connectOdoo: (c, l) => createOdooGateway(c, { log: l }), extraJobs: () => [job.definition] })
  await service.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = service.app.server.address() as AddressInfo
  await service.jobs.send('test-blocking', { orderId: 1 })
  await job.started

  let closed = false
  const closing = service.close().then(() => (closed = true))
  await sleep(500)
  t.equal(closed, false, 'close waits while the job runs')
  await t.rejects(createPrivacyBridgeClient({ baseUrl: `http://127.0.0.1:${port}` }).GET('/health/live'), 'no new HTTP requests are taken')

  job.release()
  await closing
  t.equal(job.state.finished, true, 'the job ran to its end')
  t.same(await jobStates(databaseUrl, 'test-blocking'), ['completed'])
})

await t.test('a job that outlives the shutdown timeout is left to be retried, and shutdown still ends', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const { log } = capturedLogger()
  const job = blockingJob('test-stuck')
  const config = testConfig({ DATABASE_URL: databaseUrl, SHUTDOWN_TIMEOUT_MS: '1000' })
  const service = await startService({ config, log, role: 'all', connectOdoo: (c, l) => createOdooGateway(c, { log: l }), extraJobs: () => [job.definition] })
  await service.jobs.send('test-stuck', { orderId: 2 })
  await job.started
  await service.close()
  t.equal(job.state.finished, false)
  t.same(await jobStates(databaseUrl, 'test-stuck'), ['retry'], 'the unfinished job is handed back for another worker to retry')
  job.release()
})

await t.test('an api process enqueues but runs no jobs', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const { log } = capturedLogger()
  const job = blockingJob('test-api-only')
  const service = await startService({ config: testConfig({ DATABASE_URL: databaseUrl }), log, role: 'api', connectOdoo: (c, l) => createOdooGateway(c, { log: l }), extraJobs: () => [job.definition] })
  t.teardown(() => service.close())
  await service.jobs.send('test-api-only', { orderId: 3 })
  await sleep(1500)
  t.same(await jobStates(databaseUrl, 'test-api-only'), ['created'])
})

await t.test('a worker process serves only the health routes', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const { log } = capturedLogger()
  const service = await startService({ config: testConfig({ DATABASE_URL: databaseUrl }), log, role: 'worker', connectOdoo: (c, l) => createOdooGateway(c, { log: l }) })
  t.teardown(() => service.close())
  t.equal((await service.app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200)
  t.equal((await service.app.inject({ method: 'GET', url: '/v1/keys' })).statusCode, 404)
})

await t.test('the service starts and reports Odoo down while Odoo is unreachable', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const { log } = capturedLogger()
  const service = await startService({ config: testConfig({ DATABASE_URL: databaseUrl }), log, role: 'api', connectOdoo: (c, l) => createOdooGateway(c, { log: l }) })
  t.teardown(() => service.close())
  const ready = await service.app.inject({ method: 'GET', url: '/health/ready' })
  t.equal(ready.statusCode, 200)
  t.match(ready.json(), { status: 'degraded', checks: { database: { status: 'up' }, odoo: { status: 'down' } } })
})
