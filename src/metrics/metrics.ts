import { Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Clock } from '../clock.ts'
import type { Pool } from '../db/database.ts'
import { registerDatabaseGauges } from './database-gauges.ts'
import { METRIC_PREFIX } from './metric-prefix.ts'

const DEFAULT_SCRAPE_TIMEOUT_MS = 3_000

export type HttpLabel = 'method' | 'route' | 'status_code'

export interface Metrics {
  registry: Registry
  httpRequestDuration: Histogram<HttpLabel>
  /** How long a scrape may wait for the database before it answers 503. */
  scrapeTimeoutMs: number
  /** The bearer token a scrape must present (METRICS_TOKEN); without one, `/metrics` is public. */
  scrapeToken: string | undefined
}

/**
 * One registry per app, never prom-client's global one: tests build several apps in one process,
 * and each service reports only its own HTTP traffic. Figures read from the database (sync, PII,
 * jobs, rights requests) are collected at scrape time; labels are channels, queues, states,
 * methods, route patterns and status codes, never anything about a person.
 */
export function createMetrics(deps: { pool: Pool; clock: Clock; scrapeTimeoutMs?: number; scrapeToken?: string | undefined }): Metrics {
  const registry = new Registry()
  const scrapeTimeoutMs = deps.scrapeTimeoutMs ?? DEFAULT_SCRAPE_TIMEOUT_MS
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX })
  const httpRequestDuration = new Histogram<HttpLabel>({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'HTTP requests by method, route pattern (never the URL) and status code.',
    labelNames: ['method', 'route', 'status_code'],
    registers: [registry]
  })
  registerDatabaseGauges(registry, { pool: deps.pool, clock: deps.clock, queryTimeoutMs: scrapeTimeoutMs })
  return { registry, httpRequestDuration, scrapeTimeoutMs, scrapeToken: deps.scrapeToken }
}
