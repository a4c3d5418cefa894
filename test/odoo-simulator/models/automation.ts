import { byName, declareFields, modelDef } from '../schema.ts'
import type { ModelDef, Version } from '../schema.ts'


/** Server actions; the "Send Webhook Notification" kind (state `webhook`) arrived in 17. */
export function irActionsServer(version: Version): ModelDef {
  const webhook = version >= 17
  const states = ['object_write', 'object_create', 'code', 'multi', 'mail_post', 'followers', 'next_activity', ...(webhook ? ['remove_followers', 'webhook'] : [])]
  return modelDef({
    name: 'ir.actions.server',
    description: 'Server Actions',
    order: 'sequence,name',
    fields: declareFields({
      name: { type: 'char', string: 'Action Name', required: true },
      sequence: { type: 'integer', string: 'Sequence' },
      model_id: { type: 'many2one', string: 'Model', relation: 'ir.model', required: true, ondelete: 'cascade' },
      state: { type: 'selection', string: 'Type', required: true, selection: states },
      usage: { type: 'selection', string: 'Usage', required: true, selection: ['ir_actions_server', 'ir_cron', ...(webhook ? ['base_automation'] : [])] },
      code: { type: 'text', string: 'Python Code' },
      ...(webhook
        ? {
            webhook_url: { type: 'char', string: 'Webhook URL' },
            webhook_field_ids: { type: 'many2many', string: 'Webhook Fields', relation: 'ir.model.fields' },
            base_automation_id: { type: 'many2one', string: 'Automation Rule', relation: 'base.automation', ondelete: 'cascade' },
          }
        : {}),
    }),
    notNull: ['name', 'model_id', 'state', 'usage'],
    displayName: byName,
  })
}

/** The triggers of an automation rule on a record's life (17+ has more: time, stage, tags...). */
export const AUTOMATION_TRIGGERS = ['on_create', 'on_write', 'on_create_or_write', 'on_unlink', 'on_change', 'on_time', 'on_webhook'] as const

/**
 * Automation rules (the "Automation Rules" app) in their 17+ shape: a rule on a model runs its
 * server actions (`action_server_ids`) when its trigger fires. Odoo 16's rules are server actions
 * by delegation (`_inherits`) and have no webhook action, so the simulator plays them from 17 on.
 */
export function baseAutomation(): ModelDef {
  return modelDef({
    name: 'base.automation',
    description: 'Automation Rule',
    order: 'id',
    fields: declareFields({
      name: { type: 'char', string: 'Automation Rule Name', required: true },
      model_id: { type: 'many2one', string: 'Model', relation: 'ir.model', required: true, ondelete: 'cascade' },
      trigger: { type: 'selection', string: 'Trigger', required: true, selection: AUTOMATION_TRIGGERS },
      active: { type: 'boolean', string: 'Active' },
      filter_domain: { type: 'char', string: 'Apply on' },
      filter_pre_domain: { type: 'char', string: 'Before Update Domain' },
      trigger_field_ids: { type: 'many2many', string: 'Trigger Fields', relation: 'ir.model.fields' },
      action_server_ids: {
        type: 'one2many',
        string: 'Actions',
        relation: 'ir.actions.server',
        inverse: 'base_automation_id',
        compute: (row, source) => source.referencing('ir.actions.server', 'base_automation_id', row.id).sort((a, b) => a - b),
      },
    }),
    notNull: ['name', 'model_id', 'trigger'],
    displayName: byName,
  })
}
