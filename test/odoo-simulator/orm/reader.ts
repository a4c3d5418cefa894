import { PyFloat } from '../python.ts'
import type { PyValue } from '../python.ts'
import type { FieldDef, ModelDef, Row, StoredValue } from '../schema.ts'
import { truncateToSeconds } from '../timestamps.ts'
import type { ModelRegistry } from './fields.ts'

/**
 * Formats a stored row the way read() returns it: many2one as [id, "display name"] (or the bare id
 * when load is falsy), x2many as id lists, floats as floats, datetimes truncated to whole seconds,
 * empty values as False.
 */
export function readRow(def: ModelDef, row: Row, fields: readonly FieldDef[], registry: ModelRegistry, load: boolean): Record<string, PyValue> {
  const out: Record<string, PyValue> = { id: row.id }
  for (const field of fields) out[field.name] = formatValue(field, registry.value(def, row, field), registry, load)
  return out
}

export function formatValue(field: FieldDef, value: StoredValue, registry: ModelRegistry, load = true): PyValue {
  switch (field.type) {
    case 'many2one':
      if (typeof value !== 'number' || !value) return false
      return load ? [value, registry.displayName(field.relation as string, value)] : value
    case 'one2many':
    case 'many2many':
      return Array.isArray(value) ? [...value] : []
    case 'float':
    case 'monetary':
      return new PyFloat(typeof value === 'number' ? value : 0)
    case 'integer':
    case 'many2one_reference':
      return typeof value === 'number' ? value : 0
    case 'boolean':
      return Boolean(value)
    case 'datetime':
      return typeof value === 'string' && value ? truncateToSeconds(value) : false
    default:
      return Array.isArray(value) ? [...value] : value
  }
}
