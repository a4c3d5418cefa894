import { z } from 'zod'
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod'
import { actorOf } from '../../http/plugins/authentication.ts'
import { domainError } from '../../errors/catalogue.ts'
import { problemSchema } from '../../http/schemas/problem.ts'
import { failureDescriptionSchema } from '../../log/failure-description.ts'
import type { SyncRun, SyncRuns } from '../sync-runs.ts'

export const syncRunSchema = z
  .object({
    id: z.uuid(),
    trigger: z.enum(['schedule', 'api', 'cli']),
    state: z.enum(['queued', 'running', 'succeeded', 'failed']),
    requestedBy: z.string(),
    queuedAt: z.date(),
    startedAt: z.date().nullable(),
    finishedAt: z.date().nullable(),
    fetched: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    failed: z.number().int(),
    errors: z.array(failureDescriptionSchema)
  })
  .meta({ id: 'SyncRun' })

export interface SyncRouteDeps {
  runs: SyncRuns
  /** Records a queued run and its job together; returns the active run instead when one exists. */
  requestSync(requestedBy: string): Promise<{ run: SyncRun; created: boolean }>
}

export const syncRoutes: FastifyPluginCallbackZod<SyncRouteDeps> = (app, deps, done) => {
  app.post(
    '/v1/sync',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['sync'],
        summary: 'Start a sync of orders, deliveries and contacts from Odoo',
        description: 'Answers 202 with the new run, or 200 with the run already queued or running (one sync at a time).',
        response: { 202: syncRunSchema, 200: syncRunSchema }
      }
    },
    async (request, reply) => {
      const { run, created } = await deps.requestSync(actorOf(request))
      return reply.code(created ? 202 : 200).send(run)
    }
  )

  app.get(
    '/v1/sync/runs',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags: ['sync'],
        summary: 'Recent sync runs, newest first',
        querystring: z.object({ before: z.coerce.date().optional().describe('Cursor: the `nextCursor` of the previous page.'), limit: z.coerce.number().int().min(1).max(100).default(20) }),
        response: { 200: z.object({ items: z.array(syncRunSchema), nextCursor: z.date().nullable() }) }
      }
    },
    async (request) => {
      const items = await deps.runs.list(request.query)
      return { items, nextCursor: items.length === request.query.limit ? (items.at(-1)?.queuedAt ?? null) : null }
    }
  )

  app.get(
    '/v1/sync/runs/:id',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: { tags: ['sync'], summary: 'One sync run: state, counts and errors', params: z.object({ id: z.uuid() }), response: { 200: syncRunSchema, 404: problemSchema } }
    },
    async (request) => {
      const run = await deps.runs.get(request.params.id)
      if (!run) throw domainError('not_found', `No sync run has the id ${request.params.id}.`)
      return run
    }
  )
  done()
}
