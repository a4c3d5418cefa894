import type { Test } from 'tap'
import { createPool } from '../../src/db/database.ts'
import type { Pool } from '../../src/db/database.ts'
import { migrate } from '../../src/db/migrate.ts'
import type { ApiKeys } from '../../src/auth/api-keys.ts'
import type { Role } from '../../src/auth/roles.ts'
import type { AuditTrail } from '../../src/audit/audit-trail.ts'
import { buildApp } from '../../src/http/app.ts'
import type { App, AppDeps } from '../../src/http/app.ts'
import type { Clock } from '../../src/clock.ts'
import type { Logger } from '../../src/log/logger.ts'
import { createOdooGateway } from '../../src/odoo/gateway.ts'
import { appDependencies, createServiceParts, startService } from '../../src/service.ts'
import { startJobRunner } from '../../src/jobs/job-runner.ts'
import type { ProcessRole, Service } from '../../src/service.ts'
import type { OdooSimulator } from '../odoo-simulator/index.ts'
import { createTestDatabase } from './database.ts'
import { capturedLogger } from './logs.ts'
import { fixedClock } from './clock.ts'
import type { ControlledClock } from './clock.ts'
import { testConfig } from './config.ts'

export type RoleHeaders = Record<Role, { authorization: string }>

export interface TestApp {
  app: App
  pool: Pool
  databaseUrl: string
  apiKeys: ApiKeys
  audit: AuditTrail
  clock: Clock
  logs: () => string
  /** `Authorization` headers of one fresh key per role. */
  auth: RoleHeaders
}

/**
 * The HTTP app alone over a migrated test database, for tests of the HTTP shell (auth, problem
 * details, health, logging). Its Odoo is unreachable and it has no job runner to enqueue with (its
 * pg-boss only serves the parts): tests that need those start the whole service with `startTestService`.
 */
export async function buildTestApp(t: Test, overrides: Partial<AppDeps> & { log?: Logger } = {}): Promise<TestApp> {
  const databaseUrl = await createTestDatabase(t)
  const captured = capturedLogger()
  const log = overrides.log ?? captured.log
  await migrate(databaseUrl, log)
  const pool = createPool(databaseUrl, 4, log)
  t.teardown(() => pool.end())
  const clock = fixedClock('2026-11-23T10:00:00Z')
  const config = testConfig({ DATABASE_URL: databaseUrl })
  const odoo = createOdooGateway(config.odoo, { log })
  t.teardown(() => odoo.close())
  const jobs = await startJobRunner({ databaseUrl, log, work: false, poolMax: 2 })
  t.teardown(() => jobs.stop(1000))
  const parts = createServiceParts({ config, pool, odoo, jobs, clock, log })
  const app = await buildApp({ ...appDependencies({ config, parts, role: 'api', jobs: undefined }), ...overrides })
  t.teardown(() => app.close())
  return { app, pool, databaseUrl, apiKeys: parts.apiKeys, audit: parts.audit, clock, logs: captured.output, auth: await keysForEveryRole(parts.apiKeys) }
}

export interface TestService {
  service: Service
  app: App
  pool: Pool
  databaseUrl: string
  clock: ControlledClock
  logs: () => string
  auth: RoleHeaders
}

/**
 * The whole service as production composes it, on a fresh database (or on another service's, as a
 * second process would be) and pointed at a simulator (or at nothing). Schedules are set far in
 * the future so no cron fires during a test.
 */
export async function startTestService(t: Test, options: { odoo?: OdooSimulator; role?: ProcessRole; env?: Record<string, string>; clock?: ControlledClock; databaseUrl?: string } = {}): Promise<TestService> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase(t))
  const captured = capturedLogger()
  const clock = options.clock ?? fixedClock('2026-11-23T10:00:00Z')
  const sim = options.odoo
  const config = testConfig({
    DATABASE_URL: databaseUrl,
    SYNC_CRON: '0 0 1 1 *',
    RECONCILE_CRON: '0 0 1 1 *',
    ODOO_WEBHOOK_TOKEN: 'test-webhook-token-0123456789abcdef',
    ...(sim ? { ODOO_URL: sim.url, ODOO_DB: sim.db, ODOO_USERNAME: sim.login, ODOO_API_KEY: sim.apiKey, ODOO_TIMEOUT_MS: '5000', ODOO_RETRY_BASE_MS: '10' } : {}),
    ...options.env
  })
  const service = await startService({ config, log: captured.log, clock, role: options.role ?? 'api', connectOdoo: (c, l) => createOdooGateway(c, { log: l }) })
  t.teardown(() => service.close())
  return { service, app: service.app, pool: service.pool, databaseUrl, clock, logs: captured.output, auth: await keysForEveryRole(service.apiKeys) }
}

async function keysForEveryRole(apiKeys: ApiKeys): Promise<RoleHeaders> {
  const auth = {} as RoleHeaders
  for (const role of ['admin', 'agent', 'auditor'] as const) {
    const key = await apiKeys.create({ name: `test-${role}`, role })
    auth[role] = { authorization: `Bearer ${key.secret}` }
  }
  return auth
}
