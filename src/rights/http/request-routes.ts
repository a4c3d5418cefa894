import { z } from 'zod'
import type { FastifyReply } from 'fastify'
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod'
import type { Clock } from '../../clock.ts'
import type { Pool } from '../../db/database.ts'
import { actorOf } from '../../http/plugins/authentication.ts'
import { problemSchema, rateLimitedResponse } from '../../http/schemas/problem.ts'
import type { RateLimits } from '../../http/rate-limit/rate-limits.ts'
import { RECEIVED_RANGE } from '../deadlines.ts'
import { languageSchema } from '../languages.ts'
import { denialReasonSchema, jurisdictionSchema, requestStateSchema, requestTypeSchema } from '../request-types.ts'
import { listRequests, parseDueCursor, requestCursor, requestHistory } from '../request-store.ts'
import { requestViewSchema, toRequestView } from '../request-view.ts'
import { approvalDecisionSchema } from '../request-approval.ts'
import { subjectDiscoverySchema } from '../subject-discovery.ts'
import { requestStats, requestStatsQuerySchema, requestStatsSchema } from '../request-stats.ts'
import type { Decided, RightsService } from '../rights-service.ts'

const AGENTS = ['agent', 'admin'] as const

// zod's own address rule, with letters and digits beyond ASCII: an internationalized address is a requester's too.
const REQUESTER_EMAIL = /^(?:[\p{L}\p{N}_'+-]+\.)*[\p{L}\p{N}_'+-]*[\p{L}\p{N}_+-]@(?:[\p{L}\p{N}][\p{L}\p{N}-]*\.)+\p{L}{2,}$/u

const correctedText = z.string().trim().min(1).max(200).refine((value) => !value.includes('\u0000'), { message: 'must not contain NUL characters' })
const READERS = ['agent', 'admin', 'auditor'] as const

const createRequestSchema = z
  .object({
    type: requestTypeSchema,
    jurisdiction: jurisdictionSchema.optional().describe('Default: `ccpa` for the ccpa_* types, else the configured default.'),
    email: z.email({ pattern: REQUESTER_EMAIL }).describe('Letters beyond ASCII are taken (`jürgen@bücher.de`); a domain in Unicode or punycode finds the same contacts.'),
    phone: z.string().trim().min(4).max(40).optional(),
    name: z.string().trim().min(1).max(200).optional(),
    orderRefs: z.array(z.string().trim().min(1).max(60)).max(20).optional().describe('Marketplace or Odoo order numbers the requester gave.'),
    language: languageSchema.optional(),
    receivedAt: z.coerce
      .date()
      .refine((date) => date >= RECEIVED_RANGE.earliest && date <= RECEIVED_RANGE.latest, { message: 'must be between the years 2000 and 9999' })
      .optional()
      .describe('When the request reached the shop (default: now), between the years 2000 and 9999; deadlines run from it.')
  })
  .meta({ id: 'CreateRightsRequest', example: { type: 'erasure', email: 'jane.doe@example.com', orderRefs: ['113-1234567-1234567'], language: 'de' } })

const requestParams = z.object({ id: z.string().regex(/^RR-[0-9A-Z]{10}$/, { message: 'is not a request id (RR-XXXXXXXXXX)' }) })
const conflictResponses = { 404: problemSchema, 409: problemSchema.describe('The request is not in a state that allows this; `allowed` lists what is.') }
const heldBack = requestViewSchema.describe('Held back for a second key (RIGHTS_APPROVAL): nothing took effect yet; `approval` says what waits and for whom (`POST /v1/requests/{id}/approval`).')
const subjectConflictResponses = {
  404: problemSchema,
  409: problemSchema.describe('The request is not in a state that allows this (`allowed` lists what is), or `urn:problem:subject-needs-confirmation`: the contacts found wait for an agent to name the subject (`PUT /v1/requests/{id}/subject`).')
}

export interface RequestRouteDeps {
  pool: Pool
  clock: Clock
  rights: RightsService
}

export const requestRoutes: FastifyPluginCallbackZod<RequestRouteDeps & { rateLimits: Pick<RateLimits, 'countCodeConfirmation'> }> = (app, { pool, clock, rights, rateLimits }, done) => {
  const view = (request: Awaited<ReturnType<RightsService['get']>>, history?: Awaited<ReturnType<typeof requestHistory>>) =>
    toRequestView(request, request.identifiersPurgedAt ? null : rights.identifiers(request), clock.now(), history)
  // 202: the call was recorded, and waits for a second key before it takes effect.
  const decided = (reply: FastifyReply, result: Decided) => reply.code(result.awaitingApproval ? 202 : 200).send(view(result.request))

  app.post(
    '/v1/requests',
    { config: { roles: AGENTS }, schema: { tags: ['requests'], summary: 'Record a rights request; the requester is sent an acknowledgement with the deadline', body: createRequestSchema, response: { 201: requestViewSchema } } },
    async (request, reply) => reply.code(201).send(view(await rights.create(request.body, actorOf(request))))
  )

  app.get(
    '/v1/requests',
    {
      config: { roles: READERS },
      schema: {
        tags: ['requests'],
        summary: 'Requests, filtered; `overdue=true` lists open requests past their deadline, `open=true&sort=due` is an inbox',
        querystring: z.object({
          state: requestStateSchema.optional(),
          type: requestTypeSchema.optional(),
          due_before: z.coerce.date().optional(),
          overdue: z.enum(['true', 'false']).optional(),
          awaiting_approval: z.enum(['true', 'false']).optional().describe('`true`: requests with an action awaiting a second key (RIGHTS_APPROVAL); `false`: the others.'),
          open: z.enum(['true', 'false']).optional().describe('`true`: only open requests (received, awaiting verification, verified, in progress).'),
          sort: z.enum(['id', 'due']).default('id').describe('`due`: soonest deadline first (an inbox); `id`: by id.'),
          after: z
            .string()
            .optional()
            .describe('Cursor: the `nextCursor` of the previous page, with the same `sort`.'),
          limit: z.coerce.number().int().min(1).max(200).default(50)
        })
          .refine((query) => query.sort !== 'due' || query.after === undefined || parseDueCursor(query.after) !== undefined, { message: 'is not a cursor of sort=due', path: ['after'] }),
        response: { 200: z.object({ items: z.array(requestViewSchema), nextCursor: z.string().nullable() }) }
      }
    },
    async (request) => {
      const { state, type, due_before, overdue, awaiting_approval, open, sort, after, limit } = request.query
      const awaitingApproval = awaiting_approval === undefined ? undefined : awaiting_approval === 'true'
      const items = await listRequests(pool, { state, type, dueBefore: due_before, overdueAt: overdue === 'true' ? clock.now() : undefined, awaitingApproval, open: open === 'true', sort, after, limit })
      const last = items.at(-1)
      return { items: items.map((item) => view(item)), nextCursor: items.length === limit && last ? requestCursor(last, sort) : null }
    }
  )

  app.get(
    '/v1/requests/stats',
    {
      config: { roles: READERS },
      schema: {
        tags: ['requests'],
        summary: 'Requests opened, closed and gone overdue per ISO week',
        description: 'Weeks run Monday to Monday in UTC. Computed from the requests and their history, so every past week stays as it was, purged requests included.',
        querystring: requestStatsQuerySchema,
        response: { 200: requestStatsSchema }
      }
    },
    async (request) => requestStats(pool, clock.now(), request.query.weeks)
  )

  app.get(
    '/v1/requests/:id',
    { config: { roles: READERS }, schema: { tags: ['requests'], summary: 'One request with its history', params: requestParams, response: { 200: requestViewSchema, 404: problemSchema } } },
    async (request) => view(await rights.get(request.params.id), await requestHistory(pool, request.params.id))
  )

  app.patch(
    '/v1/requests/:id',
    {
      config: { roles: AGENTS },
      schema: {
        tags: ['requests'],
        summary: 'Set the type of a request (triage of an unclassified e-mail), while it is open and not in progress',
        description:
          'A verification holds for the type it was done for: a verified request changes its type only with `reverify: true`, which drops the verification and puts the request back to `received`, to be verified again. Recorded in the history and audited.',
        params: requestParams,
        body: z
          .object({
            type: requestTypeSchema.exclude(['unclassified']),
            reverify: z.boolean().optional().describe('Needed to change the type of a verified request: its verification is dropped and it must be verified again.')
          })
          .meta({ example: { type: 'erasure' } }),
        response: {
          200: requestViewSchema,
          404: problemSchema,
          409: problemSchema.describe(
            'The state does not allow a type change (`urn:problem:conflict`); the request is verified and the body has no `reverify: true` (`urn:problem:verification-bound-to-type`); or an action awaits approval (`urn:problem:approval-pending`).'
          )
        }
      }
    },
    async (request) => view(await rights.reclassify(request.params.id, request.body.type, actorOf(request), { reverify: request.body.reverify }))
  )

  app.post(
    '/v1/requests/:id/verification',
    {
      config: { roles: AGENTS },
      schema: { tags: ['requests'], summary: 'E-mail a one-time code to an address Odoo holds for the subject (again: a new code)', params: requestParams, response: { 200: requestViewSchema, ...subjectConflictResponses } }
    },
    async (request) => view(await rights.sendVerification(request.params.id, actorOf(request)))
  )

  app.post(
    '/v1/requests/:id/verification/confirm',
    {
      config: { roles: AGENTS },
      schema: {
        tags: ['requests'],
        summary: 'Check the code the requester received',
        params: requestParams,
        body: z.object({ code: z.string().regex(/^\d{6}$/, { message: 'must be the 6-digit code' }) }).meta({ example: { code: '042917' } }),
        response: {
          200: requestViewSchema,
          ...conflictResponses,
          410: problemSchema.describe('The code expired.'),
          422: problemSchema.describe('Wrong code.'),
          429: rateLimitedResponse('Too many wrong codes (`urn:problem:verification-attempts-exhausted`: send a new code), or too many confirmations for this request or from this address (`urn:problem:rate-limited`).')
        }
      },
      preHandler: async (request, reply) => rateLimits.countCodeConfirmation(request, reply, request.params.id)
    },
    async (request) => view(await rights.confirmCode(request.params.id, request.body.code, actorOf(request)))
  )

  app.post(
    '/v1/requests/:id/verification/manual',
    {
      config: { roles: AGENTS },
      schema: {
        tags: ['requests'],
        summary: 'Verify the requester by other means, with the evidence noted',
        description: 'With RIGHTS_APPROVAL `erasure` or `all` (default `erasure`), the verification takes effect only once another agent or admin key approves it (202).',
        params: requestParams,
        body: z.object({ evidence: z.string().trim().min(10).max(2000).describe('How the identity was established (kept sealed, audited).') }).meta({ example: { evidence: 'Called back the phone number on order 113-1234567-1234567; the caller confirmed the delivery address.' } }),
        response: { 200: requestViewSchema, 202: heldBack, 404: problemSchema, 409: problemSchema.describe('The state does not allow it (`allowed` lists what does), or an action awaits approval (`urn:problem:approval-pending`).') }
      }
    },
    async (request, reply) => decided(reply, await rights.verifyManually(request.params.id, request.body.evidence, actorOf(request)))
  )

  app.get(
    '/v1/requests/:id/subject',
    {
      config: { roles: AGENTS },
      schema: {
        tags: ['requests'],
        summary: "What is held for the subject, masked: the contacts that hold exactly the requester's e-mail address or phone number, in the mirror and live in Odoo",
        description:
          'E-mail addresses are compared whole (trimmed, case-folded, the domain as punycode or Unicode alike), never as a pattern. When more contacts are found than RIGHTS_MAX_SUBJECT_CONTACTS, or a contact\'s e-mail field also holds other addresses, `needsConfirmation` says so and the request waits for `PUT /v1/requests/{id}/subject`.',
        params: requestParams,
        response: { 200: subjectDiscoverySchema, 404: problemSchema, 410: problemSchema.describe("The requester's identifiers were destroyed after the retention period.") }
      }
    },
    async (request) => rights.discover(request.params.id, actorOf(request))
  )

  app.put(
    '/v1/requests/:id/subject',
    {
      config: { roles: AGENTS },
      schema: {
        tags: ['requests'],
        summary: 'Name the contacts that are the subject, among those the requester\'s identifiers find',
        description:
          'For a request whose contacts wait for an agent (too many, or a shared e-mail field), or to narrow down any open request. Verification and fulfilment then work on these contacts, as far as the identifiers still find them; an empty list says none of them is the subject (fulfilment answers "we hold no data"). Recorded in the history and audited.',
        params: requestParams,
        body: z
          .object({ partnerIds: z.array(z.number().int().positive()).max(1000).describe('Odoo ids of contacts listed by `GET /v1/requests/{id}/subject`.') })
          .meta({ example: { partnerIds: [1042, 1043] } }),
        response: { 200: requestViewSchema, 400: problemSchema.describe('A contact the requester\'s identifiers do not find.'), 404: problemSchema, 409: problemSchema.describe('The request is closed.') }
      }
    },
    async (request) => view(await rights.confirmSubject(request.params.id, request.body.partnerIds, actorOf(request)))
  )

  app.post(
    '/v1/requests/:id/fulfilment',
    {
      config: { roles: AGENTS },
      schema: {
        tags: ['requests'],
        summary: 'Fulfil a verified request and answer the requester',
        description:
          'access, portability, ccpa_know: an export to download once. erasure, ccpa_delete: redaction at once, holds and open orders kept with their reason. rectification: `changes` written to Odoo and the mirror. restriction, objection, ccpa_opt_out: recorded on the subject. ' +
          'With RIGHTS_APPROVAL `erasure` (the default; erasure and ccpa_delete) or `all` (every type), nothing is done until another agent or admin key approves (202).',
        params: requestParams,
        body: z
          .object({
            changes: z
              .object({
                name: correctedText.optional(),
                street: correctedText.optional(),
                street2: correctedText.optional(),
                zip: correctedText.optional(),
                city: correctedText.optional(),
                email: z.email().optional(),
                phone: correctedText.optional(),
                mobile: correctedText.optional()
              })
              .strict()
              .optional()
              .describe('Rectification only: corrected values.'),
            partnerIds: z.array(z.number().int().positive()).optional().describe("Rectification only: which of the subject's contacts (default: all).")
          })
          .default({})
          .meta({ example: { changes: { street: 'Hauptstraße 7', city: 'Berlin' } } }),
        response: {
          200: requestViewSchema,
          202: heldBack,
          404: problemSchema,
          409: problemSchema.describe(
            'The state does not allow it (`allowed` lists what does); `urn:problem:subject-needs-confirmation`: the contacts found wait for an agent to name the subject (`PUT /v1/requests/{id}/subject`); or `urn:problem:approval-pending`: an action awaits approval.'
          )
        }
      }
    },
    async (request, reply) => decided(reply, await rights.fulfil(request.params.id, request.body, actorOf(request)))
  )

  app.post(
    '/v1/requests/:id/approval',
    {
      config: { roles: AGENTS },
      schema: {
        tags: ['requests'],
        summary: 'Approve or reject the action awaiting a second key (a manual verification, a fulfilment)',
        description:
          'RIGHTS_APPROVAL holds back manual verifications and the fulfilment of erasures (`erasure`, the default) or of every type (`all`) until a key other than the one that asked approves. Approval carries the action out as the first call would have (200 with its result); rejection drops it. Both are in the history and the audit trail, naming both keys. The key that asked may reject (take back) its own action, never approve it.',
        params: requestParams,
        body: approvalDecisionSchema,
        response: {
          200: requestViewSchema,
          400: problemSchema.describe('Invalid body, or a rectification the approved fulfilment refuses.'),
          403: problemSchema.describe("The key's role may not (`urn:problem:forbidden`), or it is the key that asked for the action (`urn:problem:approval-needs-second-person`)."),
          404: problemSchema,
          409: problemSchema.describe(
            '`urn:problem:no-approval-pending`: nothing awaits approval (or another key decided first); or the approved action is refused as it would be when called directly (the state, `urn:problem:subject-needs-confirmation`): it stays pending.'
          )
        }
      }
    },
    async (request) => view(await rights.decideApproval(request.params.id, request.body, actorOf(request)))
  )

  app.get(
    '/v1/requests/:id/export',
    {
      config: { roles: AGENTS },
      schema: {
        tags: ['requests'],
        summary: 'Download the export bundle: once, then it is destroyed',
        params: requestParams,
        response: {
          200: z.object({ generatedAt: z.string(), requestId: z.string(), contacts: z.array(z.record(z.string(), z.unknown())), orders: z.array(z.record(z.string(), z.unknown())), ordersCsv: z.string() }).meta({ id: 'ExportBundle' }),
          404: problemSchema,
          410: problemSchema.describe('Already downloaded or expired.')
        }
      }
    },
    async (request) => rights.downloadExport(request.params.id, actorOf(request))
  )

  app.post(
    '/v1/requests/:id/deny',
    {
      config: { roles: AGENTS },
      schema: {
        tags: ['requests'],
        summary: 'Refuse the request, with the reason sent to the requester',
        params: requestParams,
        body: z.object({ reason: denialReasonSchema, detail: z.string().trim().max(2000).optional() }).meta({ example: { reason: 'manifestly_unfounded', detail: 'The same request was answered on 2026-11-02.' } }),
        response: { 200: requestViewSchema, ...conflictResponses }
      }
    },
    async (request) => view(await rights.deny(request.params.id, request.body.reason, request.body.detail, actorOf(request)))
  )

  app.post(
    '/v1/requests/:id/withdraw',
    { config: { roles: AGENTS }, schema: { tags: ['requests'], summary: 'The requester withdrew the request', params: requestParams, response: { 200: requestViewSchema, ...conflictResponses } } },
    async (request) => view(await rights.withdraw(request.params.id, actorOf(request)))
  )

  app.post(
    '/v1/requests/:id/extension',
    {
      config: { roles: AGENTS },
      schema: {
        tags: ['requests'],
        summary: 'Extend the deadline (GDPR: up to 3 months from receipt; CCPA: once, to 90 days), notifying the requester',
        params: requestParams,
        body: z.object({ until: z.coerce.date(), reason: z.string().trim().min(10).max(2000) }).meta({ example: { until: '2027-02-15T00:00:00Z', reason: 'The request covers orders on six marketplaces whose records are being collected.' } }),
        response: { 200: requestViewSchema, ...conflictResponses }
      }
    },
    async (request) => view(await rights.extend(request.params.id, request.body, actorOf(request)))
  )
  done()
}
