import fp from 'fastify-plugin'
import type { FastifyRequest, onRequestHookHandler } from 'fastify'
import type { ApiKey, ApiKeys } from '../../auth/api-keys.ts'
import type { Actor } from '../../audit/audit-trail.ts'
import type { Role } from '../../auth/roles.ts'
import { forbidden, unauthorized } from '../problems.ts'
import { problemResponses } from '../schemas/problem.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The roles that may call the route; a route without `roles` is public. */
    roles?: readonly Role[]
  }
  interface FastifyRequest {
    apiKey: ApiKey | null
  }
}

export const SECURITY_SCHEME = 'apiKey'

/** The audit actor of an authenticated request. */
export function actorOf(request: FastifyRequest): Actor {
  return request.apiKey ? `key:${request.apiKey.id}` : 'system'
}

/**
 * Routes declare `config.roles`; this plugin adds the check (401 before anything else is parsed,
 * 403 for a role that may not) and the matching security requirement and error responses to
 * the route's OpenAPI description, so the two cannot drift apart.
 */
export const authentication = fp<{ apiKeys: ApiKeys }>(
  async (app, { apiKeys }) => {
    app.decorateRequest('apiKey', null)

    app.addHook('onRoute', (route) => {
      const roles = route.config?.roles
      if (!roles) return
      route.schema = {
        ...route.schema,
        security: [{ [SECURITY_SCHEME]: [] }],
        response: { ...problemResponses, ...(route.schema?.response as object | undefined) },
        description: [route.schema?.description, `Roles: ${roles.join(', ')}.`].filter(Boolean).join('\n\n')
      }
      const check = requireRole(apiKeys, roles)
      route.onRequest = [check, ...[route.onRequest ?? []].flat()]
    })
  },
  { name: 'authentication' }
)

function requireRole(apiKeys: ApiKeys, roles: readonly Role[]): onRequestHookHandler {
  return async (request) => {
    const presented = bearerToken(request.headers.authorization)
    if (!presented) throw unauthorized('Send an API key as `Authorization: Bearer <key>`.')
    const key = await apiKeys.authenticate(presented)
    if (!key) throw unauthorized('The API key is unknown or revoked.')
    request.apiKey = key
    if (!roles.includes(key.role)) throw forbidden(`This needs one of the roles: ${roles.join(', ')}; the key's role is ${key.role}.`)
  }
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  return match?.[1]
}
