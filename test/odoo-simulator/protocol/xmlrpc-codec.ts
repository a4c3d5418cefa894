import { PyFloat, floatRepr } from '../python.ts'
import type { Json, PyValue } from '../python.ts'
import type { Version } from '../schema.ts'

/**
 * XML-RPC as Odoo speaks it: requests decoded the way Python's xmlrpc.client reads them, responses
 * written byte for byte as Odoo's marshaller writes them (including the blank line before
 * </methodResponse> and <boolean>0</boolean> for False).
 */
export interface MethodCall {
  method: string
  params: Json[]
}

interface XmlElement {
  name: string
  children: XmlElement[]
  text: string
}

const TOKEN = /<!\[CDATA\[([\s\S]*?)\]\]>|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>|([^<]+)/g

export function parseMethodCall(xml: string): MethodCall {
  const root = parseXml(xml)
  if (root.name !== 'methodCall') throw new Error('not an XML-RPC methodCall')
  const method = child(root, 'methodName')?.text.trim()
  if (!method) throw new Error('methodCall without methodName')
  const params = child(root, 'params')?.children.filter((c) => c.name === 'param') ?? []
  return { method, params: params.map((p) => decodeValue(required(child(p, 'value')))) }
}

export function serializeResponse(version: Version, value: PyValue): string {
  return envelope(version, `<params>\n<param>\n${encodeValue(value)}</param>\n</params>\n`)
}

export function serializeFault(version: Version, faultCode: number, faultString: string): string {
  return envelope(version, `<fault>\n${encodeValue({ faultCode, faultString })}</fault>\n`)
}

// Odoo 16 and 17 answer with Python's xmlrpc.client.dumps (single quotes), 18 on with a template of its own.
function envelope(version: Version, body: string): string {
  if (version <= 17) return `<?xml version='1.0'?>\n<methodResponse>\n${body}</methodResponse>\n`
  return `<?xml version="1.0"?>\n<methodResponse>\n${body}\n</methodResponse>\n`
}

function encodeValue(value: PyValue): string {
  if (value === null) return '<value><nil/></value>'
  if (typeof value === 'boolean') return `<value><boolean>${value ? 1 : 0}</boolean></value>\n`
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? `<value><int>${value}</int></value>\n`
      : `<value><double>${floatRepr(value)}</double></value>\n`
  }
  if (value instanceof PyFloat) return `<value><double>${floatRepr(value.value)}</double></value>\n`
  if (typeof value === 'string') return `<value><string>${escapeXml(value)}</string></value>\n`
  if (Array.isArray(value)) return `<value><array><data>\n${value.map(encodeValue).join('')}</data></array></value>\n`
  const members = Object.entries(value)
    .map(([key, item]) => `<member>\n<name>${escapeXml(key)}</name>\n${encodeValue(item)}</member>\n`)
    .join('')
  return `<value><struct>\n${members}</struct></value>\n`
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function decodeValue(value: XmlElement): Json {
  const typed = value.children[0]
  if (!typed) return value.text
  switch (typed.name) {
    case 'int':
    case 'i4':
    case 'i8':
      return parseNumber(typed.text, Number.parseInt)
    case 'double':
      return parseNumber(typed.text, Number.parseFloat)
    case 'boolean':
      return typed.text.trim() === '1'
    case 'string':
    case 'base64':
      return typed.text
    case 'nil':
      return null
    case 'dateTime.iso8601':
      return decodeIsoDate(typed.text.trim())
    case 'array':
      return (child(typed, 'data')?.children ?? []).filter((c) => c.name === 'value').map(decodeValue)
    case 'struct': {
      const out: { [key: string]: Json } = {}
      for (const member of typed.children.filter((c) => c.name === 'member')) {
        out[required(child(member, 'name')).text] = decodeValue(required(child(member, 'value')))
      }
      return out
    }
    default:
      throw new Error(`unknown XML-RPC type <${typed.name}>`)
  }
}

function parseNumber(text: string, parse: (s: string) => number): number {
  const n = parse(text.trim())
  if (Number.isNaN(n)) throw new Error(`not a number: ${text}`)
  return n
}

/** Odoo hands dateTime values to the ORM as its own "YYYY-MM-DD HH:MM:SS" strings. */
function decodeIsoDate(text: string): string {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(text)
  if (!m) throw new Error(`not an XML-RPC dateTime: ${text}`)
  return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}`
}

function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name)
}

function required(element: XmlElement | undefined): XmlElement {
  if (!element) throw new Error('malformed XML-RPC request')
  return element
}

function parseXml(xml: string): XmlElement {
  const document: XmlElement = { name: '#document', children: [], text: '' }
  const stack: XmlElement[] = [document]
  for (const m of xml.matchAll(TOKEN)) {
    const current = stack[stack.length - 1] as XmlElement
    const [, cdata, closing, name, selfClosing, text] = m
    if (cdata !== undefined) current.text += cdata
    else if (text !== undefined) current.text += decodeEntities(text)
    else if (name !== undefined && closing) {
      if (current.name !== name) throw new Error(`mismatched tag </${name}>`)
      stack.pop()
    } else if (name !== undefined) {
      const element: XmlElement = { name, children: [], text: '' }
      current.children.push(element)
      if (!selfClosing) stack.push(element)
    }
  }
  const root = document.children[0]
  if (stack.length !== 1 || !root) throw new Error('truncated XML document')
  return root
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16))
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10))
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[entity] ?? ''
  })
}
