import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface InflightProxy {
  url: string
  /** The most requests that were waiting for Odoo's answer at the same moment. */
  mostInFlight(): number
  close(): Promise<void>
}

/** Sits between the gateway and the simulator and counts the requests in flight, on the wire. */
export async function inflightProxy(target: string): Promise<InflightProxy> {
  let inFlight = 0
  let most = 0
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      inFlight++
      most = Math.max(most, inFlight)
      const headers = Object.fromEntries(Object.entries(request.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host'))
      fetch(`${target}${request.url ?? '/'}`, { method: request.method ?? 'POST', headers, body: chunks.length > 0 ? Buffer.concat(chunks) : null })
        .then(async (answer) => {
          const body = Buffer.from(await answer.arrayBuffer())
          response.writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'text/plain' }).end(body)
        })
        .catch(() => response.writeHead(502).end())
        .finally(() => inFlight--)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mostInFlight: () => most,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => {
        server.close(() => {
          resolve()
        })
      })
    }
  }
}
