import { recordedFields } from '../catalogue.ts'
import { modelDef, refineCatalogue } from '../schema.ts'
import type { ModelDef, Version } from '../schema.ts'
import { messageIdsRefinement } from './mail-thread.ts'

export function saleOrder(version: Version): ModelDef {
  const fields = refineCatalogue(recordedFields(version, 'sale.order'), {
    // Odoo 17 replaced the "done" state by the `locked` flag.
    state: { selection: version === 16 ? ['draft', 'sent', 'sale', 'done', 'cancel'] : ['draft', 'sent', 'sale', 'cancel'] },
    partner_id: { ondelete: 'restrict' },
    partner_invoice_id: { ondelete: 'restrict' },
    partner_shipping_id: { ondelete: 'restrict' },
    picking_ids: { inverse: 'sale_id', compute: (row, source) => source.referencing('stock.picking', 'sale_id', row.id) },
    delivery_count: { compute: (row, source) => source.referencing('stock.picking', 'sale_id', row.id).length },
    type_name: { compute: (row) => (row.state === 'draft' || row.state === 'sent' || row.state === 'cancel' ? 'Quotation' : 'Sales Order') },
    message_ids: messageIdsRefinement('sale.order'),
  })
  return modelDef({
    name: 'sale.order',
    description: 'Sales Order',
    order: 'date_order desc, id desc',
    fields,
    displayName: (row) => (typeof row.name === 'string' ? row.name : false),
    notNull: ['name', 'partner_id', 'partner_invoice_id', 'partner_shipping_id', 'date_order', 'company_id'],
    isMailThread: true,
  })
}
