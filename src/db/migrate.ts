import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { runner } from 'node-pg-migrate'
import type { Logger } from '../log/logger.ts'

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url))
export const MIGRATIONS_TABLE = 'schema_migrations'
const MIGRATION_LOCK = 7_105_312_000

/**
 * Applies pending migrations, each in its own transaction recorded in `schema_migrations`, under
 * an advisory lock so that several instances starting at once apply each migration once.
 * Migrations are append-only SQL files: a failed one rolls back and leaves the schema as it was.
 */
export async function migrate(databaseUrl: string, log: Logger, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    // node-pg-migrate's own lock fails at once when another instance holds it; waiting instead
    // lets replicas start together, the later ones finding nothing left to apply.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    const applied = await runner({
      noLock: true,
      dbClient: client,
      dir,
      direction: 'up',
      migrationsTable: MIGRATIONS_TABLE,
      checkOrder: true,
      singleTransaction: false,
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: (msg: string) => {
          log.warn(msg)
        },
        error: (msg: string) => {
          log.error(msg)
        }
      }
    })
    const names = applied.map((m) => m.name)
    if (names.length > 0) log.info({ migrations: names }, 'migrations applied')
    return names
  } finally {
    await client.end()
  }
}
