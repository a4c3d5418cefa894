import fp from 'fastify-plugin'
import type { FastifyBaseLogger } from 'fastify'
import { HttpProblem } from '../http/problems.ts'
import type { Metrics } from './metrics.ts'

/**
 * Times every request into the per-app registry and serves it at `GET /metrics` in Prometheus'
 * text format. The route is public, as scrapers expect: restrict it at the network (it names no
 * person, but it shows volumes). Registered before the routes, so its hook sees all of them.
 */
export const metricsPlugin = fp<{ metrics: Metrics }>(
  async (app, { metrics }) => {
    app.addHook('onResponse', async (request, reply) => {
      // The route pattern, never the URL: paths and query strings can carry personal data or tokens.
      const route = request.routeOptions.url ?? 'unmatched'
      metrics.httpRequestDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000)
    })

    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      const text = await scrape(metrics, request.log)
      return reply.type(metrics.registry.contentType).send(text)
    })
  },
  { name: 'metrics' }
)

/** The registry's text, or a 503 when the database fails or does not answer within the scrape timeout. */
async function scrape(metrics: Metrics, log: FastifyBaseLogger): Promise<string> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${metrics.scrapeTimeoutMs} ms`)), metrics.scrapeTimeoutMs)
  })
  try {
    return await Promise.race([metrics.registry.metrics(), timeout])
  } catch (error) {
    log.warn({ err: { message: error instanceof Error ? error.message : 'unknown' } }, 'metrics scrape failed')
    throw new HttpProblem(503, 'metrics-unavailable', 'Service Unavailable', 'The figures could not be read from the database; see the service log.')
  } finally {
    clearTimeout(timer)
  }
}
