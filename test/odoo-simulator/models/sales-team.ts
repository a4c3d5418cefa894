import { byName, declareFields, modelDef } from '../schema.ts'
import type { ModelDef } from '../schema.ts'


export function crmTeam(): ModelDef {
  return modelDef({
    name: 'crm.team',
    description: 'Sales Team',
    order: 'sequence ASC, create_date DESC, id DESC',
    fields: declareFields({
      name: { type: 'char', string: 'Sales Team', required: true },
      active: { type: 'boolean', string: 'Active' },
      sequence: { type: 'integer', string: 'Sequence' },
      company_id: { type: 'many2one', string: 'Company', relation: 'res.company' },
      user_id: { type: 'many2one', string: 'Team Leader', relation: 'res.users' },
    }),
    displayName: byName,
    isMailThread: true,
  })
}

export function crmTag(): ModelDef {
  return modelDef({
    name: 'crm.tag',
    description: 'CRM Tag',
    order: 'id',
    fields: declareFields({
      name: { type: 'char', string: 'Tag Name', required: true },
      color: { type: 'integer', string: 'Color' },
    }),
    displayName: byName,
  })
}
