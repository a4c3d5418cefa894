import t from 'tap'
import type { Test } from 'tap'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { runCli } from './support/cli.ts'
import { createPiiCipher } from '../src/crypto/pii-cipher.ts'
import type { PiiCipher } from '../src/crypto/pii-cipher.ts'
import { findStaleData, rotateSealedData } from '../src/crypto/data-rotation.ts'
import { createHolds, holdStore } from '../src/retention/holds.ts'
import { mirrorContactStore } from '../src/mirror/rotate-data-key.ts'
import { openContactPii } from '../src/mirror/sealed-partner.ts'
import { SEALED_STORES } from '../src/service.ts'
import { TEST_PII_KEY } from './support/config.ts'
import type { OdooSimulator } from './odoo-simulator/index.ts'
import type { Json } from './support/json.ts'
import type { RequestView } from '../src/rights/request-view.ts'
import type { StoredRequest } from '../src/rights/request-store.ts'
import { forwardEmailPayloadSchema } from '../src/intake/forwardemail-payload.ts'

/** What these tests read of a row of rights_requests. */
interface SealedRequestRow {
  id: string
  email: string
  phone: string | null
  name: string | null
  order_refs: string | null
  email_index: string
  verification: StoredRequest['verification']
  approval_input: string | null
}

const OLD_KEY = Buffer.from(TEST_PII_KEY, 'base64')
const NEW_KEY = Buffer.alloc(32, 99)
const WEBHOOK_KEY = 'fe-webhook-key-0123456789abcdef'

const rotating = createPiiCipher({ current: NEW_KEY, previous: [OLD_KEY] })
const newOnly = createPiiCipher({ current: NEW_KEY })
const oldOnly = createPiiCipher({ current: OLD_KEY })

interface World extends TestService {
  sim: OdooSimulator
  heldPartner: number
  legacyHeldPartner: number
}

/** A service with a bit of everything sealed: contacts, holds, requests in every state (one awaiting approval), exports, flags, outbox, inbound mail. */
async function populated(t: Test): Promise<World> {
  const sim = await simulator(t, { orders: 20 })
  const ctx = await startTestService(t, { odoo: sim, env: { FORWARDEMAIL_WEBHOOK_KEY: WEBHOOK_KEY, RIGHTS_APPROVAL: 'erasure' } })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  const withEmail = (await ctx.pool.query<{ odoo_id: number; pii: string }>("SELECT odoo_id, pii FROM mirror_partners WHERE email_index IS NOT NULL AND type = 'contact' ORDER BY odoo_id")).rows
  const emailOf = (row: { odoo_id: number; pii: string } | undefined) => {
    if (!row) throw new Error('the simulator made too few contacts with an e-mail address')
    return openContactPii(ctx.service.cipher, row.odoo_id, row.pii).email as string
  }
  const [held, legacy, ...others] = withEmail
  if (!held || !legacy) throw new Error('the simulator made too few contacts with an e-mail address')
  t.equal((await ctx.app.inject({ method: 'POST', url: '/v1/holds', headers: ctx.auth.admin, payload: { subjectType: 'email', email: emailOf(held), reason: 'tax audit 2026' } })).statusCode, 201)
  // A hold as earlier versions stored it: the blind index alone.
  await ctx.pool.query(
    "INSERT INTO holds (id, subject_type, subject_ref, subject_hint, subject_indexes, reason, created_at, created_by) VALUES (gen_random_uuid(), 'email', $1, 'l***@e***.com', ARRAY[$1], 'legacy', now(), 'test')",
    [oldOnly.blindIndex('email', emailOf(legacy))]
  )

  const request = async (type: string, email: string) => (await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: { type, email, phone: '+49 170 1234567', name: 'Erika Mustermann', orderRefs: ['113-1234567-1234567'] } })).json<Json<RequestView>>().id
  const act = async (id: string, path: string, payload: object = {}) => {
    const res = await ctx.app.inject({ method: 'POST', url: `/v1/requests/${id}/${path}`, headers: ctx.auth.agent, payload })
    t.ok(res.statusCode < 300, `${path}: ${res.body}`)
  }
  const approve = async (id: string) => {
    const res = await ctx.app.inject({ method: 'POST', url: `/v1/requests/${id}/approval`, headers: ctx.auth.admin, payload: { decision: 'approve' } })
    t.equal(res.statusCode, 200, res.body)
  }
  await request('access', emailOf(others[0]))
  await act(await request('access', emailOf(others[1])), 'verification')
  // Left awaiting approval: its evidence is sealed with the pending action.
  await act(await request('erasure', emailOf(others[2])), 'verification/manual', { evidence: 'Confirmed by phone with the order number' })
  const completed = await request('access', emailOf(others[3]))
  await act(completed, 'verification/manual', { evidence: 'Confirmed by phone with the order number' })
  await approve(completed)
  await act(completed, 'fulfilment')
  const restricted = await request('restriction', emailOf(others[4]))
  await act(restricted, 'verification/manual', { evidence: 'Confirmed by phone with the order number' })
  await approve(restricted)
  await act(restricted, 'fulfilment')
  await act(await request('access', emailOf(others[5])), 'deny', { reason: 'identity_not_verified' })
  await act(await request('access', emailOf(others[6])), 'withdraw')

  const mail = JSON.parse(readFileSync(new URL('./fixtures/forwardemail-webhook.json', import.meta.url), 'utf8')) as unknown
  const body = JSON.stringify(mail)
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/intake/forwardemail', payload: body, headers: { 'content-type': 'application/json', 'x-webhook-signature': createHmac('sha256', WEBHOOK_KEY).update(body).digest('hex') } })
  t.equal(res.statusCode, 200, res.body)
  return { ...ctx, sim, heldPartner: held.odoo_id, legacyHeldPartner: legacy.odoo_id }
}

