import { systemClock } from '../clock.ts'
import { loadConfig, SAMPLE_PII_KEY } from '../config/env.ts'
import { createPool } from '../db/database.ts'
import { createJobRunner } from '../jobs/job-runner.ts'
import type { Logger } from '../log/logger.ts'
import { createOdooGateway } from '../odoo/gateway.ts'
import { appDependencies, createServiceParts } from '../service.ts'
import { buildApp } from './app.ts'

// The routes and their schemas are the same under any configuration: the document is generated
// under the defaults, with placeholders where the environment has no default.
const DOCUMENTATION_ENV = {
  PII_ENCRYPTION_KEY: SAMPLE_PII_KEY,
  ODOO_URL: 'http://127.0.0.1:9',
  ODOO_DB: 'documentation',
  ODOO_USERNAME: 'documentation',
  ODOO_API_KEY: 'documentation',
  SWAGGER_UI: 'false'
}
const NEVER_CONNECTED_DATABASE = 'postgres://documentation@127.0.0.1:9/documentation'

/**
 * The OpenAPI document as the running service serves it, built from the service's own parts
 * without a database: a pg pool connects on its first query, pg-boss when started, the Odoo
 * gateway on its first call, and nothing is called while the document is generated.
 */
export async function generateOpenApiDocument(log: Logger): Promise<string> {
  const config = loadConfig(DOCUMENTATION_ENV)
  const pool = createPool(NEVER_CONNECTED_DATABASE, 1, log)
  const odoo = createOdooGateway(config.odoo, { log })
  const jobs = createJobRunner({ databaseUrl: NEVER_CONNECTED_DATABASE, log, work: false })
  try {
    const parts = createServiceParts({ config, pool, odoo, jobs, clock: systemClock, log })
    const app = await buildApp(appDependencies({ config, parts, role: 'api', jobs }))
    await app.ready()
    const document = app.swagger()
    await app.close()
    return `${JSON.stringify(withSortedComponents(document), null, 2)}\n`
  } finally {
    await odoo.close()
    await pool.end()
  }
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
