import { randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify'
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { ApiKeys } from '../auth/api-keys.ts'
import type { AuditTrail } from '../audit/audit-trail.ts'
import type { Logger } from '../log/logger.ts'
import { authentication } from './plugins/authentication.ts'
import { openapi } from './plugins/openapi.ts'
import { securityHeaders } from './plugins/security-headers.ts'
import { CONSOLE_DIR, consoleUi } from './plugins/console.ts'
import { problemOf, toProblem } from './problems.ts'
import { domainError } from '../errors/catalogue.ts'
import { healthRoutes } from './routes/health.ts'
import type { HealthCheck } from './routes/health.ts'
import { apiKeyRoutes } from './routes/api-keys.ts'
import { auditRoutes } from './routes/audit.ts'
import { syncRoutes } from '../mirror/http/sync-routes.ts'
import type { SyncRouteDeps } from '../mirror/http/sync-routes.ts'
import { webhookRoute } from '../mirror/http/webhook-route.ts'
import type { WebhookRouteDeps } from '../mirror/http/webhook-route.ts'
import { orderRoutes } from '../mirror/http/order-routes.ts'
import type { OrderViews } from '../mirror/order-views.ts'
import { retentionRoutes } from '../retention/http/retention-routes.ts'
import { requestRoutes } from '../rights/http/request-routes.ts'
import { forwardEmailRoute } from '../intake/http/forwardemail-route.ts'
import { outboxRoutes } from '../mail/http/outbox-routes.ts'
import type { OutboxRouteDeps } from '../mail/http/outbox-routes.ts'
import type { IntakeRouteDeps } from '../intake/http/forwardemail-route.ts'
import type { RequestRouteDeps } from '../rights/http/request-routes.ts'
import type { RetentionRouteDeps } from '../retention/http/retention-routes.ts'
import { metricsPlugin } from '../metrics/http/metrics-plugin.ts'
import type { Metrics } from '../metrics/metrics.ts'
import type { RateLimits } from './rate-limit/rate-limits.ts'

export interface AppDeps {
  log: Logger
  version: string
  swaggerUi: boolean
  apiKeys: ApiKeys
  audit: AuditTrail
  /** Counted in PostgreSQL: failed authentications, code confirmations, intake per sender. */
  rateLimits: RateLimits
  health: { database: HealthCheck; odoo: HealthCheck }
  retention: RetentionRouteDeps
  rights: RequestRouteDeps
  intake: IntakeRouteDeps
  outbox: OutboxRouteDeps
  mirror: SyncRouteDeps & { orders: OrderViews; webhookToken: WebhookRouteDeps['token']; enqueueRecordSync: WebhookRouteDeps['enqueueRecordSync'] }
  /** `health`: only the probes, for worker processes (Kubernetes still needs them). */
  surface?: 'full' | 'health'
  /** This app's registry, served at `/metrics` (full surface only); without it there is no `/metrics`. */
  metrics?: Metrics
  /** Where the built console is served from (`/console/`); default `dist/console`. */
  consoleDir?: string
  /** Fastify's `trustProxy`: which peers' X-Forwarded-For gives `request.ip` (`TRUST_PROXY`); default none. */
  trustProxy?: boolean | string[]
}

export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>

const REQUEST_ID = /^[\w.:-]{1,128}$/

/** Builds the HTTP application from its dependencies; it does not listen (src/server.ts does). */
export async function buildApp(deps: AppDeps): Promise<App> {
  // Typed as fastify's base logger, not pino's, so that the app's type is `App`.
  const loggerInstance: FastifyBaseLogger = deps.log.child({}, { serializers: { req: describeRequest } })
  const app = Fastify({
    loggerInstance,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: 1_048_576,
    trustProxy: deps.trustProxy ?? false,
    // Errors fastify raises before routing (a path too long, a bad URL) get problem details too.
    frameworkErrors: (error, request, reply) => {
      const problem = toProblem(error, request.id)
      void (reply as FastifyReply).code(problem.status).type('application/problem+json').send(problem)
    },
  }).withTypeProvider<ZodTypeProvider>()

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.addHook('onRequest', async (request, reply) => {
    if (!REQUEST_ID.test(request.id)) request.id = randomUUID()
    void reply.header('x-request-id', request.id)
  })
  app.setErrorHandler((error, request, reply) => {
    const problem = toProblem(error, request.id)
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
    else request.log.info({ status: problem.status, type: problem.type }, 'request rejected')
    return reply.code(problem.status).type('application/problem+json').send(problem)
  })
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).type('application/problem+json').send(problemOf(domainError('not_found', `No route ${request.method} ${new URL(request.url, 'http://x').pathname}.`), request.id))
  )

  await app.register(securityHeaders)
  if (deps.metrics && deps.surface !== 'health') await app.register(metricsPlugin, { metrics: deps.metrics })
  await app.register(authentication, { apiKeys: deps.apiKeys, rateLimits: deps.rateLimits })
  await app.register(openapi, { version: deps.version, swaggerUi: deps.swaggerUi && deps.surface !== 'health' })
  await app.register(healthRoutes, deps.health)
  if (deps.surface !== 'health') {
    await app.register(apiKeyRoutes, { apiKeys: deps.apiKeys, audit: deps.audit })
    await app.register(auditRoutes, { audit: deps.audit })
    await app.register(syncRoutes, deps.mirror)
    await app.register(webhookRoute, { token: deps.mirror.webhookToken, enqueueRecordSync: deps.mirror.enqueueRecordSync })
    await app.register(orderRoutes, { orders: deps.mirror.orders, audit: deps.audit })
    await app.register(retentionRoutes, deps.retention)
    await app.register(requestRoutes, { ...deps.rights, rateLimits: deps.rateLimits })
    await app.register(forwardEmailRoute, { ...deps.intake, rateLimits: deps.rateLimits })
    await app.register(outboxRoutes, deps.outbox)
    await app.register(consoleUi, { dir: deps.consoleDir ?? CONSOLE_DIR })
  }
  return app
}

// The route pattern, not the URL: query strings and path parameters can carry personal data or
// secrets (the Odoo webhook token), and logs must carry neither.
function describeRequest(request: FastifyRequest) {
  return { method: request.method, route: request.routeOptions.url ?? 'unmatched', requestId: request.id }
}
