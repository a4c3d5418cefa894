import fp from 'fastify-plugin'
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import type { ApiKey, ApiKeys } from '../../auth/api-keys.ts'
import type { Actor } from '../../audit/audit-trail.ts'
import type { Role } from '../../auth/roles.ts'
import { domainError } from '../../errors/catalogue.ts'
import { problemResponses, rateLimitedResponse } from '../schemas/problem.ts'
import type { RateLimits } from '../rate-limit/rate-limits.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The roles that may call the route; a route without `roles` is public. */
    roles?: readonly Role[]
    /** For a route without `roles`: what protects it instead (a token, a signature), in words; unset, anyone may call it. */
    access?: string
  }
  interface FastifyRequest {
    apiKey: ApiKey | null
  }
  /** OpenAPI extensions this plugin writes from the route's `config`. */
  interface FastifySchema {
    'x-roles'?: readonly Role[]
    'x-access'?: string
  }
}

export const SECURITY_SCHEME = 'apiKey'

/** The audit actor of an authenticated request. */
export function actorOf(request: FastifyRequest): Actor {
  return request.apiKey ? `key:${request.apiKey.id}` : 'system'
}

/**
 * Routes declare `config.roles`; this plugin adds the check (401 before anything else is parsed,
 * 403 for a role that may not, 429 for an address that failed too often) and the matching
 * security requirement and error responses to the route's OpenAPI description, so the two cannot
 * drift apart.
 */
export const authentication = fp<{ apiKeys: ApiKeys; rateLimits: RateLimits }>(
  (app, { apiKeys, rateLimits }, done) => {
    app.decorateRequest('apiKey', null)

    app.addHook('onRoute', (route) => {
      const roles = route.config?.roles
      // `x-roles` and `x-access` put the same facts in the OpenAPI document, where the README's role table is generated from.
      if (!roles) {
        const access = route.config?.access
        if (access) route.schema = { ...route.schema, 'x-access': access }
        return
      }
      route.schema = {
        ...route.schema,
        'x-roles': roles,
        security: [{ [SECURITY_SCHEME]: [] }],
        response: { ...problemResponses, 429: rateLimitedResponse('Too many failed authentications from this address (`urn:problem:rate-limited`).'), ...(route.schema?.response as object | undefined) },
        description: [route.schema?.description, `Roles: ${roles.join(', ')}.`].filter(Boolean).join('\n\n')
      }
      const check = requireRole(apiKeys, rateLimits, roles)
      route.onRequest = [check, ...[route.onRequest ?? []].flat()]
    })
    done()
  },
  { name: 'authentication' }
)

function requireRole(apiKeys: ApiKeys, rateLimits: RateLimits, roles: readonly Role[]): onRequestAsyncHookHandler {
  return async (request, reply) => {
    const presented = bearerToken(request.headers.authorization)
    const key = presented ? await apiKeys.authenticate(presented) : undefined
    if (!key) {
      await rateLimits.countAuthFailure(request, reply)
      throw domainError('unauthorized', presented ? 'The API key is unknown or revoked.' : 'Send an API key as `Authorization: Bearer <key>`.')
    }
    await rateLimits.refuseFailingAddress(request, reply)
    request.apiKey = key
    if (!roles.includes(key.role)) throw domainError('forbidden', `This needs one of the roles: ${roles.join(', ')}; the key's role is ${key.role}.`)
  }
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  return match?.[1]
}