/** Every text value in the database that looks sealed, with the key it names. */
async function sealedValues(ctx: TestService): Promise<{ where: string; keyId: string }[]> {
  const columns = (await ctx.pool.query<{ table_name: string; column_name: string }>("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb')")).rows
  const found: { where: string; keyId: string }[] = []
  for (const { table_name: table, column_name: column } of columns) {
    const rows = (await ctx.pool.query<{ v: string }>(`SELECT ${column}::text AS v FROM ${table} WHERE ${column}::text ~ 'v1\\.[0-9a-f]{8}\\.'`)).rows
    for (const row of rows) for (const match of row.v.matchAll(/v1\.([0-9a-f]{8})\./g)) found.push({ where: `${table}.${column}`, keyId: match[1] as string })
  }
  return found
}

await t.test('a rotation re-seals every sealed value of every table; with the old key dropped, everything opens and holds still hold', async (t) => {
  const ctx = await populated(t)
  const before = await sealedValues(ctx)
  t.ok(before.length > 50 && before.every((v) => v.keyId === oldOnly.currentKeyId), 'everything starts under the old key')
  t.ok(new Set(before.map((v) => v.where.split('.')[0])).size >= 6, 'in mirror, holds, requests, exports, outbox and inbound mail')
  const check = await findStaleData({ pool: ctx.pool, cipher: rotating }, SEALED_STORES)
  t.notOk(check.clean)

  const done = await rotateSealedData({ pool: ctx.pool, cipher: rotating }, SEALED_STORES)
  t.ok(Object.values(done).every((n) => n > 0), `every store had work: ${JSON.stringify(done)}`)
  t.same(await sealedValues(ctx).then((values) => values.filter((v) => v.keyId !== newOnly.currentKeyId)), [], 'nothing is left under the old key')
  t.ok((await findStaleData({ pool: ctx.pool, cipher: rotating }, SEALED_STORES)).clean, '--check agrees')
  t.same(Object.values(await rotateSealedData({ pool: ctx.pool, cipher: rotating }, SEALED_STORES)).filter((n) => n > 0), [], 'running it again does nothing')

  await opensUnderNewKeyAlone(t, ctx, newOnly)
  const holds = createHolds({ pool: ctx.pool, clock: ctx.clock, cipher: newOnly })
  t.same([...(await holds.heldAmong(ctx.pool, [ctx.heldPartner, ctx.legacyHeldPartner]))].sort(), [ctx.heldPartner, ctx.legacyHeldPartner].sort(), 'both e-mail holds still hold, the old-style one too')
  const redaction = await ctx.service.redact([ctx.heldPartner])
  t.same(redaction.redacted, [], 'a held contact is not redacted after the rotation')
})

