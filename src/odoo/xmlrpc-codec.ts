/**
 * The XML-RPC encoding Odoo's `/xmlrpc/2/*` endpoints speak (Python's xmlrpc.client with
 * allow_none): enough of the specification for Odoo's values, nothing more.
 *
 * A `Date` goes as `dateTime.iso8601` and a `Buffer` as `base64`, as Python's client sends them;
 * Odoo decodes both, but its ORM gets a real datetime only where Odoo asks xmlrpc.client for one
 * (`use_datetime`, in recent releases; older ones pass a `DateTime` wrapper on), and binary
 * fields take base64 text. So the gateway's callers pass Odoo's own forms, "YYYY-MM-DD HH:MM:SS"
 * in UTC and base64 strings, which every version and every transport takes.
 */

export type XmlRpcResponse = { fault: false; value: unknown } | { fault: true; faultCode: number; faultString: string }

/** Raised when a body is not an XML-RPC method response (an HTML error page, a truncated answer). */
export class XmlRpcFormatError extends Error {
  override name = 'XmlRpcFormatError'
}

export function encodeMethodCall(method: string, params: readonly unknown[]): string {
  const encodedParams = params.map((param) => `<param><value>${encodeValue(param)}</value></param>`).join('')
  return `<?xml version="1.0"?><methodCall><methodName>${escapeText(method)}</methodName><params>${encodedParams}</params></methodCall>`
}

const INT32_MAX = 2 ** 31 - 1
const INT32_MIN = -(2 ** 31)

function encodeValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil/>'
  if (typeof value === 'boolean') return `<boolean>${value ? 1 : 0}</boolean>`
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return `<double>${value}</double>`
    return value >= INT32_MIN && value <= INT32_MAX ? `<int>${value}</int>` : `<i8>${value}</i8>`
  }
  if (typeof value === 'string') return `<string>${escapeText(value)}</string>`
  if (Array.isArray(value)) return `<array><data>${value.map((item) => `<value>${encodeValue(item)}</value>`).join('')}</data></array>`
  if (value instanceof Date) return `<dateTime.iso8601>${encodeDateTime(value)}</dateTime.iso8601>`
  if (value instanceof Uint8Array) return `<base64>${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}</base64>`
  if (isPlainObject(value)) {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .map(([name, member]) => `<member><name>${escapeText(name)}</name><value>${encodeValue(member)}</value></member>`)
    return `<struct>${members.join('')}</struct>`
  }
  throw new TypeError(`XML-RPC cannot encode ${describeType(value)}: pass plain objects, arrays, strings, numbers, booleans, null, Dates or Buffers`)
}

/**
 * Python's xmlrpc.client, which decodes Odoo's requests, reads a dateTime only as
 * `YYYYMMDDTHH:MM:SS` (no zone, no fraction): the instant in UTC, as Odoo stores datetimes, and to
 * the second, as Python's own client sends one.
 */
