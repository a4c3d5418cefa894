import t from 'tap'
import type { Pool } from '../src/db/database.ts'
import { startJobRunner } from '../src/jobs/job-runner.ts'
import { SYNC_RECORD_QUEUE, syncRecordJob } from '../src/mirror/mirror-jobs.ts'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'
import { sentCode } from './support/rights.ts'
import { until } from './support/until.ts'
import type { Json } from './support/json.ts'
import type { OdooSimulator } from './odoo-simulator/index.ts'
import type { RequestView } from '../src/rights/request-view.ts'

// Every contact in Odoo carries it in its name and e-mail; the faults below make Odoo quote them.
const SEEDED = 'qx7echo'
const DAY = 86_400_000

/** Every text, character, JSON and text-array column of every table of the service and of pg-boss. */
async function columnsHolding(pool: Pool, needle: string): Promise<string[]> {
  const columns = (
    await pool.query<{ table_schema: string; table_name: string; column_name: string }>(
      `SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c
         JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.table_schema IN ('public', 'pgboss') AND t.table_type = 'BASE TABLE'
          AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb') OR c.udt_name IN ('_text', '_varchar'))`
    )
  ).rows
  const holding: string[] = []
  for (const { table_schema: schema, table_name: table, column_name: column } of columns) {
    const found = await pool.query(`SELECT 1 FROM "${schema}"."${table}" WHERE "${column}"::text ILIKE $1 LIMIT 1`, [`%${needle}%`])
    if (found.rowCount) holding.push(`${schema}.${table}.${column}`)
  }
  return holding
}


function seedContacts(sim: OdooSimulator): void {
  for (const contact of sim.store.records('res.partner')) {
    sim.store.update('res.partner', contact.id, { name: `${SEEDED} Person ${contact.id}`, email: `${SEEDED}.person${contact.id}@example.com` }, { tracking: false })
  }
}

async function act(ctx: TestService, id: string, path: string, payload?: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: `/v1/requests/${id}${path}`, headers: ctx.auth.agent, ...(payload === undefined ? {} : { payload }) })
}

const PROTOCOLS = [
  { version: 18, protocol: 'jsonrpc', validation: { exceptionName: 'odoo.exceptions.ValidationError', code: 'JSON-RPC error 200' }, access: 'JSON-RPC error 200', conflict: 'JSON-RPC error 200' },
  // XML-RPC drops the class of a code-2 fault: what is known is "a UserError or a subclass".
  { version: 18, protocol: 'xmlrpc', validation: { exceptionName: 'odoo.exceptions.UserError', code: 'XML-RPC fault 2' }, access: 'XML-RPC fault 4', conflict: 'XML-RPC fault 1' },
  { version: 19, protocol: 'json2', validation: { exceptionName: 'odoo.exceptions.ValidationError', code: 'HTTP 422' }, access: 'HTTP 403', conflict: 'HTTP 500' }
] as const

