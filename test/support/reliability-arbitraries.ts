import fc from 'fast-check'

/** The part of an OpenAPI 3.1 document the fuzzer reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, JsonSchema> }
}

export interface Operation {
  description?: string
  security?: unknown[]
  parameters?: Array<{ name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: JsonSchema }>
  requestBody?: { content: Record<string, { schema: JsonSchema }> }
}

export type JsonSchema = {
  $ref?: string
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  format?: string
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  items?: JsonSchema
  minItems?: number
  maxItems?: number
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: JsonSchema | boolean
  propertyNames?: JsonSchema
  allOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  anyOf?: JsonSchema[]
  default?: unknown
}

const MAX_DEPTH = 6

/** Any JSON value, small: what a confused or hostile client might send anywhere. */
export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3, depthSize: 'small' })

/** Strings that tend to break things: empty, huge, control and combining characters, SQL and path syntax, number-like. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '%', '%00', '../..', "'; DROP TABLE audit_log; --", '\u202e', 'NaN', '-1', '0', '1e309', '9999999999999999999999', '2147483648', 'null', 'true', '[]', '{}', 'a'.repeat(5000)),
  fc.integer().map(String),
  fc.double().map(String)
)

/** ISO date strings across the whole range JavaScript can represent (six-digit and negative years included). */
const isoDate: fc.Arbitrary<string> = fc.date({ noInvalidDate: true }).map((d) => d.toISOString())

/**
 * Values that satisfy `schema` (as far as a generator can: patterns via regular expressions,
 * numbers within their bounds); an empty schema, as zod's coerced dates come out, gets dates or any JSON.
 */
export function valueFor(schema: JsonSchema, doc: OpenApiDocument, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref) return valueFor(resolve(schema.$ref, doc), doc, depth)
  if (depth > MAX_DEPTH) return fc.constant(null)
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (schema.enum) return fc.constantFrom(...schema.enum)
  if (schema.allOf) {
    return fc.tuple(...schema.allOf.map((part) => valueFor(part, doc, depth + 1))).map((parts): unknown => Object.assign({}, ...parts.filter((p) => typeof p === 'object' && p !== null)))
  }
  const alternatives = schema.oneOf ?? schema.anyOf
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => valueFor(alternative, doc, depth + 1)))
  if (Array.isArray(schema.type)) return fc.oneof(...schema.type.map((type) => valueFor({ ...schema, type }, doc, depth)))
  switch (schema.type) {
    case 'string':
      return stringFor(schema)
    case 'integer':
      return fc.integer({ min: lowerBound(schema, Number.MIN_SAFE_INTEGER, 1), max: Math.min(schema.maximum ?? Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER) })
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: lowerBound(schema, -1e12, Number.EPSILON), max: schema.maximum ?? 1e12 })
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array':
      return fc.array(schema.items ? valueFor(schema.items, doc, depth + 1) : anyJson, { minLength: schema.minItems ?? 0, maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4)) })
    case 'object':
      return objectFor(schema, doc, depth)
    default:
      return fc.oneof(isoDate, anyJson)
  }
}

function resolve(ref: string, doc: OpenApiDocument): JsonSchema {
  const name = ref.replace('#/components/schemas/', '')
  const schema = doc.components?.schemas?.[name]
  if (!schema) throw new Error(`unresolved ${ref}`)
  return schema
}

function lowerBound(schema: JsonSchema, fallback: number, step: number): number {
  if (schema.minimum !== undefined) return schema.minimum
  if (schema.exclusiveMinimum !== undefined) return schema.exclusiveMinimum + step
  return fallback
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid()
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= (schema.minLength ?? 0) && s.length <= (schema.maxLength ?? Infinity))
  if (schema.format === 'email') return fc.emailAddress()
  if (schema.format === 'date-time') return isoDate
  const minLength = schema.minLength ?? 0
  return fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(schema.maxLength ?? 60, Math.max(minLength, 60)) })
}

function objectFor(schema: JsonSchema, doc: OpenApiDocument, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {}
  const keys = Object.keys(properties)
  if (keys.length === 0 && schema.propertyNames?.enum && typeof schema.additionalProperties === 'object') {
    const names = schema.propertyNames.enum.map(String)
    return fc.dictionary(fc.constantFrom(...names), valueFor(schema.additionalProperties, doc, depth + 1), { maxKeys: names.length })
  }
  if (keys.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 3 })
  const record = Object.fromEntries(keys.map((key) => [key, valueFor(properties[key] as JsonSchema, doc, depth + 1)]))
  return fc.record(record, { requiredKeys: (schema.required ?? []).filter((key) => keys.includes(key)) })
}