function encodeDateTime(date: Date): string {
  // Python's datetime holds the years 1 to 9999 only; an invalid Date has no year at all.
  const year = date.getUTCFullYear()
  if (!(year >= 1 && year <= 9999)) throw new TypeError('XML-RPC cannot encode a Date outside the years 1 to 9999 (or an invalid Date)')
  const iso = date.toISOString()
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 19)}`
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

// The type only, never the value: parameters carry customers' data.
function describeType(value: unknown): string {
  if (typeof value !== 'object' || value === null) return `a ${typeof value}`
  // An object made by Object.create(null) has no constructor.
  const maker = (value as { constructor?: { name: string } }).constructor
  return `a ${maker?.name ?? 'object'}`
}

function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

type Token = { kind: 'open' | 'close' | 'empty'; name: string } | { kind: 'text'; text: string }

// A tag's attributes start after its whole name, so that the name and the attributes cannot trade
// characters (which backtracks polynomially on a long name).
const TOKEN = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<(\/?)([A-Z_][\w.:-]*)(?:[^\w.:>-][^>]*?)??(\/?)>|([^<]+)|</gi

function tokenize(xml: string): Token[] {
  const tokens: Token[] = []
  for (const match of xml.matchAll(TOKEN)) {
    const [whole, slash, name, selfClosing, text] = match
    if (text !== undefined) tokens.push({ kind: 'text', text })
    else if (name !== undefined) tokens.push({ kind: slash ? 'close' : selfClosing ? 'empty' : 'open', name })
    else if (whole === '<') throw new XmlRpcFormatError('stray "<" in the body')
  }
  return tokens
}

const ENTITY = /&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

function decodeText(text: string): string {
  return text.replace(ENTITY, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16))
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10))
    return NAMED_ENTITIES[entity] ?? ''
  })
}

export function decodeMethodResponse(xml: string): XmlRpcResponse {
  const reader = new TokenReader(tokenize(xml))
  reader.open('methodResponse')
  let response: XmlRpcResponse
  if (reader.peekOpen('fault')) {
    reader.open('fault')
    const fault = readValue(reader) as { faultCode?: unknown; faultString?: unknown } | null
    reader.close('fault')
    response = { fault: true, faultCode: Number(fault?.faultCode), faultString: typeof fault?.faultString === 'string' ? fault.faultString : '' }
  } else {
    reader.open('params')
    reader.open('param')
    response = { fault: false, value: readValue(reader) }
    reader.close('param')
    reader.close('params')
  }
  reader.close('methodResponse')
  return response
}

function readValue(reader: TokenReader): unknown {
  if (reader.takeEmpty('value')) return ''
  reader.open('value')
  const untyped = reader.text()
  if (reader.peekClose('value')) {
    reader.close('value')
    return decodeText(untyped)
  }
  const value = readTypedValue(reader)
  reader.close('value')
  return value
}

function readTypedValue(reader: TokenReader): unknown {
  const type = reader.nextTagName()
  if (reader.takeEmpty(type)) return emptyValue(type)
  reader.open(type)
  let value: unknown
  switch (type) {
    case 'string':
    case 'dateTime.iso8601':
    case 'base64':
      value = decodeText(reader.text())
      break
    case 'int':
    case 'i4':
    case 'i8':
      value = Number.parseInt(reader.text(), 10)
      break
    case 'double':
      value = Number.parseFloat(reader.text())
      break
    case 'boolean':
      value = reader.text().trim() === '1'
      break
    case 'nil':
      value = null
      break
    case 'array':
      value = readArrayData(reader)
      break
    case 'struct':
      value = readStructMembers(reader)
      break
    default:
      throw new XmlRpcFormatError(`unknown XML-RPC type <${type}>`)
  }
  reader.close(type)
  return value
}

function emptyValue(type: string): unknown {
  if (type === 'nil') return null
  if (type === 'array') return []
  if (type === 'struct') return {}
  if (type === 'string' || type === 'base64') return ''
  throw new XmlRpcFormatError(`empty <${type}/>`)
}

function readArrayData(reader: TokenReader): unknown[] {
  if (reader.takeEmpty('data')) return []
  reader.open('data')
  const items: unknown[] = []
  while (!reader.peekClose('data')) items.push(readValue(reader))
  reader.close('data')
  return items
}

function readStructMembers(reader: TokenReader): Record<string, unknown> {
  const struct: Record<string, unknown> = {}
  while (!reader.peekClose('struct')) {
    reader.open('member')
    reader.open('name')
    const name = decodeText(reader.text())
    reader.close('name')
    struct[name] = readValue(reader)
    reader.close('member')
  }
  return struct
}

class TokenReader {
  private position = 0
  private readonly tokens: Token[]

  constructor(tokens: Token[]) {
    this.tokens = tokens
  }

  /** The text up to the next tag (empty when a tag follows at once). */
  text(): string {
    const token = this.tokens[this.position]
    if (token?.kind !== 'text') return ''
    this.position++
    return token.text
  }

  open(name: string): void {
    this.expect('open', name)
  }

  close(name: string): void {
    this.expect('close', name)
  }

  takeEmpty(name: string): boolean {
    const token = this.significant()
    if (token?.kind !== 'empty' || token.name !== name) return false
    this.position++
    return true
  }

  peekOpen(name: string): boolean {
    const token = this.significant()
    return token?.kind === 'open' && token.name === name
  }

  peekClose(name: string): boolean {
    const token = this.significant()
    return token?.kind === 'close' && token.name === name
  }

  nextTagName(): string {
    const token = this.significant()
    if (token === undefined || token.kind === 'text') throw new XmlRpcFormatError('expected an XML-RPC type')
    return token.name
  }

  private expect(kind: 'open' | 'close', name: string): void {
    const token = this.significant()
    if (token?.kind !== kind || token.name !== name) {
      throw new XmlRpcFormatError(`expected ${kind === 'open' ? `<${name}>` : `</${name}>`}, found ${describe(token)}`)
    }
    this.position++
  }

  /** The next token, skipping the whitespace between structural tags. */
  private significant(): Token | undefined {
    let token = this.tokens[this.position]
    while (token?.kind === 'text' && token.text.trim() === '') token = this.tokens[++this.position]
    return token
  }
}

function describe(token: Token | undefined): string {
  if (token === undefined) return 'the end of the body'
  if (token.kind === 'text') return 'text'
  return token.kind === 'close' ? `</${token.name}>` : `<${token.name}>`
}
