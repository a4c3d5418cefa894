import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { HttpReply } from './protocol/http-reply.ts'
import type { RawRequest } from './protocol/router.ts'

/** An answer, or none at all: the request stays open until the client or the server gives up. */
export type Answer = HttpReply | 'hang'

/**
 * A node:http listener that can be closed and opened again on the same port, dropping every open
 * connection (what a restarting Odoo does to its clients).
 */
export class RestartableServer {
  readonly #handle: (request: RawRequest) => Promise<Answer>
  readonly #sockets = new Set<Socket>()
  #server: Server | undefined
  #host = '127.0.0.1'
  #port = 0

  constructor(handle: (request: RawRequest) => Promise<Answer>) {
    this.#handle = handle
  }

  get port(): number {
    return this.#port
  }

  async listen(host: string, port: number): Promise<void> {
    const server = createServer((req, res) => void this.#serve(req, res))
    server.on('connection', (socket) => {
      this.#sockets.add(socket)
      socket.on('close', () => {
        this.#sockets.delete(socket)
      })
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        resolve()
      })
    })
    this.#server = server
    this.#host = host
    this.#port = (server.address() as AddressInfo).port
  }

  async close(): Promise<void> {
    const server = this.#server
    if (!server) return
    this.#server = undefined
    const closed = new Promise<void>((resolve) => {
      server.close(() => {
        resolve()
      })
    })
    for (const socket of this.#sockets) socket.destroy()
    await closed
  }

  async restart(): Promise<void> {
    await this.close()
    await this.listen(this.#host, this.#port)
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const headers: { [name: string]: string | undefined } = {}
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value
    let answer: Answer
    try {
      answer = await this.#handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers, body: Buffer.concat(chunks).toString('utf8') })
    } catch (error) {
      answer = { status: 500, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: `Odoo simulator failure: ${String(error)}` }
    }
    if (answer === 'hang' || res.destroyed) return
    res.writeHead(answer.status, { ...answer.headers, 'Content-Length': Buffer.byteLength(answer.body) })
    res.end(answer.body)
  }
}
