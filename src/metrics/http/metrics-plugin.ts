import { createHash, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyBaseLogger, onRequestHookHandler } from 'fastify'
import { bearerToken } from '../../http/plugins/authentication.ts'
import { domainError } from '../../errors/catalogue.ts'
import type { Metrics } from '../metrics.ts'

/**
 * Times every request into the per-app registry and serves it at `GET /metrics` in Prometheus'
 * text format. Without METRICS_TOKEN the route is public, as scrapers expect: restrict it at the
 * network (it names no person, but it shows volumes); with it, a scrape must send the token as
 * a bearer token (Prometheus: `authorization: { credentials: … }`). Registered before the
 * routes, so its hook sees all of them.
 */
export const metricsPlugin = fp<{ metrics: Metrics }>(
  (app, { metrics }, done) => {
    app.addHook('onResponse', async (request, reply) => {
      // The route pattern, never the URL: paths and query strings can carry personal data or tokens.
      const route = request.routeOptions.url ?? 'unmatched'
      metrics.httpRequestDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000)
    })

    const onRequest = metrics.scrapeToken === undefined ? [] : [requireScrapeToken(metrics.scrapeToken)]
    app.get('/metrics', { schema: { hide: true }, onRequest }, async (request, reply) => {
      const text = await scrape(metrics, request.log)
      return reply.type(metrics.registry.contentType).send(text)
    })
    done()
  },
  { name: 'metrics' }
)

/** Compared as digests, so the comparison takes the same time whatever the length or content presented. */
function requireScrapeToken(token: string): onRequestHookHandler {
  const expected = digest(token)
  return (request, _reply, done) => {
    const presented = bearerToken(request.headers.authorization)
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      done(domainError('unauthorized', 'Send the metrics token (METRICS_TOKEN) as `Authorization: Bearer <token>`.'))
      return
    }
    done()
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

/** The registry's text, or a 503 when the database fails or does not answer within the scrape timeout. */
async function scrape(metrics: Metrics, log: FastifyBaseLogger): Promise<string> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${metrics.scrapeTimeoutMs} ms`))
    }, metrics.scrapeTimeoutMs)
  })
  try {
    return await Promise.race([metrics.registry.metrics(), timeout])
  } catch (error) {
    log.warn({ err: { message: error instanceof Error ? error.message : 'unknown' } }, 'metrics scrape failed')
    throw domainError('metrics_unavailable')
  } finally {
    clearTimeout(timer)
  }
}
