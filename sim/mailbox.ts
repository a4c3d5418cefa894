import { smtpServer } from '../test/support/smtp.ts'
import type { Received } from '../test/support/smtp.ts'
import type { Teardowns } from './service-under-test.ts'

export type DeliveredMail = Received

/** The requesters' mailboxes: an SMTP server on 127.0.0.1 that keeps every message the service sends. */
export async function startMailbox(teardowns: Teardowns): Promise<{ url: string; received: DeliveredMail[] }> {
  const { url, received } = await smtpServer(teardowns)
  return { url, received }
}
