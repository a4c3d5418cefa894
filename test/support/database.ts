import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import tap from 'tap'
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts'
import type { EmbeddedDatabase } from '../../src/db/embedded-postgres.ts'
import { createLogger } from '../../src/log/logger.ts'
import { freePort, withAdminClient } from './local-server.ts'

export { freePort }

interface Teardown {
  teardown(fn: () => Promise<void> | void): void
}

let embedded: Promise<EmbeddedDatabase> | undefined

/**
 * A fresh, empty database for one test file, so files run in parallel without seeing each
 * other's rows, queues or audit chains. It lives on DATABASE_URL's server, or on an embedded
 * PostgreSQL started for this test process when no DATABASE_URL is given.
 */
export async function createTestDatabase(t: Teardown): Promise<string> {
  const external = process.env.DATABASE_URL
  const serverUrl = external ?? (await embeddedServer()).url
  const name = `pb_test_${randomBytes(6).toString('hex')}`
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`))
  // An embedded server is removed whole when the file ends; a shared one keeps no leftovers.
  if (external) {
    t.teardown(() =>
      withAdminClient(serverUrl, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      })
    )
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

// One embedded server per test file (process), stopped when the whole file is done.
async function embeddedServer(): Promise<EmbeddedDatabase> {
  if (!embedded) {
    const dataDir = mkdtempSync(join(tmpdir(), 'pb-test-pg-'))
    embedded = freePort().then((port) => startEmbeddedPostgres({ dataDir, port, log: createLogger({ level: 'warn' }) }))
    const started = await embedded
    tap.teardown(async () => {
      await started.stop()
      rmSync(dataDir, { recursive: true, force: true })
    })
  }
  return embedded
}
