import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'

/** A dependency the service needs; it resolves when the dependency answers and rejects otherwise. */
export type HealthCheck = (signal: AbortSignal) => Promise<void>

const CHECK_TIMEOUT_MS = 2_000

const dependencyStatusSchema = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number().int().optional(),
  error: z.string().optional()
})

const readinessSchema = z
  .object({
    status: z.enum(['ready', 'degraded', 'not_ready']).describe('`degraded`: the API serves, but Odoo does not answer (sync and redaction wait).'),
    checks: z.record(z.string(), dependencyStatusSchema)
  })
  .meta({ id: 'Readiness' })

/**
 * Only the database decides readiness: while Odoo is down the API still serves rights requests
 * and the jobs retry, so Odoo's state is reported, not used to take the instance out of service.
 */
export const healthRoutes: FastifyPluginAsyncZod<{ database: HealthCheck; odoo: HealthCheck }> = async (app, checks) => {
  app.get('/health/live', { schema: { tags: ['health'], summary: 'The process is alive', response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({ status: 'ok' as const }))

  app.get(
    '/health/ready',
    { schema: { tags: ['health'], summary: 'The database and Odoo, checked separately', response: { 200: readinessSchema, 503: readinessSchema } } },
    async (_request, reply) => {
      const [database, odoo] = await Promise.all([probe(checks.database), probe(checks.odoo)])
      const status = database.status === 'down' ? 'not_ready' : odoo.status === 'down' ? 'degraded' : 'ready'
      return reply.code(status === 'not_ready' ? 503 : 200).send({ status, checks: { database, odoo } })
    }
  )
}

async function probe(check: HealthCheck): Promise<z.infer<typeof dependencyStatusSchema>> {
  const started = performance.now()
  const signal = AbortSignal.timeout(CHECK_TIMEOUT_MS)
  const timedOut = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`))))
  try {
    await Promise.race([check(signal), timedOut])
    return { status: 'up', latencyMs: Math.round(performance.now() - started) }
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : 'no answer' }
  }
}
