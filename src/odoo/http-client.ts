import { Agent } from 'undici'
import { OdooUnavailableError } from './errors.ts'

export interface HttpRequest {
  method: 'GET' | 'POST'
  url: URL
  headers: Record<string, string>
  body?: string
  signal: AbortSignal
}

export interface HttpResponse {
  status: number
  contentType: string
  body: string
}

/** The HTTP layer every transport shares: keep-alive connections, abortable, network failures typed. */
export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>
  close(): Promise<void>
}

export function createHttpClient(options: { maxConnections: number }): HttpClient {
  const agent = new Agent({ connections: options.maxConnections })

  return {
    async send({ method, url, headers, body, signal }) {
      try {
        const response = await fetch(url, { method, headers, body: body ?? null, signal, dispatcher: agent })
        return {
          status: response.status,
          contentType: response.headers.get('content-type') ?? '',
          body: await response.text()
        }
      } catch (error) {
        throw toUnavailable(error, signal)
      }
    },
    close: () => agent.close()
  }
}

function toUnavailable(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) {
    const reason: unknown = signal.reason
    // Only our own deadline makes Odoo "unavailable"; a caller's abort is passed through untouched.
    if (reason instanceof DOMException && reason.name === 'TimeoutError') {
      return new OdooUnavailableError('Odoo did not answer in time', { cause: reason })
    }
    return reason
  }
  return new OdooUnavailableError(`Odoo is unreachable: ${describeNetworkError(error)}`, { cause: error })
}

function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code
    return code === undefined ? cause.message : `${code} ${cause.message}`
  }
  return String(cause)
}
