import type { Config, OdooConfig } from './config/env.ts'
import type { Clock } from './clock.ts'
import { systemClock } from './clock.ts'
import type { Logger } from './log/logger.ts'
import { createPool, provideDatabaseServer } from './db/database.ts'
import type { DatabaseServer, Pool } from './db/database.ts'
import { migrate } from './db/migrate.ts'
import { startJobRunner } from './jobs/job-runner.ts'
import type { JobRunner } from './jobs/job-runner.ts'
import type { JobDefinition } from './jobs/job.ts'
import { createAuditTrail } from './audit/audit-trail.ts'
import type { AuditTrail } from './audit/audit-trail.ts'
import { verifyAuditChainJob } from './audit/verify-audit-chain.job.ts'
import { createApiKeys } from './auth/api-keys.ts'
import type { ApiKeys } from './auth/api-keys.ts'
import { buildApp } from './http/app.ts'
import type { App } from './http/app.ts'
import { SERVICE_VERSION } from './version.ts'

/** `api` serves HTTP and enqueues; `worker` runs jobs and schedules (and only health routes); `all` both. */
export type ProcessRole = 'api' | 'worker' | 'all'

/** What the service needs of its Odoo connection at this level; the gateway provides it. */
export interface OdooConnection {
  ping(signal?: AbortSignal): Promise<unknown>
  close(): Promise<void>
}

export interface ServiceOptions {
  config: Config
  log: Logger
  role: ProcessRole
  connectOdoo: (config: OdooConfig, log: Logger) => OdooConnection
  clock?: Clock
  /** Extra queues, for tests that need a job of their own. */
  extraJobs?: (deps: ServiceParts) => JobDefinition<object>[]
}

export interface ServiceParts {
  pool: Pool
  audit: AuditTrail
  apiKeys: ApiKeys
  odoo: OdooConnection
  clock: Clock
  log: Logger
}

export interface Service extends ServiceParts {
  app: App
  database: DatabaseServer
  jobs: JobRunner
  /** Stops HTTP, lets running jobs finish (bounded), closes the pools, stops an embedded database. */
  close(): Promise<void>
}

/**
 * Brings the whole service up in dependency order and, if any step fails, takes down what was
 * already started. Nothing here listens: src/server.ts does, after this resolves.
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  const { config, log } = options
  const clock = options.clock ?? systemClock
  const closers: Array<() => Promise<void>> = []
  const closeAll = async () => {
    for (const close of closers.reverse().splice(0)) {
      await close().catch((error: unknown) => log.error({ err: { message: (error as Error).message } }, 'shutdown step failed'))
    }
  }

  try {
    const database = await provideDatabaseServer(config.database, log)
    closers.push(() => database.stop())
    await migrate(database.url, log)

    const pool = createPool(database.url, config.database.poolMax, log)
    closers.push(() => pool.end())
    const odoo = options.connectOdoo(config.odoo, log)
    closers.push(() => odoo.close())
    const parts: ServiceParts = { pool, odoo, clock, log, audit: createAuditTrail({ pool, clock }), apiKeys: createApiKeys({ pool, clock }) }

    const definitions = [verifyAuditChainJob({ audit: parts.audit, log }), ...(options.extraJobs?.(parts) ?? [])]
    const jobs = await startJobRunner({ databaseUrl: database.url, log, definitions, work: options.role !== 'api' })
    closers.push(() => jobs.stop(config.shutdownTimeoutMs))

    const app = await buildApp({
      log,
      version: SERVICE_VERSION,
      swaggerUi: config.http.swaggerUi,
      apiKeys: parts.apiKeys,
      audit: parts.audit,
      surface: options.role === 'worker' ? 'health' : 'full',
      health: {
        database: async () => void (await pool.query('SELECT 1')),
        odoo: async (signal) => void (await odoo.ping(signal))
      }
    })
    closers.push(() => app.close())

    return { ...parts, app, database, jobs, close: closeAll }
  } catch (error) {
    await closeAll()
    throw error
  }
}
