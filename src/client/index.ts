/**
 * The service's typed HTTP client, exported as `odoo-privacy-bridge/client` for integrators and used
 * by the console and the end-to-end tests: openapi-fetch over the types generated from the OpenAPI
 * document (`openapi-types.ts`), so a path, parameter or body the API does not have fails to compile,
 * and every answer is typed by its status. It imports nothing else of the service.
 */
import createClient from 'openapi-fetch'
import type { Client } from 'openapi-fetch'
import type { components, paths } from './openapi-types.ts'

export type { components, operations, paths } from './openapi-types.ts'

/** A schema of the document by its name, e.g. `ApiSchema<'RightsRequest'>` or `ApiSchema<'Problem'>`. */
export type ApiSchema<Name extends keyof components['schemas']> = components['schemas'][Name]

export type PrivacyBridgeClient = Client<paths>

export interface PrivacyBridgeClientOptions {
  /** Where the service answers, e.g. `https://bridge.example.com` (a path prefix is kept). */
  baseUrl: string
  /** An API key (`pbk_…`), sent as `Authorization: Bearer <key>` with every call; leave it out for the routes that take none (health, the webhooks). */
  apiKey?: string
  /** Instead of the global fetch (a proxy, a test double). */
  fetch?: (request: Request) => Promise<Response>
  /** Headers sent with every call, besides the key's. */
  headers?: Record<string, string>
}

export function createPrivacyBridgeClient(options: PrivacyBridgeClientOptions): PrivacyBridgeClient {
  const authorization = options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` }
  return createClient<paths>({
    baseUrl: options.baseUrl,
    headers: { ...options.headers, ...authorization },
    ...(options.fetch ? { fetch: options.fetch } : {})
  })
}