await t.test('while the rotation is half-way, holds and lookups match under every configured key', async (t) => {
  const ctx = await populated(t)
  await rotateSealedData({ pool: ctx.pool, cipher: rotating }, [holdStore])
  const client = await ctx.pool.connect()
  try {
    await client.query('BEGIN')
    await mirrorContactStore.resealBatch(client, rotating, 3)
    await client.query('COMMIT')
  } finally {
    client.release()
  }
  const keys = (await ctx.pool.query<{ key: string }>("SELECT split_part(pii, '.', 2) AS key FROM mirror_partners WHERE email_index IS NOT NULL")).rows.map((r) => r.key)
  t.ok(keys.includes(newOnly.currentKeyId) && keys.includes(oldOnly.currentKeyId), 'contacts under both keys')
  const holds = createHolds({ pool: ctx.pool, clock: ctx.clock, cipher: rotating })
  t.equal((await holds.heldAmong(ctx.pool, [ctx.heldPartner, ctx.legacyHeldPartner])).size, 2, 'holds hold whichever key the contact is under')
  const { discoverSubject } = await import('../src/rights/subject-discovery.ts')
  for (const row of (await ctx.pool.query<{ odoo_id: number; pii: string }>("SELECT odoo_id, pii FROM mirror_partners WHERE email_index IS NOT NULL AND type = 'contact' ORDER BY odoo_id LIMIT 6")).rows) {
    const email = openContactPii(rotating, row.odoo_id, row.pii).email as string
    const found = await discoverSubject({ pool: ctx.pool, cipher: rotating, odoo: ctx.service.odoo, sync: ctx.service.orderSync }, { email, phone: null })
    t.ok(found.some((c) => c.partnerId === row.odoo_id && c.foundBy.includes('email')), `contact ${row.odoo_id} is found by its e-mail in the mirror`)
  }
})

