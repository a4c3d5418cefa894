import type { ModelDef, RecordSource, Schema, Version } from '../schema.ts'
import { irModelFields, resCompany, resCountry, resCountryState, resCurrency, resUsers } from './base.ts'
import { mailMessage, mailTrackingValue } from './mail.ts'
import { resPartner } from './res-partner.ts'
import { saleOrder } from './sale-order.ts'
import { crmTag, crmTeam } from './sales-team.ts'
import { stockPicking } from './stock-picking.ts'
import { resPartnerCategory } from './partner-category.ts'
import { irModel, irModelAccess, irModuleCategory, resGroups } from './security.ts'
import { baseAutomation, irActionsServer } from './automation.ts'

/** The models of a database with Sales, Inventory and Contacts installed, as a given Odoo version has them. */
export function buildSchema(version: Version): Schema {
  const models = new Map<string, ModelDef>()
  const describe = (model: string): string => models.get(model)?.description ?? model
  const describeRecord = (model: string, id: number, source: RecordSource): string | false => {
    const def = models.get(model)
    const row = source.get(model, id)
    return def && row ? def.displayName(row, source) : false
  }
  for (const def of [
    resPartner(version),
    saleOrder(version),
    stockPicking(),
    crmTeam(),
    crmTag(),
    resPartnerCategory(),
    resUsers(version),
    resCompany(),
    resCountry(),
    resCountryState(),
    resCurrency(),
    irModelFields(version, describe),
    mailMessage(version, describeRecord),
    mailTrackingValue(version),
    irModuleCategory(),
    resGroups(version),
    irModel(),
    irModelAccess(),
    irActionsServer(version),
    ...(version >= 17 ? [baseAutomation()] : []),
  ]) {
    models.set(def.name, def)
  }
  return models
}
