import { createHmac, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { HttpProblem } from '../../http/problems.ts'
import { problemSchema } from '../../http/schemas/problem.ts'
import { forwardEmailPayloadSchema } from '../forwardemail-payload.ts'
import type { ForwardEmailPayload } from '../forwardemail-payload.ts'
import type { IntakeOutcome } from '../intake-service.ts'

export interface IntakeRouteDeps {
  /** ForwardEmail's "Webhook Signature Payload Verification Key"; without it, signatures are not checked. */
  webhookKey: string | undefined
  bodyLimit: number
  receive(payload: ForwardEmailPayload): Promise<IntakeOutcome>
}

const outcomeSchema = z
  .object({
    status: z.enum(['created', 'attached', 'verified', 'ignored', 'duplicate']),
    requestId: z.string().nullable().optional(),
    type: z.string().optional(),
    confidence: z.number().optional(),
    reason: z.string().optional()
  })
  .meta({ id: 'IntakeOutcome' })

/**
 * ForwardEmail's webhook for the privacy address. The signature (hex HMAC-SHA256 of the raw body
 * under the account's webhook key, header `X-Webhook-Signature`) is checked on the raw bytes in
 * constant time before the body is parsed. The answer, always 200 (ForwardEmail's client counts
 * any other status as a failure and retries for days), comes as soon as the message is stored, and
 * a repeated delivery changes nothing.
 */
export const forwardEmailRoute: FastifyPluginAsyncZod<IntakeRouteDeps> = async (app, deps) => {
  const key = deps.webhookKey
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: deps.bodyLimit }, (request, raw, done) => {
    if (key !== undefined && !signatureMatches(key, raw as Buffer, request.headers['x-webhook-signature'])) {
      done(new HttpProblem(401, 'unauthorized', 'Unauthorized', 'The X-Webhook-Signature header is missing or does not match the body.'), undefined)
      return
    }
    try {
      done(null, JSON.parse((raw as Buffer).toString('utf8')))
    } catch {
      done(new HttpProblem(400, 'malformed-json', 'Bad Request', 'The body is not valid JSON.'), undefined)
    }
  })

  app.post(
    '/v1/intake/forwardemail',
    {
      config: { access: 'a valid `X-Webhook-Signature`: HMAC-SHA256 of the body under `FORWARDEMAIL_WEBHOOK_KEY`' },
      bodyLimit: deps.bodyLimit,
      schema: {
        tags: ['intake'],
        summary: "ForwardEmail's webhook: a message to the privacy address",
        description:
          'Point a ForwardEmail alias (e.g. privacy@shop.example) at this URL. Always 200 once the message is stored (ForwardEmail takes any other status as a failed delivery); `status` says whether a request was opened, the message joined one, verified its requester, was ignored (auto-reply, bounce, loop) or had been delivered before.',
        headers: z.object({ 'x-webhook-signature': z.string().optional().describe('Hex HMAC-SHA256 of the raw body under the webhook key.') }),
        body: forwardEmailPayloadSchema,
        response: { 200: outcomeSchema, 401: problemSchema, 400: problemSchema, 413: problemSchema }
      }
    },
    async (request) => deps.receive(request.body)
  )
}

function signatureMatches(key: string, raw: Buffer, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string' || !/^[0-9a-f]{64}$/i.test(header.trim())) return false
  const expected = createHmac('sha256', key).update(raw).digest()
  return timingSafeEqual(expected, Buffer.from(header.trim(), 'hex'))
}
