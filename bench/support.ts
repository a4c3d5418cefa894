import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import pg from 'pg'
import { provideDatabaseServer } from '../src/db/database.ts'
import { migrate } from '../src/db/migrate.ts'
import type { Logger } from '../src/log/logger.ts'
import { loadConfig } from '../src/config/env.ts'
import type { Config } from '../src/config/env.ts'
import { cpus, totalmem } from 'node:os'

import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'

export interface SimulatorProcess {
  url: string
  db: string
  login: string
  apiKey: string
  stop(): void
}

/** The simulator in its own process, so the figures measure the service and not the fake Odoo. */
export async function startSimulatorProcess(args: { orders: number; version?: number; latencyMs?: number; daysBehind?: number }): Promise<SimulatorProcess> {
  const cli = fileURLToPath(new URL('../test/odoo-simulator/cli.ts', import.meta.url))
  const child = spawn(process.execPath, [cli, '--version', String(args.version ?? 18), '--orders', String(args.orders), '--port', '0', '--latency', String(args.latencyMs ?? 0), '--days-behind', String(args.daysBehind ?? 0)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const [line] = await new Promise<string[]>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout })
    lines.once('line', (first) => resolve([first]))
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)))
  })
  const info = JSON.parse(line ?? '{}')
  return { ...info, stop: () => child.kill('SIGTERM') }
}

export function describeMachine(): string {
  const cpu = cpus()
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`
}

/** Samples the heap while `work` runs; returns its result, the elapsed time and the peak heap. */
export async function measure<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; peakHeapMb: number }> {
  globalThis.gc?.()
  let peak = process.memoryUsage().heapUsed
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20)
  const started = performance.now()
  try {
    const result = await work()
    return { result, ms: performance.now() - started, peakHeapMb: Math.round(Math.max(peak, process.memoryUsage().heapUsed) / 2 ** 20) }
  } finally {
    clearInterval(sampler)
  }
}

/**
 * A fresh, migrated database for one bench run, on DATABASE_URL's server or an embedded one,
 * dropped afterwards.
 */
export async function withBenchDatabase<T>(log: Logger, work: (url: string) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pb-bench-'))
  const server = await provideDatabaseServer({ url: process.env.DATABASE_URL, poolMax: 10, dataDir, embeddedPort: 54398 }, log)
  const database = `pb_bench_${process.pid}`
  const admin = new pg.Client({ connectionString: server.url })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${database}`)
    const url = new URL(server.url)
    url.pathname = `/${database}`
    await migrate(url.toString(), log)
    return await work(url.toString())
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
    ...overrides
  })
}
