import { Accounts } from './accounts.ts'
import { ADMIN_UID } from './defaults.ts'
import { generateShop } from './generate.ts'
import { buildSchema } from './models/index.ts'
import { ModelRegistry } from './orm/fields.ts'
import { ModelService } from './orm/model-service.ts'
import { Prng } from './prng.ts'
import { referenceData, userData } from './reference-data.ts'
import { AccessRules } from './orm/access.ts'
import { INTERNAL_USER_GROUPS } from './security-data.ts'
import type { GroupXmlId } from './security-data.ts'
import type { Account } from './accounts.ts'
import type { Schema, StoredValue, Version } from './schema.ts'
import { ShopStore } from './store.ts'
import { Tables } from './tables.ts'
import { TransactionClock } from './timestamps.ts'
import { DataWriter } from './writer.ts'
import { AutomationRules } from './automation.ts'

export interface ShopDatabaseOptions {
  version: Version
  db: string
  seed: number
  orders: number
  now: () => Date
}

/** One simulated Odoo database: schema, data, the ORM on top of it, and who may log in. */
export interface ShopDatabase {
  version: Version
  name: string
  schema: Schema
  store: ShopStore
  models: ModelService
  accounts: Accounts
  clock: TransactionClock
  automation: AutomationRules
  /** Adds an internal user with these groups (after the shop data, so no generated id moves). */
  addUser(person: { name: string; login: string; email: string }, groups: readonly GroupXmlId[]): Account
}

const SYSTEM_UID = 1

export function createShopDatabase(options: ShopDatabaseOptions): ShopDatabase {
  const { version, seed } = options
  const schema = buildSchema(version)
  const tables = new Tables(schema)
  const jitter = new Prng(seed ^ 0x2545f491)
  const clock = new TransactionClock(options.now, () => jitter.next())
  const automation = new AutomationRules(tables, version)
  const writer = new DataWriter(schema, tables, clock, version, (model, ids, event) => {
    automation.afterChange(model, ids, event)
  })

  // The whole initial data set is written in one transaction, as a database import would.
  const stamp = clock.stamp()
  const insert = (model: string, values: Record<string, StoredValue>, uid: number): void => {
    tables.insert(model, { ...values, create_date: stamp, write_date: stamp, create_uid: uid, write_uid: uid })
  }
  for (const record of referenceData(version, schema)) insert(record.model, record.values, SYSTEM_UID)
  for (const record of generateShop({ version, seed, orders: options.orders, now: options.now(), firstId: (model) => tables.nextId(model) })) {
    insert(record.model, record.values, ADMIN_UID)
  }

  const keys = new Prng(seed ^ 0x6b657973)
  const accounts = new Accounts([{ uid: ADMIN_UID, login: 'admin', password: 'admin', apiKey: keys.hex(40).toLowerCase(), role: 'admin' }])
  const addUser = (person: { name: string; login: string; email: string }, groups: readonly GroupXmlId[]): Account => {
    const uid = tables.nextId('res.users')
    for (const record of userData(version, tables.nextId('res.partner'), uid, person, groups)) insert(record.model, record.values, ADMIN_UID)
    const account: Account = { uid, login: person.login, password: person.login, apiKey: keys.hex(40).toLowerCase(), role: 'user' }
    accounts.add(account)
    return account
  }
  // The internal user without Sales or Inventory rights of the recorded servers (transcripts 400-430).
  addUser({ name: 'Chris Clerk', login: 'clerk', email: 'clerk@example.com' }, INTERNAL_USER_GROUPS)

  return {
    version,
    name: options.db,
    schema,
    store: new ShopStore(tables, writer, clock),
    models: new ModelService(version, new ModelRegistry(schema, tables), tables, writer, new AccessRules(version, tables)),
    accounts,
    clock,
    automation,
    addUser,
  }
}
