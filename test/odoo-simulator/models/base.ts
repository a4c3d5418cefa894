import { byName, declareFields, modelDef } from '../schema.ts'
import type { ModelDef, Row, Version } from '../schema.ts'
import { userGroupsField } from './security.ts'

const partnerName = (row: Row, source: { get(model: string, id: number): Row | undefined }): string | false => {
  const partner = typeof row.partner_id === 'number' ? source.get('res.partner', row.partner_id) : undefined
  return typeof partner?.name === 'string' ? partner.name : false
}

export function resCompany(): ModelDef {
  return modelDef({
    name: 'res.company',
    description: 'Companies',
    order: 'sequence, name',
    fields: declareFields({
      name: { type: 'char', string: 'Company Name', compute: partnerName },
      partner_id: { type: 'many2one', string: 'Partner', relation: 'res.partner', required: true, ondelete: 'restrict' },
      currency_id: { type: 'many2one', string: 'Currency', relation: 'res.currency', required: true },
      country_id: { type: 'many2one', string: 'Country', relation: 'res.country' },
      sequence: { type: 'integer', string: 'Sequence' },
    }),
    displayName: partnerName,
  })
}

export function resUsers(version: Version): ModelDef {
  return modelDef({
    name: 'res.users',
    description: 'User',
    order: 'name, login',
    fields: declareFields({
      name: { type: 'char', string: 'Name', compute: partnerName },
      login: { type: 'char', string: 'Login', required: true },
      partner_id: { type: 'many2one', string: 'Related Partner', relation: 'res.partner', required: true, ondelete: 'restrict' },
      company_id: { type: 'many2one', string: 'Company', relation: 'res.company', required: true },
      company_ids: { type: 'many2many', string: 'Companies', relation: 'res.company' },
      share: { type: 'boolean', string: 'Share User', readonly: true },
      active: { type: 'boolean', string: 'Active' },
      lang: { type: 'selection', string: 'Language' },
      tz: { type: 'selection', string: 'Timezone' },
      [userGroupsField(version)]: { type: 'many2many', string: 'Groups', relation: 'res.groups' },
    }),
    displayName: partnerName,
  })
}

export function resCountry(): ModelDef {
  return modelDef({
    name: 'res.country',
    description: 'Country',
    order: 'name',
    fields: declareFields({
      name: { type: 'char', string: 'Country Name', required: true },
      code: { type: 'char', string: 'Country Code' },
      phone_code: { type: 'integer', string: 'Country Calling Code' },
      address_format: { type: 'text', string: 'Layout in Reports' },
      state_ids: { type: 'one2many', string: 'States', relation: 'res.country.state', inverse: 'country_id', compute: (row, source) => source.referencing('res.country.state', 'country_id', row.id) },
    }),
    displayName: byName,
  })
}

export function resCountryState(): ModelDef {
  return modelDef({
    name: 'res.country.state',
    description: 'Country state',
    order: 'code',
    fields: declareFields({
      name: { type: 'char', string: 'State Name', required: true },
      code: { type: 'char', string: 'State Code', required: true },
      country_id: { type: 'many2one', string: 'Country', relation: 'res.country', required: true },
    }),
    displayName: (row, source) => {
      const country = typeof row.country_id === 'number' ? source.get('res.country', row.country_id) : undefined
      return `${String(row.name)} (${String(country?.code ?? '')})`
    },
  })
}

export function resCurrency(): ModelDef {
  return modelDef({
    name: 'res.currency',
    description: 'Currency',
    order: 'active desc, name',
    fields: declareFields({
      name: { type: 'char', string: 'Currency', required: true },
      symbol: { type: 'char', string: 'Symbol', required: true },
      active: { type: 'boolean', string: 'Active' },
      rounding: { type: 'float', string: 'Rounding Factor' },
      decimal_places: { type: 'integer', string: 'Decimal Places' },
      position: { type: 'selection', string: 'Symbol Position', selection: ['after', 'before'] },
    }),
    displayName: byName,
  })
}

/** Only the fields the chatter tracks: tracking values link to them. */
export function irModelFields(version: Version, describe: (model: string) => string): ModelDef {
  return modelDef({
    name: 'ir.model.fields',
    description: 'Fields',
    order: 'name',
    fields: declareFields({
      name: { type: 'char', string: 'Field Name', required: true },
      model: { type: 'char', string: 'Model Name', required: true },
      field_description: { type: 'char', string: 'Field Label', required: true },
      ttype: { type: 'selection', string: 'Field Type', required: true },
    }),
    // Odoo 16 names a field after its model's technical name, 17+ after its description.
    displayName: (row) => `${String(row.field_description)} (${version === 16 ? String(row.model) : describe(String(row.model))})`,
  })
}
