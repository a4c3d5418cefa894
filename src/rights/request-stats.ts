import { z } from 'zod'
import type { Pool } from '../db/database.ts'
import { countRequestsPerWeek } from './request-store.ts'

const DAY_MS = 86_400_000
const WEEK_MS = 7 * DAY_MS
/** Two years of weeks at most in one call. */
export const MAX_STATS_WEEKS = 104

export const requestStatsQuerySchema = z.object({
  weeks: z.coerce.number().int().min(1).max(MAX_STATS_WEEKS).default(12).describe('How many ISO weeks, the current one last.')
})

export const requestStatsSchema = z
  .object({
    asOf: z.date(),
    weeks: z
      .array(
        z.object({
          week: z.string().describe('The ISO 8601 week, e.g. `2026-W49`.'),
          startsAt: z.date().describe('Its Monday, 00:00 UTC.'),
          opened: z.number().int().describe('Requests received in the week.'),
          closed: z.number().int().describe('Requests completed, denied or withdrawn in the week.'),
          overdue: z.number().int().describe('Requests whose deadline passed in the week before they were closed (closed late, or still open).')
        })
      )
      .describe('Oldest first; the last is the current week, counted up to now.')
  })
  .meta({ id: 'RequestStats' })
export type RequestStats = z.infer<typeof requestStatsSchema>

/** Monday 00:00 UTC of the ISO week `at` falls in. */
export function isoWeekStart(at: Date): Date {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate())
  return new Date(midnight - ((at.getUTCDay() + 6) % 7) * DAY_MS)
}

/** `2026-W49`: an ISO week belongs to the year of its Thursday, and week 1 is the one with the year's first Thursday. */
export function isoWeekLabel(weekStart: Date): string {
  const thursday = new Date(weekStart.getTime() + 3 * DAY_MS)
  const year = thursday.getUTCFullYear()
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK_MS) + 1
  return `${year}-W${String(week).padStart(2, '0')}`
}

/** Requests opened, closed and gone overdue in each of the last `weeks` ISO weeks (UTC), computed from the requests and their history. */
export async function requestStats(pool: Pool, now: Date, weeks: number): Promise<RequestStats> {
  const current = isoWeekStart(now)
  const starts = Array.from({ length: weeks }, (_, i) => new Date(current.getTime() - (weeks - 1 - i) * WEEK_MS))
  const since = starts[0] ?? current
  const counts = await countRequestsPerWeek(pool, { since, until: new Date(current.getTime() + WEEK_MS), now })
  const countOf = (start: Date, kind: string) => counts.find((count) => count.week.getTime() === start.getTime() && count.kind === kind)?.n ?? 0
  return {
    asOf: now,
    weeks: starts.map((startsAt) => ({ week: isoWeekLabel(startsAt), startsAt, opened: countOf(startsAt, 'opened'), closed: countOf(startsAt, 'closed'), overdue: countOf(startsAt, 'overdue') }))
  }
}
