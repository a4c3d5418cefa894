import { z } from 'zod'

/** RFC 9457 problem details: the one body shape of every error the API returns. */
export const problemSchema = z
  .object({
    type: z.string().describe('A URI naming the kind of problem, e.g. `urn:problem:validation`.'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Field errors, for validation problems.'),
    allowed: z.array(z.string()).optional().describe('For state conflicts: the transitions allowed from the current state.')
  })
  .meta({ id: 'Problem' })

export type Problem = z.infer<typeof problemSchema>

export const problemResponses = {
  400: problemSchema.describe('The request is malformed or fails validation.'),
  401: problemSchema.describe('No API key, or an unknown or revoked one.'),
  403: problemSchema.describe("The key's role may not do this.")
} as const

/** A 429 of a rate limit: the problem, and when to try again. */
export function rateLimitedResponse(description: string) {
  return problemSchema.meta({ description, headers: { 'Retry-After': { type: 'integer', minimum: 1, description: 'With `urn:problem:rate-limited`: seconds until the limit lets a call through again.' } } })
}
