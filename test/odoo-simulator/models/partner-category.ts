import { declareFields, modelDef } from '../schema.ts'
import type { ModelDef } from '../schema.ts'

/** Contact tags (`res.partner.category_id`), installed with Contacts. */
export function resPartnerCategory(): ModelDef {
  return modelDef({
    name: 'res.partner.category',
    description: 'Partner Tags',
    order: 'name',
    fields: declareFields({
      name: { type: 'char', string: 'Tag Name', required: true },
      color: { type: 'integer', string: 'Color Index' },
      active: { type: 'boolean', string: 'Active' },
      parent_id: { type: 'many2one', string: 'Category', relation: 'res.partner.category' },
    }),
    displayName: (row) => (typeof row.name === 'string' ? row.name : false),
  })
}
