import { SMTPServer } from 'smtp-server'
import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server'
import { freePort } from './local-server.ts'

export interface Received {
  to: string[]
  raw: string
}

export interface TestSmtp {
  url: string
  port: number
  received: Received[]
  /** Starts listening (again) on the same port. */
  start(): Promise<void>
}

/** A real SMTP server on 127.0.0.1, answering RCPT TO with `rcptReply` when one is given. */
export async function smtpServer(t: { teardown(step: () => unknown): void }, options: { port?: number; listening?: boolean; rcptReply?: { code: number; text: string } } = {}): Promise<TestSmtp> {
  const port = options.port ?? (await freePort())
  const received: Received[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) {
      if (!options.rcptReply) {
        callback()
        return
      }
      callback(Object.assign(new Error(options.rcptReply.text), { responseCode: options.rcptReply.code }))
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') })
        callback()
      })
    }
  })
  let listening = false
  t.teardown(() =>
    listening
      ? new Promise<void>((resolve) => {
          server.close(() => {
            resolve()
          })
        })
      : undefined
  )
  const start = () =>
    new Promise<void>((resolve) => {
      server.listen(port, '127.0.0.1', () => {
        resolve()
      })
      listening = true
    })
  if (options.listening !== false) await start()
  return { url: `smtp://127.0.0.1:${port}`, port, received, start }
}

