import { z } from 'zod'
import type { FastifyBaseLogger } from 'fastify'
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod'

/**
 * A dependency the service needs; it resolves when the dependency answers (with `degraded` when it
 * answers but cannot do all the service needs of it) and rejects otherwise.
 */
export type HealthCheck = (signal: AbortSignal) => Promise<void> | Promise<'degraded' | undefined>

const CHECK_TIMEOUT_MS = 2_000

const dependencyStatusSchema = z.object({ status: z.enum(['up', 'degraded', 'down']) })

export const readinessSchema = z
  .object({
    status: z
      .enum(['ready', 'degraded', 'not_ready'])
      .describe("`degraded`: the API serves, but Odoo does not answer or its user lacks a right the service needs (sync or redaction wait; `privacy-bridge odoo check` names the right)."),
    checks: z
      .object({ database: dependencyStatusSchema, odoo: dependencyStatusSchema })
      .describe('Up, degraded or down only; why is in the service log and in `privacy-bridge odoo check`.')
  })
  .meta({ id: 'Readiness' })

/**
 * Only the database decides readiness: while Odoo is down the API still serves rights requests
 * and the jobs retry, so Odoo's state is reported, not used to take the instance out of service.
 * The route is public (probes carry no key), so it says up, degraded or down and nothing more:
 * error texts name hosts, ports and database users, and go to the log instead.
 */
export const healthRoutes: FastifyPluginCallbackZod<{ database: HealthCheck; odoo: HealthCheck }> = (app, checks, done) => {
  app.get('/health/live', { schema: { tags: ['health'], summary: 'The process is alive', response: { 200: z.object({ status: z.literal('ok') }) } } }, () => ({ status: 'ok' as const }))

  app.get(
    '/health/ready',
    { schema: { tags: ['health'], summary: 'The database and Odoo, checked separately', response: { 200: readinessSchema, 503: readinessSchema } } },
    async (request, reply) => {
      const [database, odoo] = await Promise.all([probe('database', checks.database, request.log), probe('odoo', checks.odoo, request.log)])
      const status = database.status === 'down' ? 'not_ready' : odoo.status === 'up' ? 'ready' : 'degraded'
      return reply.code(status === 'not_ready' ? 503 : 200).send({ status, checks: { database, odoo } })
    }
  )
  done()
}

async function probe(dependency: string, check: HealthCheck, log: FastifyBaseLogger): Promise<z.infer<typeof dependencyStatusSchema>> {
  const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS)
  const timedOut = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => {
      reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`))
    })
  })
  try {
    if ((await Promise.race([check(signal), timedOut])) !== 'degraded') return { status: 'up' }
    log.warn({ dependency }, 'readiness check degraded: it answers but cannot do all the service needs (for Odoo: `privacy-bridge odoo check` says what is missing)')
    return { status: 'degraded' }
  } catch (error) {
    // The checks reach the database and Odoo's version endpoint only: their errors carry no personal data.
    log.warn({ dependency, reason: error instanceof Error ? error.message : 'no answer' }, 'readiness check failed')
    return { status: 'down' }
  }
}
