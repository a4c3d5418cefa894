import { z } from 'zod'
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod'
import type { Clock } from '../../clock.ts'
import type { Pool } from '../../db/database.ts'
import { inTransaction } from '../../db/database.ts'
import type { AuditTrail } from '../../audit/audit-trail.ts'
import { actorOf } from '../../http/plugins/authentication.ts'
import { domainError } from '../../errors/catalogue.ts'
import { problemSchema } from '../../http/schemas/problem.ts'
import { channelSchema } from '../../mirror/channels.ts'
import { clockEventSchema, policyRuleSchema, redactableFieldSchema } from '../policy.ts'
import type { PolicyStore } from '../policy-store.ts'
import type { RetentionPlanner } from '../retention-planner.ts'
import { createHoldSchema, holdSchema } from '../holds.ts'
import { loadPolicyPreviewInput, policyPreviewSchema, previewPolicyChange } from '../policy-preview.ts'
import type { Holds } from '../holds.ts'
import { buildRetentionReport, retentionReportSchema } from '../retention-report.ts'
import { historyRange, historyRangeSchema, MAX_HISTORY_DAYS, retentionHistory, retentionHistorySchema } from '../retention-history.ts'
import { backlogSchema } from '../redaction-backlog.ts'
import type { RedactionBacklog } from '../redaction-backlog.ts'

const policySchema = z
  .object({ channel: channelSchema, version: z.number().int().describe('0: the built-in default, never changed.'), clockEvent: clockEventSchema, periodDays: z.number().int(), fields: z.array(redactableFieldSchema) })
  .meta({ id: 'RetentionPolicy' })

export interface RetentionRouteDeps {
  pool: Pool
  clock: Clock
  audit: AuditTrail
  policies: PolicyStore
  holds: Holds
  planner: RetentionPlanner
  backlog: RedactionBacklog
  /** Queues every due contact that has no job: after a hold is released. */
  sweep(): Promise<number>
}

