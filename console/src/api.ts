import { createPrivacyBridgeClient } from '../../src/client/index.ts'
import type { ApiSchema, PrivacyBridgeClient } from '../../src/client/index.ts'

export type { ApiSchema }
export type Problem = ApiSchema<'Problem'>
export type Me = ApiSchema<'ApiKey'>
export type Role = Me['role']

/** What a call gave: its data, or the reason it failed (a problem detail, or the network). */
export type Outcome<T> = { ok: true; data: T; status: number } | { ok: false; problem: Problem }

/** Every call of the console goes through the typed client, on this origin, with the tab's key. */
export function apiClient(key: string): PrivacyBridgeClient {
  return createPrivacyBridgeClient({ baseUrl: window.location.origin, apiKey: key })
}

let onUnauthorized: () => void = () => undefined

/** What to do when the key stops working (revoked while signed in): back to the sign-in page. */
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler
}

/** Runs a call of the typed client and turns any failure into a problem detail to show in words. */
export async function attempt<D>(call: () => Promise<{ data?: D; error?: unknown; response: Response }>): Promise<Outcome<D>> {
  let result: { data?: D; error?: unknown; response: Response }
  try {
    result = await call()
  } catch {
    return { ok: false, problem: { type: 'urn:problem:network', title: 'The service did not answer', status: 0, detail: 'Check the connection, or whether the service is running, and try again.' } }
  }
  const { response } = result
  if (response.ok) return { ok: true, data: result.data as D, status: response.status }
  if (response.status === 401) onUnauthorized()
  return { ok: false, problem: asProblem(result.error, response) }
}

function asProblem(error: unknown, response: Response): Problem {
  if (typeof error === 'object' && error !== null && 'title' in error && 'status' in error) return error as Problem
  return { type: 'about:blank', title: response.statusText || 'The service refused', status: response.status, detail: `HTTP ${response.status}` }
}
