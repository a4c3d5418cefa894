import type { Logger } from '../log/logger.ts'
import { SERVICE_VERSION } from '../version.ts'
import { buildApp } from './app.ts'
import type { AppDeps } from './app.ts'

/**
 * The OpenAPI document as the running service serves it, built without a database: routes only
 * need their dependencies when called, and nothing is called while the document is generated.
 */
export async function generateOpenApiDocument(log: Logger): Promise<string> {
  const app = await buildApp({
    log,
    version: SERVICE_VERSION,
    swaggerUi: false,
    apiKeys: unavailable('apiKeys'),
    audit: unavailable('audit'),
    health: { database: unavailable('health'), odoo: unavailable('health') },
    retention: {
      pool: unavailable('database'),
      clock: unavailable('clock'),
      audit: unavailable('audit'),
      policies: unavailable('policies'),
      holds: unavailable('holds'),
      planner: unavailable('planner'),
      sweep: unavailable('sweep')
    },
    mirror: {
      runs: unavailable('sync runs'),
      orders: unavailable('orders'),
      requestSync: unavailable('sync'),
      enqueueRecordSync: unavailable('sync'),
      webhookToken: 'documentation-only-token-000000'
    }
  } satisfies AppDeps)
  await app.ready()
  const document = app.swagger()
  await app.close()
  return `${JSON.stringify(document, null, 2)}\n`
}

function unavailable<T extends object>(name: string): T {
  const fail = () => {
    throw new Error(`${name} is not available while generating the OpenAPI document`)
  }
  return new Proxy(fail, { get: () => fail }) as unknown as T
}