await t.test('a process under the new key recognises a repeated delivery and a code sent before the rotation', async (t) => {
  const ctx = await populated(t)
  const { sentCode } = await import('./support/rights.ts')
  const [awaiting] = (await ctx.pool.query<{ id: string }>("SELECT id FROM rights_requests WHERE state = 'awaiting_verification' LIMIT 1")).rows
  if (!awaiting) throw new Error('no request awaits verification')
  const pending = awaiting.id
  const code = await sentCode(ctx, pending)
  const next = await startTestService(t, { odoo: ctx.sim, databaseUrl: ctx.databaseUrl, env: { FORWARDEMAIL_WEBHOOK_KEY: WEBHOOK_KEY, PII_ENCRYPTION_KEY: NEW_KEY.toString('base64'), PII_PREVIOUS_KEYS: TEST_PII_KEY } })
  const before = (await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM rights_requests')).rows[0]?.n
  const body = readFileSync(new URL('./fixtures/forwardemail-webhook.json', import.meta.url), 'utf8')
  const again = await next.app.inject({ method: 'POST', url: '/v1/intake/forwardemail', payload: body, headers: { 'content-type': 'application/json', 'x-webhook-signature': createHmac('sha256', WEBHOOK_KEY).update(body).digest('hex') } })
  t.same(again.json(), { status: 'duplicate' })
  t.equal((await ctx.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM rights_requests')).rows[0]?.n, before, 'no second request')
  const confirmed = await next.app.inject({ method: 'POST', url: `/v1/requests/${pending}/verification/confirm`, headers: next.auth.agent, payload: { code } })
  t.equal(confirmed.statusCode, 200, confirmed.body)
  t.equal(confirmed.json<Json<RequestView>>().state, 'verified')
})

await t.test('a legacy hold that matches no contact is reported as stranded, not silently dropped', async (t) => {
  const ctx = await populated(t)
  await ctx.pool.query("INSERT INTO holds (id, subject_type, subject_ref, subject_indexes, reason, created_at, created_by) VALUES (gen_random_uuid(), 'email', 'x', ARRAY['x'], 'legacy', now(), 'test')")
  await rotateSealedData({ pool: ctx.pool, cipher: rotating }, SEALED_STORES)
  const check = await findStaleData({ pool: ctx.pool, cipher: rotating }, SEALED_STORES)
  t.notOk(check.clean)
  t.match(check.stores.find((s) => s.name === 'e-mail holds'), { stranded: { count: 1, why: /create them again/ } })
})

await t.test('`keys rotate-data --check` lists what is under an old key; `keys rotate-data` moves it', async (t) => {
  const ctx = await populated(t)
  const env = { DATABASE_URL: ctx.databaseUrl, PII_ENCRYPTION_KEY: NEW_KEY.toString('base64'), PII_PREVIOUS_KEYS: TEST_PII_KEY, ODOO_URL: 'http://127.0.0.1:9', ODOO_DB: 'x', ODOO_USERNAME: 'x', ODOO_API_KEY: 'x', LOG_LEVEL: 'warn' }
  const before = await runCli(['keys', 'rotate-data', '--check'], env)
  t.equal(before.code, 1)
  t.match(before.stdout, new RegExp(`mirror contacts\\s+\\d+ under key ${oldOnly.currentKeyId}`))
  const rotated = await runCli(['keys', 'rotate-data', '--json'], env)
  t.equal(rotated.code, 0, rotated.stderr)
  t.match(JSON.parse(rotated.stdout), { keyId: newOnly.currentKeyId, check: { clean: true } })
  const after = await runCli(['keys', 'rotate-data', '--check'], env)
  t.equal(after.code, 0)
  t.match(after.stdout, /Older keys are no longer needed/)
  t.match(await ctx.service.audit.list({ action: 'pii.rekeyed', limit: 1 }), [{ details: { keyId: newOnly.currentKeyId } }])
})

// Nothing has been purged in these tests: every identifier and message is there to be opened.
async function opensUnderNewKeyAlone(t: Test, ctx: TestService, cipher: PiiCipher): Promise<void> {
  const outbox = (await ctx.pool.query<{ id: string; recipient: string; subject: string; body_text: string; body_html: string }>('SELECT id, recipient, subject, body_text, body_html FROM outbox')).rows
  t.ok(outbox.length > 5)
  const columns = [['recipient', 'recipient'], ['subject', 'subject'], ['body_text', 'text'], ['body_html', 'html']] as const
  for (const row of outbox) for (const [column, field] of columns) cipher.open(row[column], `outbox:${row.id}:${field}`)
  t.pass('every message of the outbox opens: no mail is stuck')
  const requests = (await ctx.pool.query<SealedRequestRow>('SELECT id, email, phone, name, order_refs, email_index, verification, approval_input FROM rights_requests')).rows
  for (const row of requests) {
    const email = cipher.open(row.email, `request:${row.id}:email`)
    t.equal(row.email_index, cipher.blindIndex('email', email), `request ${row.id}: its blind index is under the new key`)
    for (const field of ['phone', 'name', 'order_refs'] as const) {
      const sealed = row[field]
      if (sealed) cipher.open(sealed, `request:${row.id}:${field}`)
    }
    if (row.verification?.evidence) cipher.open(row.verification.evidence, `request:${row.id}:evidence`)
  }
  const awaiting = requests.filter((row): row is SealedRequestRow & { approval_input: string } => row.approval_input !== null)
  t.equal(awaiting.length, 1, 'one request awaits approval')
  for (const row of awaiting) t.match(JSON.parse(cipher.open(row.approval_input, `request:${row.id}:approval_input`)) as unknown, { action: 'verify_manually', evidence: /order number/ }, 'its pending evidence opens')
  const flags = (await ctx.pool.query<{ flag: string | null; request: string | null }>('SELECT f.email_index AS flag, r.email_index AS request FROM subject_flags f JOIN rights_requests r ON r.id = f.request_id')).rows
  t.ok(flags.length > 0 && flags.every((f) => f.flag === f.request), 'subject flags follow their request')
  for (const row of (await ctx.pool.query<{ id: string; bundle: string }>('SELECT id, bundle FROM rights_exports WHERE bundle IS NOT NULL')).rows) cipher.open(row.bundle, `export:${row.id}`)
  for (const row of (await ctx.pool.query<{ id: string; message: string; message_key: string }>('SELECT id, message, message_key FROM inbound_messages')).rows) {
    const message = forwardEmailPayloadSchema.parse(JSON.parse(cipher.open(row.message, `inbound:${row.id}:message`)))
    t.equal(row.message_key, cipher.fingerprint(`message-id:${message.messageId.trim().toLowerCase()}`), 'a repeated delivery is still recognised')
  }
  for (const row of (await ctx.pool.query<{ odoo_id: number; pii: string; email_index: string | null }>("SELECT odoo_id, pii, email_index FROM mirror_partners WHERE email_index IS NOT NULL")).rows) {
    t.equal(row.email_index, cipher.blindIndex('email', openContactPii(cipher, row.odoo_id, row.pii).email as string))
  }
}
