/**
 * Python values as Odoo returns them. A float field stays a float even when integral (23.0): XML-RPC
 * encodes it as <double>, so it must not be confused with an int on the way out.
 */
export class PyFloat {
  readonly value: number

  constructor(value: number) {
    this.value = value
  }

  toJSON(): number {
    return this.value
  }
}

/** What a client sends (JSON-RPC, JSON-2, decoded XML-RPC). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** What an RPC method answers. */
export type PyValue = null | boolean | number | string | PyFloat | PyValue[] | { [key: string]: PyValue }

export function isJsonObject(value: unknown): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Python's repr(), used where Odoo puts a value in a message: "Invalid leaf ('name', 'bogus', 1)". */
export function pyRepr(value: unknown, tuple = false): string {
  if (value === null || value === undefined) return 'None'
  if (value === true) return 'True'
  if (value === false) return 'False'
  if (typeof value === 'number') return String(value)
  if (value instanceof PyFloat) return floatRepr(value.value)
  if (typeof value === 'string') return stringRepr(value)
  if (Array.isArray(value)) {
    const items = value.map((item) => pyRepr(item))
    if (!tuple) return `[${items.join(', ')}]`
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`
  }
  // What JSON never decodes to.
  if (typeof value === 'bigint' || typeof value === 'symbol') return value.toString()
  if (typeof value === 'function') return `<function ${value.name}>`
  return `{${Object.entries(value).map(([k, v]) => `${stringRepr(k)}: ${pyRepr(v)}`).join(', ')}}`
}

/** Python's str(), as Odoo formats a value into a message or a LIKE pattern: a string as it is, anything else as its repr. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value)
}

export function floatRepr(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e16 ? `${value}.0` : String(value)
}

function stringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'"
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t')
  return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote
}
