import { timingSafeEqual, createHash } from 'node:crypto'
import { z } from 'zod'
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod'
import { domainError } from '../../errors/catalogue.ts'
import { problemSchema } from '../../http/schemas/problem.ts'
import type { SyncedModel } from '../mirror-store.ts'

const webhookBodySchema = z
  .looseObject({
    _model: z.enum(['sale.order', 'stock.picking', 'res.partner']).describe('The record\'s model; others are refused.'),
    _id: z.number().int().positive(),
    _action: z.string().optional()
  })
  .meta({ id: 'OdooWebhookNotification', example: { _model: 'sale.order', _id: 42, _action: 'Send Webhook Notification(#12)', name: 'S00042', state: 'sale' } })

export interface WebhookRouteDeps {
  token: string | undefined
  enqueueRecordSync(model: SyncedModel, id: number): Promise<void>
}

/**
 * Odoo 17+'s "Send Webhook Notification" action: no authentication header, a one-second timeout
 * and no retry. The secret is in the path; the posted fields are ignored and the record is re-read
 * from Odoo, so a forged call can at most cause a harmless re-sync.
 */
export const webhookRoute: FastifyPluginCallbackZod<WebhookRouteDeps> = (app, deps, done) => {
  const expected = deps.token === undefined ? undefined : digest(deps.token)

  app.post(
    '/v1/odoo/webhook/:token',
    {
      config: { access: 'whoever knows `ODOO_WEBHOOK_TOKEN` (in the path; 404 while it is unset)' },
      // A bad token must not cost a body parse or a database query.
      onRequest: (request, _reply, hookDone) => {
        if (expected === undefined) {
          hookDone(domainError('not_found', 'The Odoo webhook is not enabled: set ODOO_WEBHOOK_TOKEN.'))
          return
        }
        const { token } = request.params
        hookDone(timingSafeEqual(digest(token), expected) ? undefined : domainError('unauthorized', 'The webhook token is wrong.'))
      },
      schema: {
        tags: ['odoo'],
        summary: "Odoo's webhook: re-sync one record",
        description: 'Target of an Odoo automated action "Send Webhook Notification" on sale.order, stock.picking or res.partner. Answers 202 at once.',
        params: z.object({ token: z.string() }),
        body: webhookBodySchema,
        response: { 202: z.object({ queued: z.literal(true) }), 401: problemSchema, 404: problemSchema }
      }
    },
    async (request, reply) => {
      await deps.enqueueRecordSync(request.body._model, request.body._id)
      return reply.code(202).send({ queued: true as const })
    }
  )
  done()
}

// Hashing first gives equal lengths, so the comparison is constant-time whatever was sent.
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest()
}
