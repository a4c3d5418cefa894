import type { Test } from 'tap'
import { createPool } from '../../src/db/database.ts'
import type { Pool } from '../../src/db/database.ts'
import { migrate } from '../../src/db/migrate.ts'
import { createApiKeys } from '../../src/auth/api-keys.ts'
import type { ApiKeys } from '../../src/auth/api-keys.ts'
import type { Role } from '../../src/auth/roles.ts'
import { createAuditTrail } from '../../src/audit/audit-trail.ts'
import type { AuditTrail } from '../../src/audit/audit-trail.ts'
import { buildApp } from '../../src/http/app.ts'
import type { App, AppDeps } from '../../src/http/app.ts'
import type { Clock } from '../../src/clock.ts'
import type { Logger } from '../../src/log/logger.ts'
import { createTestDatabase } from './database.ts'
import { capturedLogger } from './logs.ts'
import { fixedClock } from './clock.ts'

export interface TestApp {
  app: App
  pool: Pool
  databaseUrl: string
  apiKeys: ApiKeys
  audit: AuditTrail
  clock: Clock
  logs: () => string
  /** `Authorization` headers of one fresh key per role. */
  auth: Record<Role, { authorization: string }>
}

/** The HTTP app over a migrated test database, with one API key per role. */
export async function buildTestApp(t: Test, overrides: Partial<AppDeps> & { log?: Logger } = {}): Promise<TestApp> {
  const databaseUrl = await createTestDatabase(t)
  const captured = capturedLogger()
  const log = overrides.log ?? captured.log
  await migrate(databaseUrl, log)
  const pool = createPool(databaseUrl, 4, log)
  t.teardown(() => pool.end())
  const clock = fixedClock('2026-11-23T10:00:00Z')
  const apiKeys = createApiKeys({ pool, clock })
  const audit = createAuditTrail({ pool, clock })
  const app = await buildApp({
    log,
    version: '0.0.0-test',
    swaggerUi: true,
    apiKeys,
    audit,
    health: { database: async () => void (await pool.query('SELECT 1')), odoo: async () => undefined },
    ...overrides
  })
  t.teardown(() => app.close())
  const auth = {} as TestApp['auth']
  for (const role of ['admin', 'agent', 'auditor'] as const) {
    const key = await apiKeys.create({ name: `test-${role}`, role })
    auth[role] = { authorization: `Bearer ${key.secret}` }
  }
  return { app, pool, databaseUrl, apiKeys, audit, clock, logs: captured.output, auth }
}
