import { ODOO_ACCESS_NEEDS } from './access-needs.ts'
import type { AccessOperation, OdooGateway } from './gateway.ts'
import type { OdooRecord, OdooValues } from './odoo-types.ts'

/** The group `odoo setup` keeps: exactly the rights of ODOO_ACCESS_NEEDS, given to the service's user. */
export const SETUP_GROUP_NAME = 'Privacy Bridge'
/** The models whose changes Odoo posts to the service's webhook (src/mirror/http/webhook-route.ts). */
export const WEBHOOK_MODELS = ['sale.order', 'stock.picking', 'res.partner'] as const
/** "Send Webhook Notification" (ir.actions.server state `webhook`) arrived in Odoo 17. */
const WEBHOOK_SINCE_MAJOR = 17
const WEBHOOK_TRIGGER = 'on_create_or_write'
const TOKEN_SHOWN_AS = '<ODOO_WEBHOOK_TOKEN>'
const ALL_RECORDS = { active_test: false }

export interface OdooSetupOptions {
  /** ODOO_USERNAME: the user the service logs in as, who gets the group. */
  serviceLogin: string
  /** PUBLIC_URL and ODOO_WEBHOOK_TOKEN; without both, no webhook rules are made. */
  webhook: { publicUrl: string | undefined; token: string | undefined }
  /** `dry-run`: read everything, change nothing, report what would change. */
  mode: 'apply' | 'dry-run'
  /** Take away what setup made: the webhook rules, the group and its rights, the user's membership. */
  remove: boolean
}

export interface SetupChange {
  action: 'create' | 'update' | 'delete' | 'add to group' | 'remove from group'
  model: string
  /** The record changed or created (absent for a record a dry run would create). */
  ids?: number[]
  description: string
  /** What is written; the webhook token is shown as `<ODOO_WEBHOOK_TOKEN>`, never as itself. */
  values?: OdooValues
}

export interface OdooSetupReport {
  server: { version: string; major: number }
  adminUid: number
  serviceUser: { uid: number; login: string }
  mode: 'apply' | 'dry-run'
  remove: boolean
  changes: SetupChange[]
  notes: string[]
}

/** Something the administrator must fix in Odoo (or in the configuration) before setup can run. */
export class OdooSetupError extends Error {
  override name = 'OdooSetupError'
}

interface Plan {
  options: OdooSetupOptions
  major: number
  groupsField: string
  serviceUser: OdooRecord
  /** ir.model ids (and names) by technical model name */
  models: Map<string, { id: number; name: string }>
  group: OdooRecord | undefined
}

/**
 * `privacy-bridge odoo setup`, run with an administrator's gateway: makes Odoo ready for the service
 * with the least privilege that works (a group holding exactly the rights the service's features
 * use, given to the service's user) and, on 17+, the webhook rules; or, with `remove`, takes it all
 * away. It reads first and changes only what differs, so a second run changes nothing.
 */
export async function setUpOdoo(odoo: OdooGateway, options: OdooSetupOptions): Promise<OdooSetupReport> {
  const { serverVersion: version, major } = await odoo.version()
  const adminUid = await odoo.authenticate()
  const [groupsField] = await odoo.availableFields('res.users', ['group_ids', 'groups_id'])
  if (groupsField === undefined) throw new OdooSetupError("Odoo's res.users has neither group_ids nor groups_id: this Odoo version is not supported")
  const serviceUser = await findServiceUser(odoo, options.serviceLogin, groupsField, adminUid)
  const models = await modelIds(odoo)
  const missingModels = [...new Set(ODOO_ACCESS_NEEDS.map((need) => need.model))].filter((model) => !models.has(model))
  if (!options.remove && missingModels.length > 0) {
    throw new OdooSetupError(`Odoo has no ${missingModels.join(', ')}: install the apps the service reads (Sales, Inventory, Contacts), then run setup again`)
  }
  const [group] = await odoo.searchRead('res.groups', [['name', '=', SETUP_GROUP_NAME]], { fields: ['name'], limit: 1, context: ALL_RECORDS })
  const plan: Plan = { options, major, groupsField, serviceUser, models, group }
  const changes = new ChangeLog(odoo, options)
  const notes: string[] = []
  if (options.remove) await removeSetup(odoo, plan, changes, notes)
  else {
    await grantRights(odoo, plan, changes)
    await setUpWebhooks(odoo, plan, changes, notes)
  }
  return {
    server: { version, major },
    adminUid,
    serviceUser: { uid: serviceUser.id, login: options.serviceLogin },
    mode: options.mode,
    remove: options.remove,
    changes: changes.list,
    notes
  }
}