export const retentionRoutes: FastifyPluginCallbackZod<RetentionRouteDeps> = (app, deps, done) => {
  app.get(
    '/v1/retention/policies',
    { config: { roles: ['admin', 'auditor'] }, schema: { tags: ['retention'], summary: "Every channel's retention policy", response: { 200: z.object({ items: z.array(policySchema) }) } } },
    async () => ({ items: [...(await deps.policies.all()).values()] })
  )

  app.put(
    '/v1/retention/policies/:channel',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['retention'],
        summary: "Change a channel's policy",
        description: 'Stores a new version and recomputes the due date of every order of the channel, in both directions.',
        params: z.object({ channel: channelSchema }),
        body: policyRuleSchema,
        response: { 200: policySchema.extend({ recomputedOrders: z.number().int() }) }
      }
    },
    async (request) => {
      const { channel } = request.params
      const policy = await inTransaction(deps.pool, async (db) => {
        const saved = await deps.policies.put(db, channel, request.body, actorOf(request))
        await deps.audit.record({ actor: actorOf(request), action: 'retention.policy_changed', subject: { type: 'channel', id: channel }, requestId: request.id, details: { ...request.body, version: saved.version } }, db)
        return saved
      })
      return { ...policy, recomputedOrders: await deps.planner.channelsChanged([channel]) }
    }
  )

  app.post(
    '/v1/retention/policies/:channel/preview',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags: ['retention'],
        summary: "What a new policy for the channel would make due, without changing anything",
        description: 'Counts, from the mirror, the orders and contacts whose due dates the rule would move, and the contacts past due, due within 7 and 30 days, now and under the rule. Contacts on orders of several channels stay due when the last of their orders is.',
        params: z.object({ channel: channelSchema }),
        body: policyRuleSchema,
        response: { 200: policyPreviewSchema }
      }
    },
    async (request) => {
      const now = deps.clock.now()
      const input = await loadPolicyPreviewInput(deps.pool, request.params.channel, now)
      return previewPolicyChange({ channel: request.params.channel, rule: request.body, now, ...input })
    }
  )

  app.get(
    '/v1/holds',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: { tags: ['retention'], summary: 'Holds, active ones by default', querystring: z.object({ active: z.enum(['true', 'false']).default('true').transform((v) => v === 'true') }), response: { 200: z.object({ items: z.array(holdSchema) }) } }
    },
    async (request) => ({ items: await deps.holds.list({ active: request.query.active }) })
  )

  app.post(
    '/v1/holds',
    {
      config: { roles: ['admin'] },
      schema: { tags: ['retention'], summary: 'Hold an order, a contact or an e-mail address: nothing it covers is redacted until released', body: createHoldSchema, response: { 201: holdSchema } }
    },
    async (request, reply) => {
      const hold = await inTransaction(deps.pool, async (db) => {
        const created = await deps.holds.create(db, request.body, actorOf(request))
        await deps.audit.record({ actor: actorOf(request), action: 'hold.created', subject: { type: 'hold', id: created.id }, requestId: request.id, details: { subjectType: created.subjectType, endsAt: created.endsAt } }, db)
        return created
      })
      return reply.code(201).send(hold)
    }
  )

  app.delete(
    '/v1/holds/:id',
    {
      config: { roles: ['admin'] },
      schema: { tags: ['retention'], summary: 'Release a hold; what it kept and is due is queued for redaction', params: z.object({ id: z.uuid() }), response: { 200: holdSchema, 404: problemSchema } }
    },
    async (request) => {
      const released = await inTransaction(deps.pool, async (db) => {
        const hold = await deps.holds.release(db, request.params.id, actorOf(request))
        if (!hold) throw domainError('not_found', `No hold has the id ${request.params.id}.`)
        await deps.audit.record({ actor: actorOf(request), action: 'hold.released', subject: { type: 'hold', id: hold.id }, requestId: request.id }, db)
        return hold
      })
      await deps.sweep()
      return released
    }
  )

  app.get(
    '/v1/retention/report',
    { config: { roles: ['admin', 'auditor'] }, schema: { tags: ['retention'], summary: 'Per channel: PII held, due soon, overdue (must be 0), redacted, on hold, failed', response: { 200: retentionReportSchema } } },
    async () => buildRetentionReport(deps)
  )

  app.get(
    '/v1/retention/history',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags: ['retention'],
        summary: "The report's channel figures day by day, from the daily snapshot",
        description: `One snapshot a day (RETENTION_SNAPSHOT_CRON, UTC), each the figures \`GET /v1/retention/report\` gave at that moment. At most ${MAX_HISTORY_DAYS} days at once.`,
        querystring: historyRangeSchema,
        response: { 200: retentionHistorySchema }
      }
    },
    async (request) => retentionHistory(deps.pool, historyRange(request.query, deps.clock.now()))
  )

  app.get(
    '/v1/retention/backlog',
    {
      config: { roles: ['admin', 'auditor'] },
      schema: {
        tags: ['retention'],
        summary: 'Contacts already past due when planned, waiting for approval before they are redacted',
        description: 'Per channel: how many, since when, which policy version and clock event made them due, and a masked sample. They count as overdue in the report and the metrics until approved and redacted.',
        response: { 200: backlogSchema }
      }
    },
    async () => deps.backlog.describe()
  )

  app.post(
    '/v1/retention/backlog/approve',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['retention'],
        summary: "Approve the backlog's redaction, for all channels or some",
        description: 'The approved contacts are queued at once; redaction in Odoo cannot be undone. Audited.',
        body: z.object({ channels: z.array(channelSchema).min(1).optional().describe('Only these channels; all when omitted.') }),
        response: { 200: z.object({ approved: z.record(z.string(), z.number().int()).describe('Contacts approved, per channel.'), queued: z.number().int().describe('Contacts due for redaction now, the approved ones among them; redaction jobs are queued to work them.') }) }
      }
    },
    async (request) => {
      const approved = await inTransaction(deps.pool, async (db) => {
        const counts = await deps.backlog.approve(db, request.body.channels, actorOf(request))
        await deps.audit.record({ actor: actorOf(request), action: 'retention.backlog_approved', subject: { type: 'backlog', id: (request.body.channels ?? ['all']).join(',') }, requestId: request.id, details: { approved: counts } }, db)
        return counts
      })
      return { approved, queued: await deps.sweep() }
    }
  )
  done()
}
