import t from 'tap'
import type { Test } from 'tap'
import pg from 'pg'
import { startJobRunner } from '../src/jobs/job-runner.ts'
import type { JobDefinition } from '../src/jobs/job.ts'
import { HEARTBEAT_SECONDS } from '../src/jobs/job.ts'
import { createTestDatabase } from './support/database.ts'
import { capturedLogger } from './support/logs.ts'

const QUEUE = 'test-long-running'

function definition(heartbeatSeconds?: number): JobDefinition {
  return {
    queue: QUEUE,
    queueOptions: { policy: 'stately', retryLimit: 3, ...(heartbeatSeconds === undefined ? {} : { heartbeatSeconds }) },
    async handle() {}
  }
}

async function setUp(t: Test) {
  const databaseUrl = await createTestDatabase(t)
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 })
  t.teardown(() => pool.end())
  const start = async () => {
    const runner = await startJobRunner({ databaseUrl, log: capturedLogger().log, work: false, poolMax: 2 })
    t.teardown(() => runner.stop(1000))
    return runner
  }
  const heartbeats = async () => {
    const queue = (await pool.query<{ heartbeat_seconds: number | null }>('SELECT heartbeat_seconds FROM pgboss.queue WHERE name = $1', [QUEUE])).rows[0]?.heartbeat_seconds
    // Every job these tests send has a singleton key.
    const jobs = (await pool.query<{ key: string; heartbeat_seconds: number | null }>('SELECT singleton_key AS key, heartbeat_seconds FROM pgboss.job WHERE name = $1 ORDER BY singleton_key', [QUEUE])).rows
    return { queue, jobs: Object.fromEntries(jobs.map((j) => [j.key, j.heartbeat_seconds])) }
  }
  return { pool, start, heartbeats }
}

await t.test('a queue created with a heartbeat passes it to the jobs sent to it', async (t) => {
  const { start, heartbeats } = await setUp(t)
  const runner = await start()
  await runner.register([definition(HEARTBEAT_SECONDS)])
  await runner.send(QUEUE, { v: 1 }, { singletonKey: 'a' })
  t.same(await heartbeats(), { queue: HEARTBEAT_SECONDS, jobs: { a: HEARTBEAT_SECONDS } })
})

await t.test('a deployed database gets the heartbeat at start-up: on the queue and on the jobs already queued, not on finished or running ones', async (t) => {
  const { pool, start, heartbeats } = await setUp(t)
  const before = await start()
  await before.register([definition()])
  for (const key of ['queued', 'later', 'running', 'done']) {
    await before.send(QUEUE, { v: 1 }, { singletonKey: key, ...(key === 'later' ? { startAfter: new Date(Date.now() + 86_400_000) } : {}) })
  }
  await pool.query(`UPDATE pgboss.job SET state = 'active', started_on = now() WHERE name = $1 AND singleton_key = 'running'`, [QUEUE])
  await pool.query(`UPDATE pgboss.job SET state = 'completed', completed_on = now() WHERE name = $1 AND singleton_key = 'done'`, [QUEUE])
  t.same(await heartbeats(), { queue: null, jobs: { done: null, later: null, queued: null, running: null } }, 'before: no heartbeat anywhere')

  const after = await start()
  await after.register([definition(HEARTBEAT_SECONDS)])
  t.same(await heartbeats(), { queue: HEARTBEAT_SECONDS, jobs: { done: null, later: HEARTBEAT_SECONDS, queued: HEARTBEAT_SECONDS, running: null } })
})

await t.test('a heartbeat the definition no longer asks for is removed from the queue and its queued jobs', async (t) => {
  const { start, heartbeats } = await setUp(t)
  const runner = await start()
  await runner.register([definition(HEARTBEAT_SECONDS)])
  await runner.send(QUEUE, { v: 1 }, { singletonKey: 'a' })
  await runner.register([definition()])
  t.same(await heartbeats(), { queue: null, jobs: { a: null } })
})