async function findServiceUser(odoo: OdooGateway, login: string, groupsField: string, adminUid: number): Promise<OdooRecord> {
  const [user] = await odoo.searchRead('res.users', [['login', '=', login]], { fields: ['login', 'active', groupsField], limit: 1, context: ALL_RECORDS })
  if (!user) throw new OdooSetupError(`Odoo has no user with login "${login}" (ODOO_USERNAME): create it first (Settings → Users → New, an internal user), then run setup again`)
  if (user.active === false) throw new OdooSetupError(`The Odoo user "${login}" (ODOO_USERNAME) is archived: unarchive it, then run setup again`)
  if (user.id === adminUid) {
    throw new OdooSetupError(`ODOO_USERNAME "${login}" is the administrator whose key runs setup: the service needs a user of its own, with only the rights setup gives it`)
  }
  return user
}

async function modelIds(odoo: OdooGateway): Promise<Map<string, { id: number; name: string }>> {
  const wanted = [...new Set([...ODOO_ACCESS_NEEDS.map((need) => need.model), ...WEBHOOK_MODELS, 'base.automation', 'ir.actions.server'])]
  const rows = await odoo.searchRead('ir.model', [['model', 'in', wanted]], { fields: ['model', 'name'] })
  return new Map(rows.map((row) => [String(row.model), { id: row.id, name: String(row.name) }]))
}

type Permissions = Record<`perm_${AccessOperation}`, boolean>

/** One ir.model.access row per model the service calls, with exactly the operations it uses. */
function wantedAccess(): Map<string, Permissions> {
  const wanted = new Map<string, Permissions>()
  for (const need of ODOO_ACCESS_NEEDS) {
    const perms = wanted.get(need.model) ?? { perm_read: false, perm_write: false, perm_create: false, perm_unlink: false }
    perms[`perm_${need.operation}`] = true
    wanted.set(need.model, perms)
  }
  return wanted
}

const accessName = (model: string): string => `privacy_bridge_${model.replace(/\./g, '_')}`
const describePermissions = (perms: Permissions): string =>
  (['read', 'write', 'create', 'unlink'] as const).filter((operation) => perms[`perm_${operation}`]).join(', ')

async function grantRights(odoo: OdooGateway, plan: Plan, changes: ChangeLog): Promise<void> {
  const groupId =
    plan.group?.id ??
    (await changes.create('res.groups', { name: SETUP_GROUP_NAME, comment: 'The rights of odoo-privacy-bridge, kept by `privacy-bridge odoo setup`: exactly what the service uses. For its user only.' }, `group "${SETUP_GROUP_NAME}"`))
  const existing = plan.group ? await accessRows(odoo, plan.group.id) : []
  const wanted = wantedAccess()
  for (const [model, perms] of wanted) {
    const modelId = plan.models.get(model)?.id as number
    const [row, ...duplicates] = existing.filter((r) => many2oneId(r.model_id) === modelId)
    const description = `${accessName(model)}: ${describePermissions(perms)} on ${model}`
    if (!row) await changes.create('ir.model.access', { name: accessName(model), model_id: modelId, group_id: groupId, active: true, ...perms }, description)
    else if (row.active === false || Object.entries(perms).some(([key, value]) => row[key] !== value)) await changes.update('ir.model.access', [row.id], { active: true, ...perms }, description)
    if (duplicates.length > 0) await changes.delete('ir.model.access', duplicates.map((d) => d.id), `${duplicates.length} more rights of the group on ${model}`)
  }
  const wantedModelIds = new Set([...wanted.keys()].map((model) => plan.models.get(model)?.id))
  const unneeded = existing.filter((row) => !wantedModelIds.has(many2oneId(row.model_id)))
  if (unneeded.length > 0) await changes.delete('ir.model.access', unneeded.map((row) => row.id), `rights the service does not use: ${unneeded.map((row) => String(row.name)).join(', ')}`)
  if (!memberOf(plan, groupId)) {
    await changes.write('add to group', 'res.users', [plan.serviceUser.id], { [plan.groupsField]: [[4, groupId]] }, `"${plan.options.serviceLogin}" joins "${SETUP_GROUP_NAME}"`)
  }
}

async function accessRows(odoo: OdooGateway, groupId: number): Promise<OdooRecord[]> {
  return odoo.searchRead('ir.model.access', [['group_id', '=', groupId]], {
    fields: ['name', 'model_id', 'active', 'perm_read', 'perm_write', 'perm_create', 'perm_unlink'],
    context: ALL_RECORDS
  })
}