for (const { version, protocol, validation, access, conflict } of PROTOCOLS) {
  await t.test(`${protocol}: Odoo errors quoting contacts leave their class, code and fields, and no value anywhere`, async (t) => {
    const clock = fixedClock(new Date())
    const sim = await simulator(t, { version, orders: 30, now: () => clock.now() })
    seedContacts(sim)
    const ctx = await startTestService(t, { odoo: sim, clock, env: { ODOO_PROTOCOL: protocol } })

    // A sync that Odoo refuses while it reads contacts, then one that goes through.
    sim.faults.odooFaultNext({ kind: 'AccessError', echo: true, match: { model: 'res.partner', method: 'read' } })
    const failedRun = await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
    t.match(failedRun, { state: 'failed', errors: [{ kind: 'odoo.access', exceptionName: 'odoo.exceptions.AccessError', code: access, model: 'res.partner', method: 'read' }] })
    t.match((await ctx.app.inject({ url: `/v1/sync/runs/${failedRun?.id}`, headers: ctx.auth.admin })).json(), { errors: [{ exceptionName: 'odoo.exceptions.AccessError', code: access }] }, 'the API shows the same')
    t.match(await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' }), { state: 'succeeded' })

    // A redaction batch whose write Odoo refuses for the first contact, quoting the contacts.
    clock.set(new Date(clock.now().getTime() + 3650 * DAY))
    const due = (await ctx.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE NOT is_user AND NOT is_company_partner AND retention_due_at IS NOT NULL ORDER BY odoo_id LIMIT 3')).rows.map((r) => r.odoo_id)
    sim.faults.odooFaultNext({ kind: 'ValidationError', echo: true, times: 2, match: { model: 'res.partner', method: 'write' }, message: 'The operation cannot be completed: Contacts require a name' })
    const report = await ctx.service.redact(due)
    t.equal(report.redacted.length, 2, 'the other contacts are redacted')
    const expectedFailure = { kind: 'validation', ...validation, model: 'res.partner', method: 'write', fields: ['name'] }
    t.match(report.failed, [{ partnerId: due[0], ...expectedFailure }])
    t.match((await ctx.pool.query<{ redaction_failure: Record<string, unknown> | null }>('SELECT redaction_failure FROM mirror_partners WHERE odoo_id = $1', [due[0]])).rows[0]?.redaction_failure, expectedFailure)
    const audited = (await ctx.service.audit.list({ subjectType: 'partner', limit: 50 })).filter((event) => event.action === 'partner.redaction_failed')
    t.match(audited, [{ details: expectedFailure }])

    // A rectification Odoo refuses: the agent gets a 502 naming the class, and the request stays open.
    const subject = (await ctx.pool.query<{ odoo_id: number }>("SELECT odoo_id FROM mirror_partners WHERE type = 'contact' AND email_index IS NOT NULL AND redacted_at IS NULL AND NOT is_user AND NOT is_company_partner ORDER BY odoo_id DESC LIMIT 1")).rows[0]?.odoo_id
    if (subject === undefined) throw new Error('no contact left to rectify')
    const created = await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: { type: 'rectification', email: sim.store.get('res.partner', subject)?.email } })
    const requestId = created.json<Json<RequestView>>().id
    await act(ctx, requestId, '/verification')
    t.equal((await act(ctx, requestId, '/verification/confirm', { code: await sentCode(ctx, requestId) })).statusCode, 200)
    sim.faults.odooFaultNext({ kind: 'ValidationError', echo: true, match: { model: 'res.partner', method: 'write' }, message: 'The street of this contact is not a valid address.' })
    const refused = await act(ctx, requestId, '/fulfilment', { changes: { street: 'Neue Straße 1' }, partnerIds: [subject] })
    t.equal(refused.statusCode, 502)
    t.match(refused.json(), { type: 'urn:problem:odoo', detail: `Odoo refused the operation: ${validation.exceptionName} (${validation.code}) in res.partner.write, field street` })
    t.equal((await ctx.app.inject({ url: `/v1/requests/${requestId}`, headers: ctx.auth.agent })).json<Json<RequestView>>().state, 'in_progress')

    // A webhook's record sync that keeps meeting a concurrent update: pg-boss keeps the job's failure.
    const worker = await startJobRunner({ databaseUrl: ctx.databaseUrl, log: ctx.service.log, work: true, poolMax: 2 })
    t.teardown(() => worker.stop(1000))
    await worker.register([syncRecordJob({ sync: ctx.service.orderSync, log: ctx.service.log })])
    sim.faults.odooFaultNext({ kind: 'SerializationFailure', echo: true, times: 1000, match: { model: 'res.partner', method: 'read' } })
    await ctx.app.inject({ method: 'POST', url: '/v1/odoo/webhook/test-webhook-token-0123456789abcdef', payload: { _model: 'res.partner', _id: subject } })
    const output = await until(async () => (await ctx.pool.query<{ output: unknown }>('SELECT output FROM pgboss.job WHERE name = $1 AND output IS NOT NULL', [SYNC_RECORD_QUEUE])).rows[0]?.output, { what: 'the record sync job to keep its failure' })
    t.match(output, { name: 'JobFailure', failure: { kind: 'odoo.conflict', exceptionName: 'psycopg2.errors.SerializationFailure', code: conflict, model: 'res.partner', method: 'read' } })
    await worker.stop(1000)
    sim.faults.clear()

    t.ok(sim.store.records('res.partner').some((contact) => String(contact.name).startsWith(SEEDED)), 'Odoo holds the seeded contacts')
    t.same(await columnsHolding(ctx.pool, SEEDED), [], 'no table of the service or of pg-boss holds a seeded name or e-mail')
    t.notOk(ctx.logs().toLowerCase().includes(SEEDED), 'no log line holds one')
    t.match(ctx.logs(), validation.exceptionName, 'the logs name the exception class')
  })
}

await t.test('the scan finds a value wherever it is stored', async (t) => {
  const ctx = await startTestService(t)
  await ctx.pool.query(`INSERT INTO sync_runs (id, trigger, state, requested_by, queued_at, errors) VALUES (gen_random_uuid(), 'cli', 'failed', 'test', now(), $1)`, [JSON.stringify([{ kind: 'x', message: `The e-mail ${SEEDED}@example.com is invalid` }])])
  await ctx.service.jobs.send(SYNC_RECORD_QUEUE, { v: 1, model: 'res.partner', id: 1, note: SEEDED })
  const found = await columnsHolding(ctx.pool, SEEDED)
  t.ok(found.includes('public.sync_runs.errors'), 'in a JSON column of the service')
  t.ok(found.some((column) => /^pgboss\.job\w*\.data$/.test(column)), "in pg-boss's jobs")
})
