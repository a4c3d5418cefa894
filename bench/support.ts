import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import pg from 'pg'
import { z } from 'zod'
import { provideDatabaseServer } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import type { Logger } from '../src/log/logger.ts'
import { loadConfig } from '../src/config/env.ts'
import type { Config } from '../src/config/env.ts'
import { cpus, totalmem } from 'node:os'

import { fileURLToPath } from 'node:url'
import { constants, PerformanceObserver } from 'node:perf_hooks'
import type { NodeGCPerformanceDetail } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { getHeapStatistics } from 'node:v8'
import { freePort } from '../test/support/local-server.ts'
import { setTimeout as sleep } from 'node:timers/promises'

export interface SimulatorProcess {
  pid: number
  url: string
  db: string
  login: string
  apiKey: string
  stop(): void
}

/** The simulator in its own process, so the figures measure the service and not the fake Odoo. */
export async function startSimulatorProcess(args: { orders: number; version?: number; latencyMs?: number; daysBehind?: number; odooCost?: boolean; debugEndpoints?: boolean }): Promise<SimulatorProcess> {
  const cli = fileURLToPath(new URL('../test/odoo-simulator/cli.ts', import.meta.url))
  // The simulator holds its whole shop in memory: about 5 KB per order with its contacts and delivery.
  const heapMb = Math.max(4096, Math.ceil(args.orders / 1000) * 8)
  const flags = [...(args.odooCost === true ? ['--odoo-cost'] : []), ...(args.debugEndpoints === true ? ['--debug-endpoints'] : [])]
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, cli, '--version', String(args.version ?? 18), '--orders', String(args.orders), '--port', '0', '--latency', String(args.latencyMs ?? 0), '--days-behind', String(args.daysBehind ?? 0), ...flags], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [line] = await new Promise<string[]>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout })
    lines.once('line', (first) => {
      resolve([first])
    })
    child.once('exit', (code) => {
      reject(new Error(`simulator exited with ${code}`))
    })
  })
  const info = simulatorLineSchema.parse(JSON.parse(line ?? '{}'))
  if (child.pid === undefined) throw new Error('the simulator process has no pid')
  return { ...info, pid: child.pid, stop: () => child.kill('SIGTERM') }
}

/** The JSON line test/odoo-simulator/cli.ts prints once it listens. */
const simulatorLineSchema = z.object({ url: z.string(), db: z.string(), login: z.string(), apiKey: z.string() })

