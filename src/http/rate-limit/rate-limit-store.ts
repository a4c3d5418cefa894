import type { Pool } from '../../db/database.ts'

/** How many expired counters a new window deletes: enough to keep the table at its live size. */
const EXPIRED_PER_NEW_WINDOW = 100

export interface WindowState {
  hits: number
  resetsAt: Date
}

export interface CounterRef {
  limit: string
  key: string
}

/**
 * Takes one slot of the key's current window, in one statement, so that concurrent callers on any
 * number of processes never take more than `max`: a window that has ended starts again at 1; a
 * full one is left as it is. Returns the window after the hit, or null when it was full.
 */
export async function takeSlot(pool: Pool, counter: CounterRef, max: number, now: Date, windowMs: number): Promise<WindowState | null> {
  const result = await pool.query<{ hits: number; resets_at: Date }>(
    `INSERT INTO rate_limit_counters AS c (limit_name, key, hits, resets_at) VALUES ($1, $2, 1, $4)
     ON CONFLICT (limit_name, key) DO UPDATE
        SET hits = CASE WHEN c.resets_at <= $3 THEN 1 ELSE c.hits + 1 END,
            resets_at = CASE WHEN c.resets_at <= $3 THEN EXCLUDED.resets_at ELSE c.resets_at END
      WHERE c.resets_at <= $3 OR c.hits < $5
     RETURNING hits, resets_at`,
    [counter.limit, counter.key, now, new Date(now.getTime() + windowMs), max]
  )
  const row = result.rows[0]
  if (!row) return null
  if (row.hits === 1) await deleteExpired(pool, now)
  return { hits: row.hits, resetsAt: row.resets_at }
}

/** The key's window as it stands, if one is running. */
export async function currentWindow(pool: Pool, counter: CounterRef, now: Date): Promise<WindowState | null> {
  const result = await pool.query<{ hits: number; resets_at: Date }>('SELECT hits, resets_at FROM rate_limit_counters WHERE limit_name = $1 AND key = $2 AND resets_at > $3', [counter.limit, counter.key, now])
  const row = result.rows[0]
  return row ? { hits: row.hits, resetsAt: row.resets_at } : null
}

// A few at a time, skipping rows another process is counting on: the table never holds many
// more counters than are live, and no request waits on the clean-up.
async function deleteExpired(pool: Pool, now: Date): Promise<void> {
  await pool.query(
    `DELETE FROM rate_limit_counters WHERE (limit_name, key) IN (
       SELECT limit_name, key FROM rate_limit_counters WHERE resets_at <= $1 ORDER BY resets_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [now, EXPIRED_PER_NEW_WINDOW]
  )
}
