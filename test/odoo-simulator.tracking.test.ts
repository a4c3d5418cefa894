import t from 'tap'
import { startOdooSimulator } from './odoo-simulator/index.ts'
import { executeKw, executeKwError } from './support/odoo-simulator-rpc.ts'

const REDACTION = { name: 'Redacted customer', street: false, street2: false, city: false, zip: false, phone: false, email: false }

type TrackingValue = { field_id: [number, string]; old_value_char: string | false; new_value_char: string | false; mail_message_id: [number, unknown] }
type Message = { id: number; model: string; res_id: number; record_name: string | false; message_type: string; tracking_value_ids: number[]; body: string }

const trackingOf = async (sim: Awaited<ReturnType<typeof startOdooSimulator>>, ids: number[]): Promise<TrackingValue[]> =>
  (await executeKw(sim, 'mail.tracking.value', 'search_read', [[['mail_message_id.model', '=', 'res.partner'], ['mail_message_id.res_id', 'in', ids]]], {
    fields: ['field_id', 'old_value_char', 'new_value_char', 'mail_message_id'],
  })) as TrackingValue[]

await t.test('a contact write keeps the old name, inline address and phone in the chatter (Odoo 18)', async (t) => {
  const sim = await startOdooSimulator({ version: 18 })
  t.teardown(() => sim.close())
  const before = sim.store.get('res.partner', 8)
  await executeKw(sim, 'res.partner', 'write', [[8], REDACTION])
  const values = await trackingOf(sim, [8])
  const [phone, address, name] = values
  t.same(values.map((v) => v.field_id[1]), ['Phone (Contact)', 'Inlined Complete Address (Contact)', 'Name (Contact)'])
  t.same([phone?.old_value_char, phone?.new_value_char], [before?.phone, false])
  t.same([name?.old_value_char, name?.new_value_char], [before?.name, 'Redacted customer'])
  t.match(String(address?.old_value_char), `${String(before?.street)}, ${String(before?.street2)}`)
  t.match(String(address?.old_value_char), String(before?.city))
  t.notMatch(String(address?.new_value_char), String(before?.street))
})

await t.test('the tracking message is a notification on the contact linking its tracking values', async (t) => {
  const sim = await startOdooSimulator({ version: 18 })
  t.teardown(() => sim.close())
  await executeKw(sim, 'res.partner', 'write', [[8, 12], REDACTION])
  const messages = (await executeKw(sim, 'mail.message', 'search_read', [[['model', '=', 'res.partner'], ['res_id', 'in', [8, 12]]]], {
    fields: ['model', 'res_id', 'record_name', 'message_type', 'tracking_value_ids', 'body'],
  })) as Message[]
  t.same(messages.map((m) => m.res_id), [12, 8], 'newest first')
  for (const message of messages) {
    t.equal(message.message_type, 'notification')
    t.equal(message.body, '')
    t.equal(message.record_name, false, 'Odoo 18 leaves record_name empty on tracking messages')
    t.equal(message.tracking_value_ids.length, 3)
  }
})

await t.test('tracking_disable in the context writes no tracking', async (t) => {
  const sim = await startOdooSimulator({ version: 18 })
  t.teardown(() => sim.close())
  await executeKw(sim, 'res.partner', 'write', [[8], REDACTION], { context: { tracking_disable: true } })
  t.same(await trackingOf(sim, [8]), [])
  t.equal(sim.store.get('res.partner', 8)?.name, 'Redacted customer')
})

await t.test('mail_notrack in the context writes no tracking either', async (t) => {
  const sim = await startOdooSimulator({ version: 18 })
  t.teardown(() => sim.close())
  await executeKw(sim, 'res.partner', 'write', [[8], REDACTION], { context: { mail_notrack: 1 } })
  t.same(await trackingOf(sim, [8]), [])
})

await t.test('a write that changes no tracked field posts no message', async (t) => {
  const sim = await startOdooSimulator({ version: 18 })
  t.teardown(() => sim.close())
  await executeKw(sim, 'res.partner', 'write', [[8], { email: 'someone@example.com', name: sim.store.get('res.partner', 8)?.name }])
  t.equal(sim.store.count('mail.message'), 0)
})

