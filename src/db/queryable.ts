import type { QueryConfig } from 'pg'
import type { PoolClient } from './database.ts'

/** What a store's statements run on: the pool, or a client inside the caller's transaction. */
export type Queryable = Pick<PoolClient, 'query'>

/**
 * A statement that ends after `queryTimeoutMs`, with pg's per-query `query_timeout` (missing from
 * its types): /metrics gives up on a slow database rather than pile up scrapes.
 */
export function statementWithTimeout(text: string, values: unknown[], queryTimeoutMs?: number): QueryConfig {
  return { text, values, ...(queryTimeoutMs === undefined ? {} : { query_timeout: queryTimeoutMs }) } as QueryConfig
}
