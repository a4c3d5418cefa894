import type { TestService } from './app.ts'
import { messageKey } from '../../src/intake/intake-service.ts'

/**
 * What the intake made of a message, as it recorded it (the webhook's answer says only accepted or
 * duplicate): its outcome, the request it opened or joined, why it was ignored, and the request's type.
 */
export async function storedMessage(ctx: TestService, messageId: unknown): Promise<{ outcome: string | undefined; requestId: string | null | undefined; reason: string | null; type: string | null | undefined }> {
  const row = (
    await ctx.pool.query<{ outcome: string; request_id: string | null; reason: string | null; type: string | null }>(
      'SELECT m.outcome, m.request_id, m.reason, r.type FROM inbound_messages m LEFT JOIN rights_requests r ON r.id = m.request_id WHERE m.message_key = $1',
      [messageKey(ctx.service.cipher, String(messageId))]
    )
  ).rows[0]
  return { outcome: row?.outcome, requestId: row?.request_id, reason: row?.reason ?? null, type: row?.type }
}

/** The request a stored message opened or joined: a test that expects one stops here when there is none. */
export function requestIdOf(stored: { requestId: string | null | undefined }): string {
  if (!stored.requestId) throw new Error('the message opened or joined no request')
  return stored.requestId
}
