import { declareFields, modelDef } from '../schema.ts'
import type { ModelDef } from '../schema.ts'
import { threadMessageIds } from './mail-thread.ts'

export function stockPicking(): ModelDef {
  return modelDef({
    name: 'stock.picking',
    description: 'Transfer',
    order: 'priority desc, scheduled_date asc, id desc',
    fields: declareFields({
      name: { type: 'char', string: 'Reference' },
      origin: { type: 'char', string: 'Source Document' },
      state: { type: 'selection', string: 'Status', readonly: true, selection: ['draft', 'waiting', 'confirmed', 'assigned', 'done', 'cancel'] },
      priority: { type: 'selection', string: 'Priority', selection: ['0', '1'] },
      scheduled_date: { type: 'datetime', string: 'Scheduled Date', required: true },
      date_deadline: { type: 'datetime', string: 'Deadline' },
      date_done: { type: 'datetime', string: 'Date of Transfer', readonly: true },
      partner_id: { type: 'many2one', string: 'Contact', relation: 'res.partner' },
      company_id: { type: 'many2one', string: 'Company', relation: 'res.company', readonly: true },
      user_id: { type: 'many2one', string: 'Responsible', relation: 'res.users' },
      sale_id: { type: 'many2one', string: 'Sales Order', relation: 'sale.order' },
      picking_type_code: { type: 'selection', string: 'Type of Operation', readonly: true, selection: ['incoming', 'outgoing', 'internal'] },
      move_type: { type: 'selection', string: 'Shipping Policy', required: true, selection: ['direct', 'one'] },
      carrier_tracking_ref: { type: 'char', string: 'Tracking Reference' },
      note: { type: 'html', string: 'Notes' },
      message_ids: { type: 'one2many', string: 'Messages', relation: 'mail.message', compute: (row, source) => threadMessageIds(source, 'stock.picking', row.id) },
    }),
    displayName: (row) => (typeof row.name === 'string' ? row.name : false),
    isMailThread: true,
  })
}
