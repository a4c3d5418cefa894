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
    rateLimits: unavailable('rate limits'),
    health: { database: unavailable('health'), odoo: unavailable('health') },
    rights: { pool: unavailable('database'), clock: unavailable('clock'), rights: unavailable('rights') },
    outbox: { pool: unavailable('database') },
    intake: { webhookKey: undefined, allowUnsigned: false, bodyLimit: 1_048_576, receive: unavailable('intake') },
    retention: {
      pool: unavailable('database'),
      clock: unavailable('clock'),
      audit: unavailable('audit'),
      policies: unavailable('policies'),
      holds: unavailable('holds'),
      planner: unavailable('planner'),
      backlog: unavailable('backlog'),
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
  return `${JSON.stringify(withSortedComponents(document), null, 2)}\n`
}

// Components are listed in the order zod registered them, which follows module import order:
// sorted, the committed document does not change when an import moves.
function withSortedComponents(document: object): object {
  const { components } = document as { components?: { schemas?: Record<string, unknown> } }
  const schemas = components?.schemas
  if (!schemas) return document
  const sorted = Object.fromEntries(Object.keys(schemas).sort().map((name) => [name, schemas[name]]))
  return { ...document, components: { ...components, schemas: sorted } }
}

function unavailable<T extends object>(name: string): T {
  const fail = () => {
    throw new Error(`${name} is not available while generating the OpenAPI document`)
  }
  return new Proxy(fail, { get: () => fail }) as unknown as T
}
