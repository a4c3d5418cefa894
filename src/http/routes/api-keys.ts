import { z } from 'zod'
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod'
import type { ApiKey, ApiKeys } from '../../auth/api-keys.ts'
import { roleSchema } from '../../auth/roles.ts'
import type { AuditTrail } from '../../audit/audit-trail.ts'
import { actorOf } from '../plugins/authentication.ts'
import { domainError } from '../../errors/catalogue.ts'
import { problemSchema } from '../schemas/problem.ts'

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: roleSchema,
    createdAt: z.date(),
    revokedAt: z.date().nullable()
  })
  .meta({ id: 'ApiKey' })

export const createdApiKeySchema = apiKeySchema
  .extend({ key: z.string().describe('The API key. Shown once: only a hash is stored.') })
  .meta({ id: 'CreatedApiKey', example: { id: '3f9a1c0b7d2e', name: 'support-desk', role: 'agent', createdAt: '2026-11-23T09:00:00.000Z', revokedAt: null, key: 'pbk_3f9a1c0b7d2e_…' } })

const createApiKeySchema = z
  .object({ name: z.string().trim().min(1).max(100), role: roleSchema })
  .meta({ id: 'CreateApiKey', example: { name: 'support-desk', role: 'agent' } })

const ADMIN = ['admin'] as const

export const apiKeyRoutes: FastifyPluginCallbackZod<{ apiKeys: ApiKeys; audit: AuditTrail }> = (app, { apiKeys, audit }, done) => {
  app.get(
    '/v1/keys',
    { config: { roles: ADMIN }, schema: { tags: ['keys'], summary: 'List API keys (never their secrets)', response: { 200: z.object({ items: z.array(apiKeySchema) }) } } },
    async () => ({ items: await apiKeys.list() })
  )

  // The console shows the menus of the key's role: it asks here once, after sign-in.
  app.get(
    '/v1/me',
    {
      config: { roles: roleSchema.options },
      schema: { tags: ['keys'], summary: 'The key making the call: its id, name and role', response: { 200: apiKeySchema } }
    },
    (request) => Promise.resolve(request.apiKey as ApiKey)
  )

  app.post(
    '/v1/keys',
    { config: { roles: ADMIN }, schema: { tags: ['keys'], summary: 'Create an API key; the key is in this response only', body: createApiKeySchema, response: { 201: createdApiKeySchema } } },
    async (request, reply) => {
      const created = await apiKeys.create(request.body)
      await audit.record({ actor: actorOf(request), action: 'api_key.created', subject: { type: 'api_key', id: created.id }, requestId: request.id, details: { role: created.role } })
      const { secret, ...key } = created
      return reply.code(201).send({ ...key, key: secret })
    }
  )

  app.delete(
    '/v1/keys/:id',
    {
      config: { roles: ADMIN },
      schema: { tags: ['keys'], summary: 'Revoke an API key', params: z.object({ id: z.string() }), response: { 200: apiKeySchema, 404: problemSchema } }
    },
    async (request) => {
      const revoked = await apiKeys.revoke(request.params.id)
      if (!revoked) throw domainError('not_found', `No API key has the id ${request.params.id}.`)
      await audit.record({ actor: actorOf(request), action: 'api_key.revoked', subject: { type: 'api_key', id: revoked.id }, requestId: request.id })
      return revoked
    }
  )
  done()
}
