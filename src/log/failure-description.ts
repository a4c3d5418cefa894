import { z } from 'zod'
import { OdooError } from '../odoo/errors.ts'

/**
 * What the service stores, logs or hands to pg-boss about a failure: the exception class, the
 * code, the model, method and field names, never a message written by someone else. Odoo's
 * messages quote record names and values; PostgreSQL's quote the value it refused
 * (`invalid input syntax for type integer: "…"`); `JSON.parse`'s quote its input.
 */
export const failureDescriptionSchema = z
  .object({
    kind: z.string().describe('`odoo.<kind>` (validation, access, unavailable…), `internal`, or a step of the service'),
    exceptionName: z.string().optional().describe('The exception class, e.g. `odoo.exceptions.ValidationError`'),
    code: z.string().optional().describe('As the protocol reported it: `XML-RPC fault 2`, `JSON-RPC error 200`, `HTTP 422`, or an SQLSTATE'),
    model: z.string().optional(),
    method: z.string().optional(),
    fields: z.array(z.string()).optional().describe('Field names the failure is about; never their values'),
    message: z.string()
  })
  .meta({ id: 'FailureDescription' })
export type FailureDescription = z.infer<typeof failureDescriptionSchema>

const IDENTIFIER = /^[A-Z_][\w.-]{0,99}$/i
// SQLSTATEs (`22P02`), Node's codes (`ECONNREFUSED`, `ERR_INVALID_URL`).
const CODE = /^\w{1,60}$/

export function describeFailure(error: unknown): FailureDescription {
  if (error instanceof OdooError) {
    const { kind, ...described } = error.describe()
    return { kind: `odoo.${kind}`, ...described }
  }
  if (!(error instanceof Error)) return { kind: 'internal', message: 'something that is not an Error was thrown' }
  const code = codeOf(error)
  // PostgreSQL names the constraint, table or column it refused: schema names, safe to repeat.
  const where = ['constraint', 'table', 'column'].map((key) => identifierAt(error, key)).find((name) => name !== undefined)
  const exceptionName = IDENTIFIER.test(error.name) ? error.name : 'Error'
  return {
    kind: 'internal',
    exceptionName,
    ...(code === undefined ? {} : { code }),
    message: [exceptionName, code, where === undefined ? undefined : `on ${where}`].filter(Boolean).join(' ') + ' (its message is not recorded: it may quote a value)'
  }
}

function codeOf(error: Error): string | undefined {
  const code: unknown = (error as { code?: unknown }).code
  if (typeof code === 'number') return String(code)
  return typeof code === 'string' && CODE.test(code) ? code : undefined
}

function identifierAt(error: Error, key: string): string | undefined {
  const value: unknown = (error as unknown as Record<string, unknown>)[key]
  return typeof value === 'string' && IDENTIFIER.test(value) ? value : undefined
}

const STACK_FRAME = /^ {4}at \S/

/**
 * pino's `err` serializer: an error is logged as its description and its stack frames (file and
 * line, to find the bug), without the stack's first lines, which repeat the message. Objects that
 * are not errors are logged as the caller built them.
 */
export function serializeErrorForLog(value: unknown): unknown {
  return value instanceof Error ? serializeError(value, 0) : value
}

function serializeError(error: Error, depth: number): Record<string, unknown> {
  const serialized: Record<string, unknown> = { type: error.name, ...describeFailure(error) }
  const frames = stackFrames(error)
  if (frames !== '') serialized.stack = frames
  if (error.cause !== undefined && depth < 3) serialized.cause = error.cause instanceof Error ? serializeError(error.cause, depth + 1) : describeFailure(error.cause)
  return serialized
}

function stackFrames(error: Error): string {
  const stack = error.stack ?? ''
  const messageAt = error.message === '' ? -1 : stack.indexOf(error.message)
  const afterMessage = messageAt === -1 ? stack : stack.slice(messageAt + error.message.length)
  return afterMessage.split('\n').filter((line) => STACK_FRAME.test(line)).join('\n')
}
