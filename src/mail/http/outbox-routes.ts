import { z } from 'zod'
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod'
import type { Pool } from '../../db/database.ts'
import { listOutbox, outboxEntrySchema, outboxStateSchema } from '../outbox.ts'

export interface OutboxRouteDeps {
  pool: Pool
}

/** Where mail to requesters stands, for an admin to spot what waits or was refused. */
export const outboxRoutes: FastifyPluginCallbackZod<OutboxRouteDeps> = (app, deps, done) => {
  app.get(
    '/v1/outbox',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['outbox'],
        summary: 'Mail to requesters, in the order it was queued: what waits, what went, what was refused',
        description: 'Recipients, subjects and bodies are personal data and are never shown.',
        querystring: z.object({
          state: outboxStateSchema.optional(),
          after: z.string().regex(/^\d{1,18}$/).optional().describe('Cursor: the `nextCursor` of the previous page.'),
          limit: z.coerce.number().int().min(1).max(200).default(50)
        }),
        response: { 200: z.object({ items: z.array(outboxEntrySchema), nextCursor: z.string().nullable() }) }
      }
    },
    async (request) => listOutbox(deps.pool, request.query)
  )
  done()
}
