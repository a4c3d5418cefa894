import { byName, declareFields, modelDef } from '../schema.ts'
import type { ModelDef, RecordSource, Row, Version } from '../schema.ts'


/** The many2many of res.users that holds its groups: renamed from `groups_id` to `group_ids` in 19. */
export const userGroupsField = (version: Version): string => (version === 19 ? 'group_ids' : 'groups_id')

/** The application a group belongs to ("Sales", "Inventory"...): the first part of a group's full name. */
export function irModuleCategory(): ModelDef {
  return modelDef({
    name: 'ir.module.category',
    description: 'Application',
    order: 'name',
    fields: declareFields({
      name: { type: 'char', string: 'Name', required: true },
      sequence: { type: 'integer', string: 'Sequence' },
    }),
    displayName: byName,
  })
}

/** "Category / Name", as res.groups computes full_name. */
export function groupFullName(row: Row, source: RecordSource): string {
  const category = typeof row.category_id === 'number' ? source.get('ir.module.category', row.category_id) : undefined
  return typeof category?.name === 'string' ? `${category.name} / ${String(row.name)}` : String(row.name)
}

export function resGroups(version: Version): ModelDef {
  const usersField = version === 19 ? 'user_ids' : 'users'
  const groupsField = userGroupsField(version)
  return modelDef({
    name: 'res.groups',
    description: 'Access Groups',
    order: 'name',
    fields: declareFields({
      name: { type: 'char', string: 'Name', required: true },
      full_name: { type: 'char', string: 'Group Name', readonly: true, compute: groupFullName },
      category_id: { type: 'many2one', string: 'Application', relation: 'ir.module.category' },
      implied_ids: { type: 'many2many', string: 'Inherits', relation: 'res.groups' },
      comment: { type: 'text', string: 'Comment' },
      share: { type: 'boolean', string: 'Share Group' },
      // The members are stored on the users' side; the simulator reads them from there and does
      // not write them from here (the service adds its group to its user on res.users).
      [usersField]: {
        type: 'many2many',
        string: 'Users',
        relation: 'res.users',
        readonly: true,
        compute: (row, source) => [...source.rows('res.users')].filter((user) => Array.isArray(user[groupsField]) && user[groupsField].includes(row.id)).map((user) => user.id),
      },
    }),
    notNull: ['name'],
    displayName: groupFullName,
  })
}

/** One row per model of the database: what ir.model.access rows and automation rules point at. */
export function irModel(): ModelDef {
  return modelDef({
    name: 'ir.model',
    description: 'Models',
    order: 'model',
    fields: declareFields({
      name: { type: 'char', string: 'Model Description', required: true },
      model: { type: 'char', string: 'Model', required: true },
      transient: { type: 'boolean', string: 'Transient Model' },
    }),
    notNull: ['name', 'model'],
    displayName: byName,
  })
}

/** Access rights: which group may read, write, create or delete a model's records (none: everyone). */
export function irModelAccess(): ModelDef {
  return modelDef({
    name: 'ir.model.access',
    description: 'Model Access',
    order: 'model_id, group_id, name, id',
    fields: declareFields({
      name: { type: 'char', string: 'Name', required: true },
      active: { type: 'boolean', string: 'Active' },
      model_id: { type: 'many2one', string: 'Model', relation: 'ir.model', required: true, ondelete: 'cascade' },
      group_id: { type: 'many2one', string: 'Group', relation: 'res.groups', ondelete: 'restrict' },
      perm_read: { type: 'boolean', string: 'Read Access' },
      perm_write: { type: 'boolean', string: 'Write Access' },
      perm_create: { type: 'boolean', string: 'Create Access' },
      perm_unlink: { type: 'boolean', string: 'Delete Access' },
    }),
    notNull: ['name', 'model_id'],
    displayName: byName,
  })
}
