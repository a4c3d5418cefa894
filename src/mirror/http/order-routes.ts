import { z } from 'zod'
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod'
import type { AuditTrail } from '../../audit/audit-trail.ts'
import { actorOf } from '../../http/plugins/authentication.ts'
import { domainError } from '../../errors/catalogue.ts'
import { problemSchema } from '../../http/schemas/problem.ts'
import { orderFiltersSchema, orderViewSchema } from '../order-views.ts'
import type { OrderViews } from '../order-views.ts'

const READERS = ['agent', 'admin'] as const

/** Masked order views; every read of personal data, even masked, is audited. */
export const orderRoutes: FastifyPluginCallbackZod<{ orders: OrderViews; audit: AuditTrail }> = (app, { orders, audit }, done) => {
  app.get(
    '/v1/orders',
    {
      config: { roles: READERS },
      schema: { tags: ['orders'], summary: 'Mirrored orders with contacts masked', querystring: orderFiltersSchema, response: { 200: z.object({ items: z.array(orderViewSchema), nextCursor: z.number().int().nullable() }) } }
    },
    async (request) => {
      const page = await orders.list(request.query)
      await audit.record({ actor: actorOf(request), action: 'orders.listed', requestId: request.id, details: { orderIds: page.items.map((o) => o.id) } })
      return page
    }
  )

  app.get(
    '/v1/orders/:id',
    {
      config: { roles: READERS },
      schema: { tags: ['orders'], summary: 'One mirrored order with its contacts masked', params: z.object({ id: z.coerce.number().int().positive() }), response: { 200: orderViewSchema, 404: problemSchema } }
    },
    async (request) => {
      const order = await orders.get(request.params.id)
      if (!order) throw domainError('not_found', `No mirrored order has the id ${request.params.id}.`)
      await audit.record({ actor: actorOf(request), action: 'order.viewed', subject: { type: 'order', id: order.id }, requestId: request.id })
      return order
    }
  )
  done()
}
