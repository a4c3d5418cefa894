import type { TestService } from './app.ts'

/** The mail queued for a request, opened as the outbox worker would, newest last. */
export async function queuedMail(ctx: TestService, requestId: string): Promise<{ kind: string; recipient: string; subject: string; text: string }[]> {
  const rows = (
    await ctx.pool.query<{ id: string; kind: string; recipient: string | null; subject: string | null; body_text: string | null }>(
      'SELECT id, kind, recipient, subject, body_text FROM outbox WHERE request_id = $1 ORDER BY seq',
      [requestId]
    )
  ).rows
  const open = (id: string, field: string, value: string | null) => {
    if (value === null) throw new Error(`the ${field} of mail ${id} was purged`)
    return ctx.service.cipher.open(value, `outbox:${id}:${field}`)
  }
  return rows.map((r) => ({ kind: r.kind, recipient: open(r.id, 'recipient', r.recipient), subject: open(r.id, 'subject', r.subject), text: open(r.id, 'text', r.body_text) }))
}

/** The one-time code the requester was sent last. */
export async function sentCode(ctx: TestService, requestId: string): Promise<string> {
  const mail = (await queuedMail(ctx, requestId)).filter((m) => m.kind === 'verification_code').at(-1)
  const code = mail?.text.match(/\b\d{6}\b/)?.[0]
  if (!code) throw new Error('no verification code was sent')
  return code
}