const memberOf = (plan: Plan, groupId: number): boolean => {
  const groups = plan.serviceUser[plan.groupsField]
  return Array.isArray(groups) && groups.includes(groupId)
}

/** Odoo 17+: a rule per mirrored model, on create and edit, running "Send Webhook Notification". */
async function setUpWebhooks(odoo: OdooGateway, plan: Plan, changes: ChangeLog, notes: string[]): Promise<void> {
  const { publicUrl, token } = plan.options.webhook
  if (plan.major < WEBHOOK_SINCE_MAJOR) {
    notes.push(`Odoo ${plan.major} has no "Send Webhook Notification" action: the scheduled sync (SYNC_CRON) alone keeps the mirror current.`)
    return
  }
  if (publicUrl === undefined || token === undefined) {
    notes.push('No webhook rules: set PUBLIC_URL (where Odoo reaches the service) and ODOO_WEBHOOK_TOKEN, then run setup again; until then the scheduled sync alone keeps the mirror current.')
    return
  }
  if (!plan.models.has('base.automation')) {
    notes.push('No webhook rules: install the Automation Rules app (base_automation) in Odoo, then run setup again; until then the scheduled sync alone keeps the mirror current.')
    return
  }
  const url = webhookUrl(publicUrl, token)
  const shownUrl = webhookUrl(publicUrl, TOKEN_SHOWN_AS).replace(encodeURIComponent(TOKEN_SHOWN_AS), TOKEN_SHOWN_AS)
  for (const model of WEBHOOK_MODELS) {
    const target = plan.models.get(model) as { id: number; name: string }
    const name = ruleName(target.name)
    const [rule] = await odoo.searchRead('base.automation', [['name', '=', name], ['model_id', '=', target.id]], { fields: ['trigger', 'active'], limit: 1, context: ALL_RECORDS })
    const ruleId = rule?.id ?? (await changes.create('base.automation', { name, model_id: target.id, trigger: WEBHOOK_TRIGGER, active: true }, `rule "${name}" on ${model}, on create and edit`))
    if (rule && (rule.trigger !== WEBHOOK_TRIGGER || rule.active === false)) {
      await changes.update('base.automation', [rule.id], { trigger: WEBHOOK_TRIGGER, active: true }, `rule "${name}" on ${model}: on create and edit, active`)
    }
    const actions = rule ? await odoo.searchRead('ir.actions.server', [['base_automation_id', '=', rule.id], ['state', '=', 'webhook']], { fields: ['webhook_url'] }) : []
    const [action, ...extra] = actions
    const actionText = `"Send Webhook Notification" of "${name}" to ${shownUrl}`
    if (!action) {
      await changes.create('ir.actions.server', { name: 'Send Webhook Notification', model_id: target.id, state: 'webhook', webhook_url: url, usage: 'base_automation', base_automation_id: ruleId }, actionText)
    } else if (action.webhook_url !== url) {
      await changes.update('ir.actions.server', [action.id], { webhook_url: url }, actionText)
    }
    // A second webhook action would post every change twice.
    if (extra.length > 0) await changes.delete('ir.actions.server', extra.map((a) => a.id), `${extra.length} more webhook actions of "${name}"`)
  }
}

