/** An Odoo domain in prefix notation, e.g. `[['state', '=', 'sale'], ['write_date', '>=', '2026-01-01 00:00:00']]`. */
export type OdooDomain = readonly unknown[]

/** A record as Odoo returns it: `false` for empty fields, many2one as `[id, "display name"]`. */
export interface OdooRecord {
  id: number
  [field: string]: unknown
}

export type OdooValues = Record<string, unknown>

/** Odoo's context, e.g. `{ tracking_disable: true }` to keep old values out of the chatter. */
export type OdooContext = Record<string, unknown>

export interface OdooFieldInfo {
  type: string
  string: string
  relation?: string
  required?: boolean
  readonly?: boolean
}
