import pg from 'pg'
import type { Config } from '../config/env.ts'
import type { Logger } from '../log/logger.ts'
import { findRunningEmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.ts'

export type Pool = pg.Pool
export type PoolClient = pg.PoolClient

/** Where the service's PostgreSQL is, and how to let it go when the service stops. */
export interface DatabaseServer {
  url: string
  embedded: boolean
  stop(): Promise<void>
}

/**
 * The configured server, or an embedded one in DATA_DIR when no DATABASE_URL is given. A command
 * run beside a service (`reuseRunning`) uses the embedded server that service started.
 */
export async function provideDatabaseServer(config: Config['database'], log: Logger, options: { reuseRunning?: boolean } = {}): Promise<DatabaseServer> {
  if (config.url) return { url: config.url, embedded: false, stop: () => Promise.resolve() }
  const running = options.reuseRunning ? findRunningEmbeddedPostgres(config.dataDir) : undefined
  if (running) return { url: running, embedded: true, stop: () => Promise.resolve() }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPort, log })
  return { url: embedded.url, embedded: true, stop: () => embedded.stop() }
}

export function createPool(url: string, max: number, log: Logger): Pool {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'odoo-privacy-bridge' })
  // A connection lost to a server restart must not crash the process: idle ones report through the
  // pool; checked-out ones (a transaction, the sync lock) need their own listener, or node throws.
  pool.on('error', (error) => {
    log.warn({ err: { message: error.message } }, 'idle database connection lost')
  })
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      log.warn({ err: { message: error.message } }, 'database connection lost')
    })
  })
  return pool
}

export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}