export function describeMachine(): string {
  const cpu = cpus()
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`
}

/** CPU seconds (user + system) of a process, with those of its children already reaped when `reaped` (Linux only). */
function cpuSecondsOf(pid: number, reaped = false): { comm: string; ppid: number; seconds: number } {
  try {
    // Fields after the command name: ppid is the 2nd, utime and stime the 12th and 13th, cutime and cstime the 14th and 15th, in clock ticks (100 per second on Linux).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12]) + (reaped ? Number(fields[13]) + Number(fields[14]) : 0)
    return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ppid: Number(fields[1]), seconds: ticks / 100 }
  } catch {
    return { comm: '', ppid: 0, seconds: 0 }
  }
}

/**
 * CPU seconds used so far by this process, the given one, and PostgreSQL: the bench's embedded
 * server, or else every PostgreSQL server of this machine (each postmaster, the backends it reaped,
 * and those alive; Linux only).
 */
export function cpuSnapshot(otherPid: number, postmasterPid?: number): { service: number; other: number; postgres: number } {
  const processes = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map((pid) => ({ pid: Number(pid), ...cpuSecondsOf(Number(pid)) }))
  // A server's postmaster is the PostgreSQL process whose parent is not one: with the backends it
  // reaped, the CPU of those that exited between two snapshots is not lost.
  const postmasters = postmasterPid === undefined ? processes.filter((p) => p.comm === 'postgres' && !processes.some((q) => q.pid === p.ppid && q.comm === 'postgres')).map((p) => p.pid) : [postmasterPid]
  const postgres = postmasters.reduce((sum, pid) => sum + cpuSecondsOf(pid, true).seconds + processes.filter((p) => p.ppid === pid).reduce((children, p) => children + p.seconds, 0), 0)
  return { service: cpuSecondsOf(process.pid).seconds, other: cpuSecondsOf(otherPid).seconds, postgres }
}

/** The peak resident set of a process so far, in MB (Linux only). */
export function peakRssMb(pid: number): number {
  try {
    const line = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return Math.round(Number(line?.[1] ?? 0) / 1024)
  } catch {
    return 0
  }
}

/** A process's command name and the CPU seconds it used so far (0 once it is gone; Linux only). */
export function processCpu(pid: number | string): { comm: string; seconds: number } {
  const { comm, seconds } = cpuSecondsOf(Number(pid))
  return { comm, seconds }
}

/** CPU seconds used so far by each PostgreSQL process of this machine, by pid (Linux only). */
export function postgresCpu(): Map<number, number> {
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  return new Map(pids.map((pid) => [Number(pid), processCpu(pid)] as const).filter(([, p]) => p.comm === 'postgres').map(([pid, p]) => [pid, p.seconds]))
}

/** CPU seconds spent between two snapshots by processes alive at the second (those that exited in between are not counted). */
export function cpuSpent(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  return [...after].reduce((sum, [pid, seconds]) => sum + seconds - (before.get(pid) ?? 0), 0)
}

/**
 * Samples the heap while `work` runs; returns its result, the elapsed time, the peak heap (garbage
 * included, so it depends on when V8 chooses to collect) and the live heap: the largest heap found
 * right after a full collection, which is what the work keeps.
 */
// Not process.memoryUsage(), which also reads the resident set from /proc: sampled every 20 ms, its
// cost would count as the service's.
const heapUsed = () => getHeapStatistics().used_heap_size

export async function measure<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; peakHeapMb: number; liveHeapMb: number }> {
  globalThis.gc?.()
  let peak = heapUsed()
  let live = peak
  const sampler = setInterval(() => (peak = Math.max(peak, heapUsed())), 20)
  const fullCollections = new PerformanceObserver((list) => {
    if (list.getEntries().some((entry) => (entry as unknown as { detail?: NodeGCPerformanceDetail }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) live = Math.max(live, heapUsed())
  })
  fullCollections.observe({ entryTypes: ['gc'] })
  const started = performance.now()
  try {
    const result = await work()
    const mb = (bytes: number) => Math.round(bytes / 2 ** 20)
    return { result, ms: performance.now() - started, peakHeapMb: mb(Math.max(peak, heapUsed())), liveHeapMb: mb(live) }
  } finally {
    clearInterval(sampler)
    fullCollections.disconnect()
  }
}

/** The bench's database: the PostgreSQL server's postmaster when the bench started it, for its CPU time. */
export interface BenchDatabase {
  postmasterPid?: number
}

/**
 * A fresh, migrated database for one bench run, on DATABASE_URL's server or an embedded one (on a
 * free port), dropped afterwards.
 */
export async function withBenchDatabase<T>(log: Logger, work: (url: string, database: BenchDatabase) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pb-bench-'))
  const server = await provideDatabaseServer({ url: process.env.DATABASE_URL, poolMax: 10, dataDir, embeddedPort: await freePort() }, log)
  const database = `pb_bench_${process.pid}`
  const admin = new pg.Client({ connectionString: server.url })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${database}`)
    const url = new URL(server.url)
    url.pathname = `/${database}`
    await migrate(url.toString(), log)
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid')
    const postmasterPid = server.embedded && existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined
    return await work(url.toString(), postmasterPid === undefined ? {} : { postmasterPid })
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    await admin.end()
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** The service's configuration for a bench: its database, the simulator, a throwaway PII key, and any overrides. */
export function benchConfig(databaseUrl: string, sim: SimulatorProcess, overrides: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: databaseUrl,
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
    ODOO_URL: sim.url,
    ODOO_DB: sim.db,
    ODOO_USERNAME: sim.login,
    ODOO_API_KEY: sim.apiKey,
    // The benches measure redaction of a whole shop at once, as after an approved backlog.
    RETENTION_BACKLOG_APPROVAL: 'never',
    ...overrides
  })
}

export interface ServiceProcess {
  pid: number
  port: number
  /** What it wrote to stdout so far (its JSON log lines). */
  stdout(): string
  /** SIGTERM (a graceful shutdown), resolved once it has exited. */
  stop(): Promise<void>
}

/**
 * `privacy-bridge serve --role <role>` as its own process with exactly `env` (plus PATH and a free
 * PORT), resolved once its health route answers.
 */
export async function startServiceProcess(role: 'api' | 'worker' | 'all', env: Record<string, string>): Promise<ServiceProcess> {
  const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
  const port = await freePort()
  const child = spawn(process.execPath, [cli, 'serve', '--role', role], { env: { PATH: process.env.PATH ?? '', ...env, HOST: '127.0.0.1', PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const state = { exited: false }
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      state.exited = true
      resolve()
    })
  })
  const started = Date.now()
  for (;;) {
    if (state.exited) throw new Error(`serve --role ${role} exited: ${(stderr || stdout).slice(-2000)}`)
    if (Date.now() - started > 60_000) throw new Error(`serve --role ${role} did not answer /health/live within 60 s`)
    const live = await fetch(`http://127.0.0.1:${String(port)}/health/live`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined)
    if (live?.ok === true) break
    await sleep(200)
  }
  if (child.pid === undefined) throw new Error('the service process has no pid')
  return {
    pid: child.pid,
    port,
    stdout: () => stdout,
    stop: async () => {
      if (!state.exited) child.kill('SIGTERM')
      await exited
    }
  }
}