await t.test('Odoo 16 tracks the phone only, linked through the field named `field`', async (t) => {
  const sim = await startOdooSimulator({ version: 16 })
  t.teardown(() => sim.close())
  const before = sim.store.get('res.partner', 8)
  await executeKw(sim, 'res.partner', 'write', [[8], REDACTION])
  const values = (await executeKw(sim, 'mail.tracking.value', 'search_read', [[['mail_message_id.res_id', '=', 8]]], { fields: ['field', 'old_value_char', 'new_value_char'] })) as { field: [number, string]; old_value_char: string }[]
  t.same(values.map((v) => ({ ...v, id: 0 })), [{ id: 0, field: [929, 'Phone (res.partner)'], old_value_char: before?.phone, new_value_char: false }])
  const error = await executeKwError(sim, 'mail.tracking.value', 'search_read', [[]], { fields: ['field_id'] })
  t.equal(error.data.message, "Invalid field 'field_id' on model 'mail.tracking.value'")
})

await t.test('Odoo 19 fills record_name of a message with the current name of the record', async (t) => {
  const sim = await startOdooSimulator({ version: 19 })
  t.teardown(() => sim.close())
  await executeKw(sim, 'res.partner', 'write', [[7], REDACTION])
  const [message] = (await executeKw(sim, 'mail.message', 'search_read', [[['res_id', '=', 7], ['model', '=', 'res.partner']]], { fields: ['record_name'] })) as Message[]
  const parent = sim.store.get('res.partner', 6)
  t.equal(message?.record_name, `${String(parent?.name)}, Redacted customer`)
})

await t.test('the admin deletes tracking values and messages through the API', async (t) => {
  const sim = await startOdooSimulator({ version: 18 })
  t.teardown(() => sim.close())
  await executeKw(sim, 'res.partner', 'write', [[8], REDACTION])
  const valueIds = (await executeKw(sim, 'mail.tracking.value', 'search', [[['mail_message_id.res_id', '=', 8]]])) as number[]
  t.equal(await executeKw(sim, 'mail.tracking.value', 'unlink', [valueIds]), true)
  t.same(await trackingOf(sim, [8]), [])
  const messageIds = (await executeKw(sim, 'mail.message', 'search', [[['res_id', '=', 8], ['model', '=', 'res.partner']]])) as number[]
  t.equal(await executeKw(sim, 'mail.message', 'unlink', [messageIds]), true)
  t.equal(sim.store.count('mail.message'), 0)
})

await t.test('deleting a message deletes its tracking values', async (t) => {
  const sim = await startOdooSimulator({ version: 18 })
  t.teardown(() => sim.close())
  await executeKw(sim, 'res.partner', 'write', [[8], REDACTION])
  const messageIds = (await executeKw(sim, 'mail.message', 'search', [[['res_id', '=', 8]]])) as number[]
  await executeKw(sim, 'mail.message', 'unlink', [messageIds])
  t.equal(sim.store.count('mail.tracking.value'), 0)
})

await t.test('the limited user cannot read tracking values', async (t) => {
  const sim = await startOdooSimulator({ version: 18 })
  t.teardown(() => sim.close())
  const uid = (await executeKw(sim, 'res.users', 'search', [[['login', '=', sim.limitedUser.login]]])) as number[]
  const error = await executeKwError(sim, 'mail.tracking.value', 'search_read', [[]], {}, { uid: uid[0] as number, secret: sim.limitedUser.password })
  t.equal(error.data.name, 'odoo.exceptions.AccessError')
})

await t.test('store.update tracks like a user edit unless asked not to', async (t) => {
  const sim = await startOdooSimulator({ version: 18 })
  t.teardown(() => sim.close())
  sim.store.update('res.partner', 8, { phone: '+49 30 5550000' })
  t.equal(sim.store.count('mail.tracking.value'), 1)
  sim.store.update('res.partner', 8, { phone: '+49 30 5550001' }, { tracking: false })
  t.equal(sim.store.count('mail.tracking.value'), 1)
})
