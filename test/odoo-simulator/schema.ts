/**
 * The shape of the simulated database: models, their fields and the few behaviours Odoo attaches to
 * them (display name, default order, computed fields, chatter tracking). Field catalogues of
 * res.partner and sale.order are the ones real Odoo servers answered to fields_get.
 */
export type Version = 16 | 17 | 18 | 19

/** A stored value: Odoo's False for "empty", ids for many2one, id lists for many2many. */
export type StoredValue = string | number | boolean | number[]

export interface Row {
  id: number
  [field: string]: StoredValue
}

/** Read access to the data, which computed fields and display names need. */
export interface RecordSource {
  get(model: string, id: number): Row | undefined
  /** Ids of `model` records whose many2one `field` points to `id` (an indexed one2many inverse). */
  referencing(model: string, field: string, id: number): number[]
  rows(model: string): Iterable<Row>
}

export type Compute = (row: Row, source: RecordSource) => StoredValue

export interface FieldDef {
  name: string
  type: string
  string: string
  relation?: string
  required: boolean
  readonly: boolean
  /** one2many: the many2one field of the comodel pointing back. */
  inverse?: string
  /** Not stored: computed on every read. */
  compute?: Compute
  selection?: readonly string[]
  /** many2one: what deleting the target does to this record (default: set null). */
  ondelete?: 'cascade' | 'restrict'
}

/** A field whose changes Odoo's mail.thread records in the chatter. */
export interface TrackedField {
  name: string
  /** id of the field in ir.model.fields on the recorded servers */
  fieldId: number
}

export interface ModelDef {
  name: string
  description: string
  /** Odoo's _order */
  order: string
  fields: ReadonlyMap<string, FieldDef>
  displayName: (row: Row, source: RecordSource) => string | false
  /** Records with active=False are hidden from searches unless asked for (active_test). */
  hasActive: boolean
  /** Columns PostgreSQL declares NOT NULL: Odoo refuses to empty them. */
  notNull: readonly string[]
  tracked: readonly TrackedField[]
  /** many2one to the same model used by child_of / parent_of */
  parentField?: string
  /** Inherits mail.thread: its chatter messages go away with the record. */
  isMailThread: boolean
}

export type Schema = ReadonlyMap<string, ModelDef>

export type FieldSpec = Omit<FieldDef, 'name' | 'required' | 'readonly'> & { required?: boolean; readonly?: boolean }

/** Fields of a model the simulator declares itself; the magic fields every model has are added. */
export function declareFields(specs: Record<string, FieldSpec>): Map<string, FieldDef> {
  const fields = new Map<string, FieldDef>()
  for (const [name, spec] of Object.entries({ ...MAGIC_FIELDS, ...specs })) {
    fields.set(name, { name, required: false, readonly: false, ...spec })
  }
  return fields
}

/**
 * Fields of a model as a real server listed them, with the behaviour the simulator adds to some.
 * The catalogue decides which fields exist in a version: refinements of fields it lacks are dropped
 * (res.partner.mobile on 19, complete_name on 16...).
 */
export function refineCatalogue(catalogue: readonly FieldDef[], refinements: Record<string, Partial<FieldDef>>): Map<string, FieldDef> {
  return new Map(catalogue.map((field) => [field.name, { ...field, ...refinements[field.name] }]))
}

const MAGIC_FIELDS: Record<string, FieldSpec> = {
  id: { type: 'integer', string: 'ID', readonly: true },
  display_name: { type: 'char', string: 'Display Name', readonly: true },
  create_date: { type: 'datetime', string: 'Created on', readonly: true },
  create_uid: { type: 'many2one', string: 'Created by', relation: 'res.users', readonly: true },
  write_date: { type: 'datetime', string: 'Last Updated on', readonly: true },
  write_uid: { type: 'many2one', string: 'Last Updated by', relation: 'res.users', readonly: true },
}

export function modelDef(def: Omit<ModelDef, 'hasActive' | 'tracked' | 'notNull' | 'isMailThread'> & Partial<ModelDef>): ModelDef {
  return {
    hasActive: def.fields.has('active'),
    tracked: [],
    notNull: [],
    isMailThread: false,
    ...def,
  }
}

/** The value Odoo reads for an empty field of this type. */
export function emptyValue(field: FieldDef): StoredValue {
  switch (field.type) {
    case 'integer':
    case 'float':
    case 'monetary':
      return 0
    case 'one2many':
    case 'many2many':
      return []
    default:
      return false
  }
}

/** The display name of a record whose name field says it all. */
export const byName = (row: Row): string | false => (typeof row.name === 'string' ? row.name : false)
