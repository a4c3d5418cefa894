import { createHmac } from 'node:crypto'
import type { Job } from 'pg-boss'
import { loadConfig } from '../src/config/env.ts'
import type { Config } from '../src/config/env.ts'
import { createPool } from '../src/db/database.ts'
import type { Pool } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import { buildApp } from '../src/http/app.ts'
import type { App } from '../src/http/app.ts'
import { startJobRunner } from '../src/jobs/job-runner.ts'
import type { JobRunner } from '../src/jobs/job-runner.ts'
import type { JobDefinition } from '../src/jobs/job.ts'
import { createLogger } from '../src/log/logger.ts'
import type { Logger } from '../src/log/logger.ts'
import { createOdooGateway } from '../src/odoo/gateway.ts'
import type { OdooGateway } from '../src/odoo/gateway.ts'
import { appDependencies, createServiceParts, jobDefinitions } from '../src/service.ts'
import type { ServiceParts } from '../src/service.ts'
import { describeFailure } from '../src/log/failure-description.ts'
import { startOdooSimulator } from '../test/odoo-simulator/index.ts'
import type { OdooSimulator } from '../test/odoo-simulator/index.ts'
import { startMailbox } from './mailbox.ts'
import type { DeliveredMail } from './mailbox.ts'
import { createRunDatabase } from './sim-database.ts'
import type { SimClock } from './sim-clock.ts'

export const PII_KEY = Buffer.alloc(32, 7).toString('base64')
export const WEBHOOK_KEY = 'sim-forwardemail-key-0123456789abcdef'
export const SHOP_ADDRESS = 'privacy@shop.example'

/** What the run tears down at its end, last started first. */
export class Teardowns {
  readonly #steps: Array<() => unknown> = []

  teardown(step: () => unknown): void {
    this.#steps.push(step)
  }

  async run(): Promise<void> {
    for (const step of this.#steps.splice(0).reverse()) await step()
  }
}

export type RoleHeaders = Record<'admin' | 'agent' | 'agent2' | 'auditor', { authorization: string }>

/**
 * The service as production composes it (src/service.ts: the same parts, job definitions and HTTP
 * app), on a fresh database, pointed at an Odoo simulator and an SMTP server, all on one simulated
 * clock. It runs no pg-boss workers or schedules of its own: the harness works the queues (see
 * `work`), so that a job runs when simulated time reaches its start time.
 */
export interface ServiceUnderTest {
  config: Config
  parts: ServiceParts
  app: App
  pool: Pool
  jobs: JobRunner
  odoo: OdooSimulator
  smtp: { url: string; received: DeliveredMail[] }
  auth: RoleHeaders
  definitions: JobDefinition[]
  /**
   * Works a queue as a pg-boss worker would: fetches what is ready at the simulated time (pg-boss
   * compares start times with `job_now()`, the TestClock's time), runs the queue's own handler, and
   * completes or fails the jobs through pg-boss (which then retries or dead-letters them).
   */
  work(queue: string): Promise<{ done: number; failed: number }>
  /** Parts built on another Odoo gateway, as a second worker process would have them. */
  partsWith(odoo: OdooGateway): ServiceParts
  /** Signs a ForwardEmail webhook as ForwardEmail does. */
  signed(body: unknown): { payload: string; headers: Record<string, string> }
}

export async function startServiceUnderTest(teardowns: Teardowns, clock: SimClock, options: { seed: number; log?: Logger }): Promise<ServiceUnderTest> {
  const log = options.log ?? createLogger({ level: 'silent' })
  const databaseUrl = await createRunDatabase(teardowns)
  await migrate(databaseUrl, log)
  const odoo = await startOdooSimulator({ version: 18, orders: 0, seed: options.seed, now: () => clock.now() })
  teardowns.teardown(() => odoo.close())
  const smtp = await startMailbox(teardowns)
  const config = loadConfig({
    PII_ENCRYPTION_KEY: PII_KEY,
    DATABASE_URL: databaseUrl,
    ODOO_URL: odoo.url,
    ODOO_DB: odoo.db,
    ODOO_USERNAME: odoo.login,
    ODOO_API_KEY: odoo.apiKey,
    ODOO_TIMEOUT_MS: '5000',
    ODOO_RETRIES: '2',
    ODOO_RETRY_BASE_MS: '1',
    LOG_LEVEL: 'silent',
    PORT: '0',
    SWAGGER_UI: 'false',
    FORWARDEMAIL_WEBHOOK_KEY: WEBHOOK_KEY,
    SMTP_URL: smtp.url,
    MAIL_FROM: `Privacy <${SHOP_ADDRESS}>`,
    RETENTION_MODE: 'enforce',
    // Mail from one requester in a year stays far below the hourly limit; a run posts thousands of
    // authenticated calls from one address, which the failure counter never counts.
    RATE_LIMIT_INTAKE_PER_SENDER: '30'
  })
  const pool = createPool(databaseUrl, 6, log)
  teardowns.teardown(() => pool.end())
  // Retries do not wait (the harness steps time itself); a granted Odoo right is remembered for a
  // minute of the harness's own time, as a cache, not for a simulated minute.
  const gatewayFor = () => createOdooGateway(config.odoo, { log, sleep: () => Promise.resolve() })
  const gateway = gatewayFor()
  teardowns.teardown(() => gateway.close())
  const jobs = await startJobRunner({ databaseUrl, log, work: false, poolMax: 3, clock: clock.boss })
  teardowns.teardown(() => jobs.stop(1000))
  const parts = createServiceParts({ config, pool, odoo: gateway, jobs, clock, log })
  const definitions = jobDefinitions(parts, config, jobs)
  await jobs.register(definitions)
  const app = await buildApp(appDependencies({ config, parts, role: 'all', jobs }))
  teardowns.teardown(() => app.close())

  const auth = {} as RoleHeaders
  for (const [name, role] of [['admin', 'admin'], ['agent', 'agent'], ['agent2', 'agent'], ['auditor', 'auditor']] as const) {
    const key = await parts.apiKeys.create({ name: `sim-${name}`, role })
    auth[name] = { authorization: `Bearer ${key.secret}` }
  }

  async function work(queue: string): Promise<{ done: number; failed: number }> {
    const definition = definitions.find((d) => d.queue === queue)
    if (!definition) throw new Error(`no queue ${queue}`)
    const counts = { done: 0, failed: 0 }
    for (;;) {
      // A failed batch is retried after its backoff in simulated time, so this loop ends.
      const batch: Job[] = await jobs.boss.fetch(queue, { batchSize: definition.workOptions?.batchSize ?? 1 })
      if (batch.length === 0) return counts
      const ids = batch.map((job) => job.id)
      try {
        await definition.handle(batch)
        await jobs.boss.complete(queue, ids)
        counts.done += batch.length
      } catch (error) {
        await jobs.boss.fail(queue, ids, { message: describeFailure(error).message })
        counts.failed += batch.length
      }
    }
  }

  return {
    config,
    parts,
    app,
    pool,
    jobs,
    odoo,
    smtp,
    auth,
    definitions,
    work,
    partsWith: (other) => createServiceParts({ config, pool, odoo: other, jobs, clock, log }),
    signed: (body) => {
      const payload = JSON.stringify(body)
      return { payload, headers: { 'content-type': 'application/json', 'x-webhook-signature': createHmac('sha256', WEBHOOK_KEY).update(payload).digest('hex') } }
    }
  }
}
