import type { Schema } from './schema.ts'
import type { Tables } from './tables.ts'

/** A delete PostgreSQL refuses: another record still points at one being deleted. */
export class ForeignKeyViolation extends Error {
  readonly model: string
  readonly referencingModel: string
  readonly field: string

  constructor(model: string, referencingModel: string, field: string) {
    super(`cannot delete ${model}: ${referencingModel}.${field} still refers to it`)
    this.model = model
    this.referencingModel = referencingModel
    this.field = field
  }
}

interface Reference {
  model: string
  field: string
}

/**
 * Deletes records as the database's foreign keys and mail.thread do: many2one with ondelete
 * cascade take their records along, other many2one and many2many values are emptied, chatter
 * messages of the records go. Refused as a whole when a restricting many2one still points at one.
 */
export function deleteWithDependants(schema: Schema, tables: Tables, model: string, ids: readonly number[]): void {
  const doomed = collect(schema, tables, model, ids)
  for (const [target, targetIds] of doomed) checkRestrict(schema, tables, target, targetIds, doomed)
  for (const [target, targetIds] of doomed) for (const id of targetIds) detach(schema, tables, target, id)
  for (const [target, targetIds] of doomed) for (const id of targetIds) tables.delete(target, id)
}

function collect(schema: Schema, tables: Tables, model: string, ids: readonly number[]): Map<string, Set<number>> {
  const doomed = new Map<string, Set<number>>()
  const queue: [string, number][] = ids.map((id) => [model, id])
  for (let item = queue.shift(); item; item = queue.shift()) {
    const [target, id] = item
    let set = doomed.get(target)
    if (!set) doomed.set(target, (set = new Set()))
    if (set.has(id) || !tables.get(target, id)) continue
    set.add(id)
    for (const ref of references(schema, target, 'cascade')) {
      for (const refId of tables.referencing(ref.model, ref.field, id)) queue.push([ref.model, refId])
    }
    if (schema.get(target)?.isMailThread) {
      for (const message of tables.rows('mail.message')) {
        if (message.model === target && message.res_id === id) queue.push(['mail.message', message.id])
      }
    }
  }
  return doomed
}

function checkRestrict(schema: Schema, tables: Tables, model: string, ids: Set<number>, doomed: Map<string, Set<number>>): void {
  for (const ref of references(schema, model, 'restrict')) {
    for (const id of ids) {
      if (tables.referencing(ref.model, ref.field, id).some((refId) => !doomed.get(ref.model)?.has(refId))) {
        throw new ForeignKeyViolation(model, ref.model, ref.field)
      }
    }
  }
}

/** Empties the many2one and many2many values that point at a record about to be deleted. */
function detach(schema: Schema, tables: Tables, model: string, id: number): void {
  for (const def of schema.values()) {
    for (const field of def.fields.values()) {
      if (field.relation !== model || field.compute || field.ondelete) continue
      if (field.type === 'many2one') {
        for (const refId of tables.referencing(def.name, field.name, id)) tables.patch(def.name, refId, { [field.name]: false })
      } else if (field.type === 'many2many') {
        for (const row of tables.rows(def.name)) {
          const value = row[field.name]
          if (Array.isArray(value) && value.includes(id)) tables.patch(def.name, row.id, { [field.name]: value.filter((v) => v !== id) })
        }
      }
    }
  }
}

function references(schema: Schema, model: string, ondelete: 'cascade' | 'restrict'): Reference[] {
  const refs: Reference[] = []
  for (const def of schema.values()) {
    for (const field of def.fields.values()) {
      if (field.type === 'many2one' && field.relation === model && field.ondelete === ondelete) refs.push({ model: def.name, field: field.name })
    }
  }
  return refs
}
