import { Writable } from 'node:stream'
import { pino, type Logger } from 'pino'

/**
 * A plain pino logger at debug, without the service's redaction paths, that keeps every line:
 * what the gateway itself logs is asserted, not what redaction would hide.
 */
export function recordingLogger(): { log: Logger; output: () => string; entries: () => Record<string, unknown>[] } {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter((line) => line !== ''))
      done()
    }
  })
  return {
    log: pino({ level: 'debug' }, destination),
    output: () => lines.join('\n'),
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  }
}