/** The service's webhook route under PUBLIC_URL, a path prefix kept. */
function webhookUrl(publicUrl: string, token: string): string {
  return new URL(`v1/odoo/webhook/${encodeURIComponent(token)}`, publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`).href
}

const ruleName = (modelDescription: string): string => `${SETUP_GROUP_NAME}: ${modelDescription} to webhook`

async function removeSetup(odoo: OdooGateway, plan: Plan, changes: ChangeLog, notes: string[]): Promise<void> {
  if (plan.major >= WEBHOOK_SINCE_MAJOR && plan.models.has('base.automation')) {
    for (const model of WEBHOOK_MODELS) {
      const target = plan.models.get(model)
      if (!target) continue
      const name = ruleName(target.name)
      const rules = await odoo.searchRead('base.automation', [['name', '=', name], ['model_id', '=', target.id]], { fields: ['name'], context: ALL_RECORDS })
      if (rules.length === 0) continue
      const actions = await odoo.searchRead('ir.actions.server', [['base_automation_id', 'in', rules.map((r) => r.id)]], { fields: ['name'] })
      if (actions.length > 0) await changes.delete('ir.actions.server', actions.map((a) => a.id), `the actions of rule "${name}"`)
      await changes.delete('base.automation', rules.map((r) => r.id), `rule "${name}" on ${model}`)
    }
  }
  if (!plan.group) {
    if (changes.list.length === 0) notes.push(`Nothing to remove: Odoo has no group "${SETUP_GROUP_NAME}" and no webhook rules of the service.`)
    return
  }
  const groupId = plan.group.id
  if (memberOf(plan, groupId)) {
    await changes.write('remove from group', 'res.users', [plan.serviceUser.id], { [plan.groupsField]: [[3, groupId]] }, `"${plan.options.serviceLogin}" leaves "${SETUP_GROUP_NAME}"`)
  }
  // ir.model.access.group_id is ondelete=restrict: the rights go before the group.
  const rows = await accessRows(odoo, groupId)
  if (rows.length > 0) await changes.delete('ir.model.access', rows.map((row) => row.id), `the ${rows.length} rights of "${SETUP_GROUP_NAME}"`)
  await changes.delete('res.groups', [groupId], `group "${SETUP_GROUP_NAME}"`)
}

function many2oneId(value: unknown): number | undefined {
  if (Array.isArray(value) && typeof value[0] === 'number') return value[0]
  return typeof value === 'number' ? value : undefined
}

/**
 * Makes the changes (or, in a dry run, only notes them) and keeps the list the command prints. A
 * dry run answers a create with a placeholder id (negative) that later changes of the run refer to.
 */
class ChangeLog {
  readonly list: SetupChange[] = []
  readonly #odoo: OdooGateway
  readonly #apply: boolean
  readonly #token: string | undefined
  #placeholders = 0

  constructor(odoo: OdooGateway, options: OdooSetupOptions) {
    this.#odoo = odoo
    this.#apply = options.mode === 'apply'
    this.#token = options.webhook.token
  }

  async create(model: string, values: OdooValues, description: string): Promise<number> {
    const id = this.#apply ? await this.#odoo.create(model, values) : -++this.#placeholders
    this.#note({ action: 'create', model, ...(this.#apply ? { ids: [id] } : {}), description, values })
    return id
  }

  async update(model: string, ids: number[], values: OdooValues, description: string): Promise<void> {
    await this.write('update', model, ids, values, description)
  }

  async write(action: SetupChange['action'], model: string, ids: number[], values: OdooValues, description: string): Promise<void> {
    if (this.#apply) await this.#odoo.write(model, ids, values)
    this.#note({ action, model, ids, description, values })
  }

  async delete(model: string, ids: number[], description: string): Promise<void> {
    if (this.#apply) await this.#odoo.unlink(model, ids)
    this.#note({ action: 'delete', model, ids, description })
  }

  #note(change: SetupChange): void {
    const token = this.#token
    if (token === undefined) {
      this.list.push(change)
      return
    }
    // The token as it is and as the URL carries it: never printed, in either form.
    const text = JSON.stringify(change).replaceAll(JSON.stringify(token).slice(1, -1), TOKEN_SHOWN_AS).replaceAll(encodeURIComponent(token), TOKEN_SHOWN_AS)
    this.list.push(JSON.parse(text) as SetupChange)
  }
}

export function formatOdooSetupReport(report: OdooSetupReport): string {
  const dry = report.mode === 'dry-run'
  const lines = [`Odoo ${report.server.version} (major ${report.server.major}); service user ${report.serviceUser.login} (uid ${report.serviceUser.uid})`]
  for (const change of report.changes) {
    const verb = dry ? `would ${change.action}` : pastTense(change.action)
    lines.push(`  ${verb.padEnd(dry ? 24 : 18)} ${change.model.padEnd(18)} ${change.description}${change.ids && !dry ? ` (id ${change.ids.join(', ')})` : ''}`)
  }
  for (const note of report.notes) lines.push(`Note: ${note}`)
  if (report.changes.length === 0) lines.push(report.remove ? 'Nothing changed: there was nothing to remove.' : 'Nothing changed: Odoo is already set up for the service.')
  else if (dry) lines.push(`Dry run: ${report.changes.length} changes listed, none made.`)
  else lines.push(`${report.changes.length} changes made.${report.remove ? '' : ' Next: `privacy-bridge odoo check` (as the service\'s user).'}`)
  return lines.join('\n')
}

function pastTense(action: SetupChange['action']): string {
  switch (action) {
    case 'create':
      return 'created'
    case 'update':
      return 'updated'
    case 'delete':
      return 'deleted'
    case 'add to group':
      return 'added to group'
    case 'remove from group':
      return 'removed from group'
  }
}
