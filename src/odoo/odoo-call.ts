/**
 * One call of an Odoo model method, independent of the protocol that carries it: record methods
 * (`read`, `write`, `unlink`, `has_access`) name their records in `ids`; everything else is a named
 * argument, as Odoo's JSON-2 API takes them. `context` is a named argument too.
 */
export interface OdooCall {
  model: string
  method: string
  ids?: readonly number[]
  params: Record<string, unknown>
}

// The arguments execute_kw conventionally receives by position (after the ids of a record
// method), in the order of the Python signature; the rest travel as keyword arguments.
const POSITIONAL_PARAMS: Record<string, readonly string[]> = {
  search_read: ['domain'],
  search_count: ['domain'],
  write: ['vals'],
  create: ['vals_list'],
  check_access_rights: ['operation'],
  has_access: ['operation']
}

/** The `args` and `kwargs` of XML-RPC's and JSON-RPC's `execute_kw` for a call. */
export function toExecuteKw(call: OdooCall): { args: unknown[]; kwargs: Record<string, unknown> } {
  const positional = POSITIONAL_PARAMS[call.method] ?? []
  const args: unknown[] = call.ids === undefined ? [] : [call.ids]
  const kwargs: Record<string, unknown> = {}
  for (const name of positional) args.push(call.params[name])
  for (const [name, value] of Object.entries(call.params)) {
    if (!positional.includes(name) && value !== undefined) kwargs[name] = value
  }
  return { args, kwargs }
}

/** The body of a JSON-2 request for a call: named arguments only, `ids` for record methods. */
export function toJson2Body(call: OdooCall): Record<string, unknown> {
  const body: Record<string, unknown> = call.ids === undefined ? {} : { ids: call.ids }
  for (const [name, value] of Object.entries(call.params)) {
    if (value !== undefined) body[name] = value
  }
  return body
}

/**
 * The field names a call carries: keys of its values, the fields it reads, the fields its domain
 * filters on (and the first step of a dotted path). Names only, never the values.
 */
export function fieldNamesOf(call: OdooCall): string[] {
  const { vals, vals_list: valsList, fields, domain } = call.params
  const names: string[] = []
  if (isPlainObject(vals)) names.push(...Object.keys(vals))
  if (Array.isArray(valsList)) for (const values of valsList) if (isPlainObject(values)) names.push(...Object.keys(values))
  if (Array.isArray(fields)) names.push(...fields.filter((field): field is string => typeof field === 'string'))
  if (Array.isArray(domain)) {
    for (const leaf of domain) {
      const path: unknown = Array.isArray(leaf) ? leaf[0] : undefined
      if (typeof path === 'string') names.push(path, path.split('.')[0] as string)
    }
  }
  return [...new Set(names)]
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
