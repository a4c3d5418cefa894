import type { FieldDef, ModelDef, RecordSource, Row, Schema, StoredValue } from '../schema.ts'
import { emptyValue } from '../schema.ts'

/** The ORM's view of the data: models by name, and field values whether stored or computed. */
export class ModelRegistry {
  readonly schema: Schema
  readonly source: RecordSource

  constructor(schema: Schema, source: RecordSource) {
    this.schema = schema
    this.source = source
  }

  model(name: string): ModelDef | undefined {
    return this.schema.get(name)
  }

  /** The value of a field as the ORM sees it: computed, stored, or the empty value of its type. */
  value(def: ModelDef, row: Row, field: FieldDef): StoredValue {
    if (field.name === 'id') return row.id
    if (field.name === 'display_name') return def.displayName(row, this.source)
    if (field.compute) return field.compute(row, this.source)
    return row[field.name] ?? emptyValue(field)
  }

  displayName(model: string, id: number): string | false {
    const def = this.schema.get(model)
    const row = this.source.get(model, id)
    return def && row ? def.displayName(row, this.source) : false
  }
}
