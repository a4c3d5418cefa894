import { declareFields, modelDef } from '../schema.ts'
import type { FieldSpec, ModelDef, Row, RecordSource, Version } from '../schema.ts'

export function mailMessage(version: Version, describeRecord: (model: string, id: number, source: RecordSource) => string | false): ModelDef {
  return modelDef({
    name: 'mail.message',
    description: 'Message',
    order: 'id desc',
    fields: declareFields({
      model: { type: 'char', string: 'Related Document Model' },
      res_id: { type: 'many2one_reference', string: 'Related Document ID' },
      // Stored on 16 and 18 (tracking messages leave it empty), computed from the record on 19.
      record_name: version === 19
        ? { type: 'char', string: 'Message Record Name', readonly: true, compute: (row, source) => describeRecord(String(row.model), Number(row.res_id), source) }
        : { type: 'char', string: 'Message Record Name' },
      subject: { type: 'char', string: 'Subject' },
      body: { type: 'html', string: 'Contents' },
      message_type: { type: 'selection', string: 'Type', required: true, selection: ['email', 'comment', 'notification', 'auto_comment', 'user_notification'] },
      author_id: { type: 'many2one', string: 'Author', relation: 'res.partner' },
      date: { type: 'datetime', string: 'Date' },
      tracking_value_ids: {
        type: 'one2many',
        string: 'Tracking values',
        relation: 'mail.tracking.value',
        inverse: 'mail_message_id',
        compute: (row, source) => source.referencing('mail.tracking.value', 'mail_message_id', row.id).sort((a, b) => (version === 16 ? a - b : b - a)),
      },
    }),
    // A chatter note has neither subject nor record name to show: Odoo 16 says '', later versions False.
    displayName: (row) => (typeof row.subject === 'string' ? row.subject : version === 16 ? '' : false),
  })
}

const valueColumns = (version: Version): Record<string, FieldSpec> => {
  const kinds = version === 16 ? ['integer', 'float', 'monetary', 'char', 'text', 'datetime'] : ['integer', 'float', 'char', 'datetime']
  const columns: Record<string, FieldSpec> = {}
  for (const age of ['old', 'new']) {
    for (const kind of kinds) {
      columns[`${age}_value_${kind}`] = { type: kind, string: `${age === 'old' ? 'Old' : 'New'} Value ${kind[0]?.toUpperCase()}${kind.slice(1)}`, readonly: true }
    }
  }
  return columns
}

export function mailTrackingValue(version: Version): ModelDef {
  // The tracked field is `field` on 16 and `field_id` from 17 on.
  const fieldLink: Record<string, FieldSpec> = version === 16
    ? {
        field: { type: 'many2one', string: 'Field', relation: 'ir.model.fields', required: true },
        field_desc: { type: 'char', string: 'Field Description', required: true },
        field_type: { type: 'char', string: 'Field Type' },
        tracking_sequence: { type: 'integer', string: 'Tracking field sequence' },
      }
    : {
        field_id: { type: 'many2one', string: 'Field', relation: 'ir.model.fields' },
        field_info: { type: 'json', string: 'Removed field information' },
      }
  return modelDef({
    name: 'mail.tracking.value',
    description: 'Mail Tracking Value',
    order: version === 16 ? 'tracking_sequence asc, id asc' : 'id desc',
    fields: declareFields({
      ...fieldLink,
      ...valueColumns(version),
      currency_id: { type: 'many2one', string: 'Currency', relation: 'res.currency', readonly: true },
      mail_message_id: { type: 'many2one', string: 'Message ID', relation: 'mail.message', required: true, ondelete: 'cascade' },
    }),
    displayName: (row: Row) => `mail.tracking.value,${row.id}`,
  })
}
