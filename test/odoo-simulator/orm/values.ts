import { contactsRequireName, invalidValueField, OdooError, requiredValueMissing, typeError, wrongValue } from '../errors.ts'
import { isJsonObject } from '../python.ts'
import type { Json } from '../python.ts'
import type { FieldDef, ModelDef, Row, StoredValue, Version } from '../schema.ts'

/** New values for one record, given its current values (many2many commands are relative to them). */
export type ValuesFor = (current: Row | undefined) => Record<string, StoredValue>

/** Fields the ORM maintains itself: values given for them are ignored, as Odoo does. */
const MAGIC = new Set(['id', 'display_name', 'create_date', 'create_uid', 'write_date', 'write_uid'])

/**
 * Turns the values of a write/create call into stored values, refusing what Odoo refuses: unknown
 * fields (the whole call fails), values of the wrong kind, selection values out of range.
 */
export function parseValues(def: ModelDef, vals: Json, version: Version, operation: 'write' | 'create'): ValuesFor {
  if (!isJsonObject(vals)) throw typeError(`'${typeof vals === 'object' ? 'list' : typeof vals}' object is not a mapping`)
  const converters: [string, (current: StoredValue | undefined) => StoredValue][] = []
  for (const [name, value] of Object.entries(vals)) {
    const field = def.fields.get(name)
    if (!field) throw invalidValueField(version, def.name, name, operation)
    if (MAGIC.has(name) || (field.compute && field.type !== 'one2many')) continue
    converters.push([name, converter(def, field, value)])
  }
  return (current) => Object.fromEntries(converters.map(([name, convert]) => [name, convert(current?.[name])]))
}

function converter(def: ModelDef, field: FieldDef, value: Json): (current: StoredValue | undefined) => StoredValue {
  const fixed = (stored: StoredValue) => () => stored
  const empty = value === false || value === null
  switch (field.type) {
    case 'many2one':
      if (empty) return fixed(false)
      if (typeof value === 'number') return fixed(value)
      if (Array.isArray(value) && typeof value[0] === 'number') return fixed(value[0])
      throw wrongValue(def.name, field.name, value)
    case 'many2many':
      return many2manyCommands(def, field, value)
    case 'one2many':
      throw new OdooError({ exception: 'builtins.NotImplementedError', message: `The Odoo simulator does not write one2many fields (${def.name}.${field.name})` })
    case 'boolean':
      return fixed(Boolean(value))
    case 'integer':
    case 'float':
    case 'monetary':
      if (empty) return fixed(false)
      if (typeof value === 'number') return fixed(value)
      throw wrongValue(def.name, field.name, value)
    case 'datetime':
      if (empty) return fixed(false)
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/.test(value)) return fixed(value.length === 10 ? `${value} 00:00:00` : value)
      throw wrongValue(def.name, field.name, value)
    case 'selection':
      if (empty) return fixed(false)
      if (typeof value === 'string' && (!field.selection || field.selection.includes(value))) return fixed(value)
      throw wrongValue(def.name, field.name, value)
    default:
      if (empty) return fixed(false)
      if (typeof value === 'string') return fixed(value)
      throw wrongValue(def.name, field.name, value)
  }
}

/** A list of ids replaces the value; Command tuples (6 set, 5 clear, 4 link, 3 unlink) edit it. */
function many2manyCommands(def: ModelDef, field: FieldDef, value: Json): (current: StoredValue | undefined) => StoredValue {
  if (value === false || value === null) return () => []
  if (!Array.isArray(value)) throw wrongValue(def.name, field.name, value)
  if (value.every((v) => typeof v === 'number')) return () => [...value]
  return (current) => {
    let ids = Array.isArray(current) ? [...current] : []
    for (const command of value) {
      if (!Array.isArray(command)) throw wrongValue(def.name, field.name, value)
      const [code, id, list] = command
      if (code === 6) ids = Array.isArray(list) ? list.filter((v): v is number => typeof v === 'number') : []
      else if (code === 5) ids = []
      else if (code === 4 && typeof id === 'number' && !ids.includes(id)) ids.push(id)
      else if ((code === 3 || code === 2) && typeof id === 'number') ids = ids.filter((v) => v !== id)
      else if (code !== 4) throw wrongValue(def.name, field.name, value)
    }
    return ids
  }
}

/**
 * What the database enforces when the record is flushed: NOT NULL columns (only those the call
 * touches, or all on create), and res.partner's "contacts require a name" check constraint.
 */
export function checkConstraints(version: Version, def: ModelDef, merged: Row, touched: ReadonlySet<string> | 'all'): void {
  for (const name of def.notNull) {
    if ((touched === 'all' || touched.has(name)) && (merged[name] === undefined || merged[name] === false || merged[name] === '')) {
      const field = def.fields.get(name)
      throw requiredValueMissing(version, def.description, def.name, field?.string ?? name, name)
    }
  }
  if (def.name === 'res.partner' && (touched === 'all' || touched.has('name') || touched.has('type'))) {
    if ((merged.type ?? 'contact') === 'contact' && !merged.name) throw contactsRequireName()
  }
}
