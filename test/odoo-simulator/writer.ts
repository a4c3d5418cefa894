import { defaultValues } from './defaults.ts'
import type { ModelDef, Row, Schema, StoredValue, Version } from './schema.ts'
import type { Tables } from './tables.ts'
import type { TransactionClock } from './timestamps.ts'
import { formatDatetime } from './timestamps.ts'

type Values = Record<string, StoredValue>

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

export interface WriteOptions {
  uid: number
  /** Post chatter tracking for tracked fields, as mail.thread does unless the context disables it. */
  tracking: boolean
}

/**
 * The data changes Odoo's ORM makes around a create, write or unlink: every transaction stamps
 * create_date/write_date with its own microsecond time, a write of tracked fields posts a chatter
 * message holding old and new values, a delete cascades like the database's foreign keys.
 */
export class DataWriter {
  readonly #schema: Schema
  readonly #tables: Tables
  readonly #clock: TransactionClock
  readonly #version: Version

  constructor(schema: Schema, tables: Tables, clock: TransactionClock, version: Version) {
    this.#schema = schema
    this.#tables = tables
    this.#clock = clock
    this.#version = version
  }

  create(model: string, values: Values, uid: number): Row {
    return this.insert(model, this.prepare(model, values, uid), uid)
  }

  /** The values of a new record: Odoo's defaults completed by the given values. */
  prepare(model: string, values: Values, uid: number): Values {
    return { ...defaultValues(model, values, { tables: this.#tables, version: this.#version, uid, now: this.#clock.now() }), ...values }
  }

  /** Inserts prepared values in a transaction of its own. */
  insert(model: string, values: Values, uid: number): Row {
    const stamp = this.#clock.stamp()
    return this.#tables.insert(model, { ...values, create_date: stamp, write_date: stamp, create_uid: uid, write_uid: uid })
  }

  /** One transaction writing every record: the values may depend on the record (many2many commands). */
  write(model: string, ids: readonly number[], valuesFor: (current: Row) => Values, options: WriteOptions): void {
    const def = this.#model(model)
    const stamp = this.#clock.stamp()
    const tracked = options.tracking ? def.tracked : []
    for (const id of ids) {
      const current = this.#tables.get(model, id)
      if (!current) throw new Error(`${model} ${id} does not exist`)
      const before = tracked.map((t) => this.#read(def, id, t.name))
      this.#tables.patch(model, id, { ...valuesFor(current), write_date: stamp, write_uid: options.uid })
      const changes = tracked
        .map((t, i) => ({ fieldId: t.fieldId, name: t.name, old: before[i] ?? false, new: this.#read(def, id, t.name) }))
        .filter((change) => change.old !== change.new)
      if (changes.length > 0) this.#postTracking(def, id, changes, options.uid, stamp)
    }
  }

  /** Sets write_date by hand (or to a fresh transaction stamp). */
  touch(model: string, ids: readonly number[], stamp = this.#clock.stamp()): void {
    for (const id of ids) this.#tables.patch(model, id, { write_date: stamp })
  }

  /**
   * Deletes records with what depends on them: many2one targets with ondelete cascade go too,
   * others are emptied, chatter messages of mail.thread records are removed. Refused as a whole if
   * a restricting many2one still points at any record that would go.
   */
  unlink(model: string, ids: readonly number[]): void {
    const doomed = this.#cascade(model, ids)
    for (const [target, targetIds] of doomed) this.#checkRestrict(target, targetIds, doomed)
    for (const [target, targetIds] of doomed) {
      for (const id of targetIds) this.#detach(target, id)
    }
    for (const [target, targetIds] of doomed) {
      for (const id of targetIds) this.#tables.delete(target, id)
    }
  }

  #read(def: ModelDef, id: number, field: string): StoredValue {
    const row = this.#tables.get(def.name, id)
    const compute = def.fields.get(field)?.compute
    if (!row) return false
    const value = compute ? compute(row, this.#tables) : row[field]
    return value === undefined || value === '' ? false : value
  }

  #postTracking(def: ModelDef, resId: number, changes: { fieldId: number; name: string; old: StoredValue; new: StoredValue }[], uid: number, stamp: string): void {
    const author = this.#tables.get('res.users', uid)?.partner_id ?? false
    const common = { create_date: stamp, write_date: stamp, create_uid: uid, write_uid: uid }
    const message = this.#tables.insert('mail.message', {
      model: def.name,
      res_id: resId,
      body: '',
      message_type: 'notification',
      author_id: author,
      date: formatDatetime(this.#clock.now()),
      ...common,
    })
    changes.forEach((change, position) => {
      const link: Values = this.#version === 16
        ? { field: change.fieldId, field_desc: def.fields.get(change.name)?.string ?? change.name, field_type: 'char', tracking_sequence: position + 1 }
        : { field_id: change.fieldId }
      this.#tables.insert('mail.tracking.value', { ...link, old_value_char: change.old, new_value_char: change.new, mail_message_id: message.id, ...common })
    })
  }

  #cascade(model: string, ids: readonly number[]): Map<string, Set<number>> {
    const doomed = new Map<string, Set<number>>()
    const queue: [string, number][] = ids.map((id) => [model, id])
    for (let item = queue.shift(); item; item = queue.shift()) {
      const [target, id] = item
      let set = doomed.get(target)
      if (!set) doomed.set(target, (set = new Set()))
      if (set.has(id) || !this.#tables.get(target, id)) continue
      set.add(id)
      for (const ref of this.#references(target, 'cascade')) {
        for (const refId of this.#tables.referencing(ref.model, ref.field, id)) queue.push([ref.model, refId])
      }
      if (this.#model(target).isMailThread) {
        for (const message of this.#tables.rows('mail.message')) {
          if (message.model === target && message.res_id === id) queue.push(['mail.message', message.id])
        }
      }
    }
    return doomed
  }

  #checkRestrict(model: string, ids: Set<number>, doomed: Map<string, Set<number>>): void {
    for (const ref of this.#references(model, 'restrict')) {
      for (const id of ids) {
        const blocking = this.#tables.referencing(ref.model, ref.field, id).filter((refId) => !doomed.get(ref.model)?.has(refId))
        if (blocking.length > 0) throw new ForeignKeyViolation(model, ref.model, ref.field)
      }
    }
  }

  /** Empties the many2one and many2many values that point at a record about to be deleted. */
  #detach(model: string, id: number): void {
    for (const def of this.#schema.values()) {
      for (const field of def.fields.values()) {
        if (field.relation !== model || field.compute || field.ondelete) continue
        if (field.type === 'many2one') {
          for (const refId of this.#tables.referencing(def.name, field.name, id)) this.#tables.patch(def.name, refId, { [field.name]: false })
        } else if (field.type === 'many2many') {
          for (const row of this.#tables.rows(def.name)) {
            const value = row[field.name]
            if (Array.isArray(value) && value.includes(id)) this.#tables.patch(def.name, row.id, { [field.name]: value.filter((v) => v !== id) })
          }
        }
      }
    }
  }

  #references(model: string, ondelete: 'cascade' | 'restrict'): { model: string; field: string }[] {
    const refs: { model: string; field: string }[] = []
    for (const def of this.#schema.values()) {
      for (const field of def.fields.values()) {
        if (field.type === 'many2one' && field.relation === model && field.ondelete === ondelete) refs.push({ model: def.name, field: field.name })
      }
    }
    return refs
  }

  #model(model: string): ModelDef {
    const def = this.#schema.get(model)
    if (!def) throw new Error(`unknown model ${model}`)
    return def
  }
}
