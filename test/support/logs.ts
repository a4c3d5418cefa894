import { Writable } from 'node:stream'
import { createLogger } from '../../src/log/logger.ts'
import type { Logger } from '../../src/log/logger.ts'

/** A real service logger whose output is kept, so tests can assert on what reaches the logs. */
export function capturedLogger(level: 'info' | 'debug' | 'trace' = 'debug'): { log: Logger; output: () => string } {
  const chunks: string[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString())
      done()
    }
  })
  return { log: createLogger({ level, destination }), output: () => chunks.join('') }
}
