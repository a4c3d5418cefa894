import { z } from 'zod'
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod'
import type { AuditTrail } from '../../audit/audit-trail.ts'
import { CHAIN_VERIFIED_ACTION } from '../../audit/verify-audit-chain.job.ts'

const auditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.date(),
    actor: z.string().describe('`key:<id>` of the API key that acted, or `system`.'),
    action: z.string(),
    subjectType: z.string().nullable(),
    subjectId: z.string().nullable(),
    outcome: z.enum(['success', 'failure', 'denied']),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string()
  })
  .meta({ id: 'AuditEntry' })

const chainVerdictSchema = z
  .object({ ok: z.boolean(), entries: z.number().int(), brokenAt: z.number().int().optional(), reason: z.string().optional() })
  .meta({ id: 'AuditChainVerdict' })

const lastCheckSchema = z
  .object({
    lastCheck: z
      .object({ at: z.date(), ok: z.boolean(), entries: z.number().int().describe('Entries the chain had when it was checked.'), brokenAt: z.number().int().optional() })
      .nullable()
      .describe('The newest recorded check of the whole chain (the nightly job, 03:17 UTC); null before the first.')
  })
  .meta({ id: 'AuditChainLastCheck' })

const READERS = ['admin', 'auditor'] as const

export const auditRoutes: FastifyPluginCallbackZod<{ audit: AuditTrail }> = (app, { audit }, done) => {
  app.get(
    '/v1/audit',
    {
      config: { roles: READERS },
      schema: {
        tags: ['audit'],
        summary: 'Read the audit trail, oldest first',
        querystring: z.object({
          action: z.string().optional(),
          subjectType: z.string().optional(),
          subjectId: z.string().optional(),
          after: z.coerce.number().int().nonnegative().optional().describe('Cursor: the `nextCursor` of the previous page.'),
          limit: z.coerce.number().int().min(1).max(500).default(100)
        }),
        response: { 200: z.object({ items: z.array(auditEntrySchema), nextCursor: z.number().int().nullable() }) }
      }
    },
    async (request) => {
      const { after, limit, ...filters } = request.query
      const items = await audit.list({ ...filters, afterId: after, limit })
      return { items, nextCursor: items.length === limit ? (items.at(-1)?.id ?? null) : null }
    }
  )

  app.get(
    '/v1/audit/verify',
    { config: { roles: READERS }, schema: { tags: ['audit'], summary: 'Check the hash chain of the whole audit trail', response: { 200: chainVerdictSchema } } },
    async () => audit.verify()
  )

  app.get(
    '/v1/audit/verification',
    {
      config: { roles: READERS },
      schema: {
        tags: ['audit'],
        summary: 'The last recorded check of the hash chain',
        description: 'What the nightly check found, read from its audit entry: answers at once however long the trail is, where `GET /v1/audit/verify` rehashes every entry.',
        response: { 200: lastCheckSchema }
      }
    },
    async () => {
      const entry = await audit.newest(CHAIN_VERIFIED_ACTION)
      if (!entry) return { lastCheck: null }
      const { entries, brokenAt } = entry.details as { entries: number; brokenAt?: number }
      return { lastCheck: { at: entry.at, ok: entry.outcome === 'success', entries, ...(brokenAt === undefined ? {} : { brokenAt }) } }
    }
  )
  done()
}
