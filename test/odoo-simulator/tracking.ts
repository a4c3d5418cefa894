import type { ModelDef, StoredValue, Version } from './schema.ts'
import type { Tables } from './tables.ts'

/**
 * mail.thread's field tracking: the tracked values of a record before a write, compared with after,
 * become a chatter notification holding one mail.tracking.value per changed field, old and new
 * values included. That is where Odoo keeps personal data a plain write seems to erase.
 */
export class ChatterTracking {
  readonly #tables: Tables
  readonly #version: Version

  constructor(tables: Tables, version: Version) {
    this.#tables = tables
    this.#version = version
  }

  /** The values of the tracked fields of a record as they are now. */
  snapshot(def: ModelDef, id: number): StoredValue[] {
    return def.tracked.map((tracked) => this.#value(def, id, tracked.name))
  }

  /** Posts the changes since the snapshot, if any, as the user uid at the given time. */
  post(def: ModelDef, id: number, before: readonly StoredValue[], at: { stamp: string; date: string; uid: number }): void {
    const changes = def.tracked
      .map((tracked, i) => ({ ...tracked, old: before[i] ?? false, new: this.#value(def, id, tracked.name) }))
      .filter((change) => change.old !== change.new)
    if (changes.length === 0) return
    const log = { create_date: at.stamp, write_date: at.stamp, create_uid: at.uid, write_uid: at.uid }
    const message = this.#tables.insert('mail.message', {
      model: def.name,
      res_id: id,
      body: '',
      message_type: 'notification',
      author_id: this.#tables.get('res.users', at.uid)?.partner_id ?? false,
      date: at.date,
      ...log,
    })
    changes.forEach((change, position) => {
      // The tracked field is `field` on Odoo 16 (with its label and type copied), `field_id` from 17 on.
      const link: Record<string, StoredValue> = this.#version === 16
        ? { field: change.fieldId, field_desc: def.fields.get(change.name)?.string ?? change.name, field_type: 'char', tracking_sequence: position + 1 }
        : { field_id: change.fieldId }
      this.#tables.insert('mail.tracking.value', { ...link, old_value_char: change.old, new_value_char: change.new, mail_message_id: message.id, ...log })
    })
  }

  #value(def: ModelDef, id: number, field: string): StoredValue {
    const row = this.#tables.get(def.name, id)
    if (!row) return false
    const compute = def.fields.get(field)?.compute
    const value = compute ? compute(row, this.#tables) : row[field]
    return value === undefined || value === '' ? false : value
  }
}
