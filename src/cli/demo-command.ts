import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import closeWithGrace from 'close-with-grace'
import { loadConfig } from '../config/env.ts'
import { createLogger } from '../log/logger.ts'
import { createOdooGateway } from '../odoo/gateway.ts'
import { planRedactions } from '../retention/retention-report.ts'
import { startService } from '../service.ts'
import { UsageError } from './context.ts'

// The simulator is a test tool, kept out of the production bundle: the demo loads it from the
// repository, so it runs from a clone (`npm run demo`), not from a production image.
const SIMULATOR = fileURLToPath(new URL('../../test/odoo-simulator/index.ts', import.meta.url))

/** What the demo uses of test/odoo-simulator (not imported as a type: it is outside the build). */
type StartSimulator = (options: { version: 16 | 17 | 18 | 19; orders: number }) => Promise<{ url: string; db: string; login: string; apiKey: string; close(): Promise<void> }>

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('try the service with nothing installed: a simulated Odoo with marketplace orders, an embedded PostgreSQL, the service, a first sync')
    .option('--port <port>', 'HTTP port of the service', '8080')
    .option('--orders <count>', 'orders the simulated Odoo holds', '500')
    .option('--odoo-version <version>', 'Odoo version the simulator plays: 16, 17, 18 or 19', '18')
    .action(async (options: { port: string; orders: string; odooVersion: string }) => {
      if (!existsSync(SIMULATOR)) throw new UsageError('The demo needs the repository\'s test/odoo-simulator: run it from a clone with `npm run demo`.')
      const version = Number(options.odooVersion)
      if (version !== 16 && version !== 17 && version !== 18 && version !== 19) throw new UsageError('--odoo-version must be 16, 17, 18 or 19')
      const { startOdooSimulator } = (await import(SIMULATOR)) as { startOdooSimulator: StartSimulator }
      const sim = await startOdooSimulator({ version, orders: Number(options.orders) })
      const dataDir = await mkdtemp(join(tmpdir(), 'privacy-bridge-demo-'))
      const config = loadConfig({
        PORT: options.port,
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: String(54330 + Math.floor(Math.random() * 500)),
        PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        ODOO_URL: sim.url,
        ODOO_DB: sim.db,
        ODOO_USERNAME: sim.login,
        ODOO_API_KEY: sim.apiKey,
        RETENTION_MODE: 'dry-run',
        // No ForwardEmail account in a demo: its intake takes unsigned webhooks, and says so at start-up.
        INTAKE_ALLOW_UNSIGNED: 'true',
        LOG_LEVEL: 'warn'
      })
      const log = createLogger({ level: 'warn' })
      console.log(`Simulated Odoo ${version} with ${options.orders} marketplace orders at ${sim.url}; starting an embedded PostgreSQL and the service…`)
      const service = await startService({ config, log, role: 'all', connectOdoo: (odooConfig, odooLog) => createOdooGateway(odooConfig, { log: odooLog }) })
      closeWithGrace({ delay: 20_000 }, async () => {
        await service.close()
        await sim.close()
        await rm(dataDir, { recursive: true, force: true })
      })
      await service.app.listen({ host: config.http.host, port: config.http.port })
      const run = await service.runSync({ trigger: 'cli', requestedBy: 'demo' })
      const agent = await service.apiKeys.create({ name: 'demo-agent', role: 'agent' })
      const admin = await service.apiKeys.create({ name: 'demo-admin', role: 'admin' })
      const plan = await planRedactions(service, new Date(Date.now() + 30 * 86_400_000))
      const base = `http://${config.http.host}:${config.http.port}`
      console.log(`
First sync: ${run?.fetched} records read, ${run?.inserted} mirrored.

  Swagger UI   ${base}/docs   (Authorize with a key below)
  Privacy desk ${base}/console/   (sign in with a key below)
  agent key    ${agent.secret}
  admin key    ${admin.secret}

Retention plan for the next 30 days (dry-run: nothing is written to Odoo): ${plan.length} contacts due.`)
      for (const entry of plan.slice(0, 10)) {
        console.log(`  contact ${String(entry.partnerId).padEnd(6)} due ${entry.dueAt.toISOString().slice(0, 10)}  ${entry.channels.join('+').padEnd(12)} clock: ${entry.startedBy.join('+')}${entry.held ? '  ON HOLD' : ''}`)
      }
      if (plan.length > 10) console.log(`  … and ${plan.length - 10} more (GET ${base}/v1/retention/report with the admin key)`)
      console.log('\nTry: create a rights request in Swagger UI (POST /v1/requests), or list orders (GET /v1/orders). Ctrl-C stops everything.')
    })
}
