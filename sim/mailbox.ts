import { SMTPServer } from 'smtp-server'
import { freePort } from './sim-database.ts'
import type { Teardowns } from './service-under-test.ts'

export interface DeliveredMail {
  to: string[]
  raw: string
}

/** The requesters' mailboxes: an SMTP server on 127.0.0.1 that keeps every message the service sends. */
export async function startMailbox(teardowns: Teardowns): Promise<{ url: string; received: DeliveredMail[] }> {
  const port = await freePort()
  const received: DeliveredMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') })
        callback()
      })
    }
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => { resolve(); }))
  teardowns.teardown(() => new Promise<void>((resolve) => { server.close(() => { resolve(); }); }))
  return { url: `smtp://127.0.0.1:${port}`, received }
}
