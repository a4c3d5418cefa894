import type { PoolClient } from './database.ts'

/** What a store's statements run on: the pool, or a client inside the caller's transaction. */
export type Queryable = Pick<PoolClient, 'query'>
