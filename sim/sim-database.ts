import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts'
import { createLogger } from '../src/log/logger.ts'
import type { Teardowns } from './service-under-test.ts'
import { freePort, withAdminClient } from '../test/support/local-server.ts'

/**
 * A fresh database for one run, as the tests make one per file: on DATABASE_URL's server (dropped
 * at the end), or on an embedded PostgreSQL started for the run when DATABASE_URL is not set.
 */
export async function createRunDatabase(teardowns: Teardowns): Promise<string> {
  let serverUrl = process.env.DATABASE_URL
  if (!serverUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'pb-sim-pg-'))
    const embedded = await startEmbeddedPostgres({ dataDir, port: await freePort(), log: createLogger({ level: 'warn' }) })
    teardowns.teardown(async () => {
      await embedded.stop()
      rmSync(dataDir, { recursive: true, force: true })
    })
    serverUrl = embedded.url
  }
  const name = `pb_sim_${randomBytes(6).toString('hex')}`
  await withAdminClient(serverUrl, async (client) => {
    await client.query(`CREATE DATABASE ${name}`)
    // A crashed run is run again, never recovered: commits need not wait for the disk, which on a
    // shared machine is most of a small transaction's time.
    await client.query(`ALTER DATABASE ${name} SET synchronous_commit = off`)
  })
  const admin = serverUrl
  teardowns.teardown(() => withAdminClient(admin, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)))
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}
