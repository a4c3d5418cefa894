import { createHmac, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod'
import { domainError } from '../../errors/catalogue.ts'
import { problemSchema, rateLimitedResponse } from '../../http/schemas/problem.ts'
import type { RateLimits } from '../../http/rate-limit/rate-limits.ts'
import { forwardEmailPayloadSchema, senderAddress } from '../forwardemail-payload.ts'
import type { ForwardEmailPayload } from '../forwardemail-payload.ts'
import type { IntakeOutcome } from '../intake-service.ts'

export interface IntakeRouteDeps {
  /** ForwardEmail's "Webhook Signature Payload Verification Key"; every webhook must be signed with it. */
  webhookKey: string | undefined
  /** Without a key: take unsigned webhooks (`INTAKE_ALLOW_UNSIGNED`, the demo) instead of refusing them all. */
  allowUnsigned: boolean
  bodyLimit: number
  receive(payload: ForwardEmailPayload): Promise<IntakeOutcome>
}

// The sender learns only that its message was taken: which request it opened or joined, how it
// was classified or why it was ignored stays with the agents (the answer goes to whoever posts).
export const answerSchema = z
  .object({ status: z.enum(['accepted', 'duplicate']).describe('`accepted`: stored and acted on; `duplicate`: delivered before, nothing changed.') })
  .meta({ id: 'IntakeAnswer' })
export type IntakeAnswer = z.infer<typeof answerSchema>

/**
 * ForwardEmail's webhook for the privacy address. The signature (hex HMAC-SHA256 of the raw body
 * under the account's webhook key, header `X-Webhook-Signature`) is checked on the raw bytes in
 * constant time before the body is parsed. The answer, always 200 (ForwardEmail's client counts
 * any other status as a failure and retries for days), comes as soon as the message is stored, and
 * a repeated delivery changes nothing.
 */
export const forwardEmailRoute: FastifyPluginCallbackZod<IntakeRouteDeps & { rateLimits: Pick<RateLimits, 'countIntakeMessage'> }> = (app, deps, done) => {
  const key = deps.webhookKey
  const disabled = key === undefined && !deps.allowUnsigned
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: deps.bodyLimit }, (request, raw, parsed) => {
    if (key !== undefined && !signatureMatches(key, raw as Buffer, request.headers['x-webhook-signature'])) {
      parsed(domainError('unauthorized', 'The X-Webhook-Signature header is missing or does not match the body.'), undefined)
      return
    }
    try {
      parsed(null, JSON.parse((raw as Buffer).toString('utf8')))
    } catch {
      parsed(domainError('malformed_json'), undefined)
    }
  })

  app.post(
    '/v1/intake/forwardemail',
    {
      config: { access: 'a valid `X-Webhook-Signature`: HMAC-SHA256 of the body under `FORWARDEMAIL_WEBHOOK_KEY`' },
      bodyLimit: deps.bodyLimit,
      // Without a key anyone could open requests that carry legal deadlines and make the service
      // mail any address. 503 rather than 401: no signature the sender could add would be accepted,
      // the fault is the service's configuration, and ForwardEmail keeps the mail and retries it
      // for days, so what arrives before the key is set is delivered once it is. Refused before
      // the body is read.
      onRequest: (_request, _reply, hookDone) => {
        hookDone(disabled ? domainError('intake_disabled') : undefined)
      },
      schema: {
        tags: ['intake'],
        summary: "ForwardEmail's webhook: a message to the privacy address",
        description:
          'Point a ForwardEmail alias (e.g. privacy@shop.example) at this URL, with the domain\'s webhook key in `FORWARDEMAIL_WEBHOOK_KEY`. Always 200 once the message is stored (ForwardEmail takes any other status as a failed delivery); `status` says only whether it was taken or had been delivered before; what became of it is for agents, who find the requests it opened (including messages left for triage, type `unclassified`) in `GET /v1/requests`.',
        headers: z.object({ 'x-webhook-signature': z.string().optional().describe('Hex HMAC-SHA256 of the raw body under the webhook key.') }),
        body: forwardEmailPayloadSchema,
        response: {
          200: answerSchema,
          400: problemSchema,
          401: problemSchema,
          413: problemSchema,
          429: rateLimitedResponse('Too many messages from this sender (`urn:problem:rate-limited`); ForwardEmail has the sending server try again later.'),
          503: problemSchema.describe('No webhook key is configured: every webhook is refused (ForwardEmail retries).')
        }
      },
      preHandler: async (request, reply) => deps.rateLimits.countIntakeMessage(request, reply, senderAddress(request.body))
    },
    async (request) => ({ status: (await deps.receive(request.body)).status === 'duplicate' ? ('duplicate' as const) : ('accepted' as const) })
  )
  done()
}

function signatureMatches(key: string, raw: Buffer, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || !/^[0-9a-f]{64}$/i.test(header.trim())) return false
  const expected = createHmac('sha256', key).update(raw).digest()
  return timingSafeEqual(expected, Buffer.from(header.trim(), 'hex'))
}