/** A valid value with one thing wrong: a member replaced by anything, removed, or an unknown one added. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), fc.constantFrom('replace', 'remove', 'add'), fc.oneof(anyJson, nastyString), fc.string({ maxLength: 10 })).map(([value, pick, how, junk, extraKey]) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return junk
    const entries = Object.entries(value as Record<string, unknown>)
    const index = pick % Math.max(entries.length, 1)
    if (how === 'add' || entries.length === 0) return { ...Object.fromEntries(entries), [extraKey]: junk }
    if (how === 'remove') return Object.fromEntries(entries.filter((_, i) => i !== index))
    return Object.fromEntries(entries.map(([k, v], i) => [k, i === index ? junk : v]))
  })
}

export type Body = { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; contentType: string }

/** Bodies for an operation: mostly schema-shaped (valid or nearly), also any JSON, broken JSON, other media types, nothing. */
export function bodyFor(operation: Operation, doc: OpenApiDocument): fc.Arbitrary<Body> {
  const schema = operation.requestBody?.content['application/json']?.schema
  const json = (value: fc.Arbitrary<unknown>) => value.map((v): Body => ({ kind: 'json', value: v }))
  const broken = fc.oneof(
    fc.string({ maxLength: 30 }).map((text): Body => ({ kind: 'raw', text, contentType: 'application/json' })),
    fc.constantFrom('{', '{"a":', '[1,', '\u0000', '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}').map((text): Body => ({ kind: 'raw', text, contentType: 'application/json' })),
    anyJson.map((v): Body => ({ kind: 'raw', text: JSON.stringify(v), contentType: 'text/plain' }))
  )
  if (!schema) return fc.oneof({ weight: 6, arbitrary: fc.constant<Body>({ kind: 'none' }) }, { weight: 2, arbitrary: json(anyJson) }, { weight: 1, arbitrary: broken })
  const valid = valueFor(schema, doc)
  return fc.oneof(
    { weight: 5, arbitrary: json(valid) },
    { weight: 4, arbitrary: json(mutated(valid)) },
    { weight: 2, arbitrary: json(anyJson) },
    { weight: 1, arbitrary: broken },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) }
  )
}

/** A query string for an operation: declared parameters valid, nasty or absent, sometimes an unknown one. */
export function queryFor(operation: Operation, doc: OpenApiDocument): fc.Arbitrary<string> {
  const params = (operation.parameters ?? []).filter((p) => p.in === 'query')
  const entries = params.map((p) =>
    fc.option(fc.oneof({ weight: 3, arbitrary: valueFor(p.schema ?? {}, doc).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) }, { weight: 1, arbitrary: nastyString }), { nil: undefined, freq: 3 }).map((v) => [p.name, v] as const)
  )
  const unknown = fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), nastyString), { nil: undefined, freq: 4 })
  return fc.tuple(fc.tuple(...entries), unknown, fc.boolean()).map(([pairs, extra, repeat]) => {
    const search = new URLSearchParams()
    for (const [name, value] of pairs) {
      if (value === undefined) continue
      search.append(name, value)
      if (repeat) search.append(name, value) // the same parameter twice: arrives as an array
    }
    if (extra) search.append(extra[0], extra[1])
    const text = search.toString()
    return text ? `?${text}` : ''
  })
}

/** Path parameters: ids the database knows (so routes get past "not found"), schema-valid ones, anything. */
export function pathFor(path: string, operation: Operation, doc: OpenApiDocument, known: (param: string, path: string) => readonly string[]): fc.Arbitrary<string> {
  const params = (operation.parameters ?? []).filter((p) => p.in === 'path')
  if (params.length === 0) return fc.constant(path)
  const values = params.map((p) => {
    const ids = known(p.name, path)
    const choices = [
      { weight: 2, arbitrary: valueFor(p.schema ?? {}, doc).map((v) => String(v)) },
      { weight: 1, arbitrary: nastyString.filter((s) => s.length > 0) }
    ]
    return (ids.length > 0 ? fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...ids) }, ...choices) : fc.oneof(...choices)).map((v) => [p.name, v] as const)
  })
  return fc.tuple(...values).map((pairs) => pairs.reduce((url, [name, value]) => url.replace(`{${name}}`, encodeURIComponent(value)), path))
}
