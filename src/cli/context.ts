import { existsSync } from 'node:fs'
import { ConfigError, loadConfig } from '../config/env.ts'
import type { Config } from '../config/env.ts'
import { createLogger } from '../log/logger.ts'
import type { Logger } from '../log/logger.ts'
import { createPool, provideDatabaseServer } from '../db/database.ts'
import type { Pool } from '../db/database.ts'
import { migrate } from '../db/migrate.ts'
import { systemClock } from '../clock.ts'
import { startJobRunner } from '../jobs/job-runner.ts'
import { createOdooGateway } from '../odoo/gateway.ts'
import { createServiceParts, jobDefinitions } from '../service.ts'
import type { ServiceParts } from '../service.ts'

/** A command failed in a way the user can act on: print the message alone, no stack trace. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Variables from ./.env fill in what the environment does not set. */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path)
}

export function readConfig(): Config {
  try {
    return loadConfig(process.env)
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message)
    throw error
  }
}

/** Logs of one-shot commands go to stderr so that stdout carries only the command's output. */
export function commandLogger(config: Pick<Config, 'log'>): Logger {
  return createLogger({ level: config.log.level === 'info' ? 'warn' : config.log.level, destination: process.stderr })
}

/**
 * Runs `work` with the service's parts, as a one-shot process: the database as `withDatabase`
 * gives it, an Odoo gateway, and pg-boss without workers (jobs are enqueued for the service).
 */
export async function withServiceParts<T>(config: Config, log: Logger, work: (parts: ServiceParts) => Promise<T>): Promise<T> {
  return withDatabase(config, log, async (pool, databaseUrl) => {
    const odoo = createOdooGateway(config.odoo, { log })
    const jobs = await startJobRunner({ databaseUrl, log, work: false, poolMax: 2 })
    try {
      const parts = createServiceParts({ config, pool, odoo, jobs, clock: systemClock, log })
      await jobs.register(jobDefinitions(parts, config, jobs))
      return await work(parts)
    } finally {
      await jobs.stop(config.shutdownTimeoutMs)
      await odoo.close()
    }
  })
}

/** Runs `work` against the service's database (migrated), starting or reusing an embedded one. */
export async function withDatabase<T>(config: Config, log: Logger, work: (pool: Pool, databaseUrl: string) => Promise<T>): Promise<T> {
  const server = await provideDatabaseServer(config.database, log, { reuseRunning: true })
  try {
    await migrate(server.url, log)
    const pool = createPool(server.url, 2, log)
    try {
      return await work(pool, server.url)
    } finally {
      await pool.end()
    }
  } finally {
    await server.stop()
  }
}
