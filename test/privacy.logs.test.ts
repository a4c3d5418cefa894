import t from 'tap'
import { startTestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { fixedClock } from './support/clock.ts'

await t.test('a whole sync, webhook and redaction cycle logs no personal data, even at debug level', async (t) => {
  const clock = fixedClock(new Date())
  const sim = await simulator(t, { orders: 40, now: () => clock.now() })
  const ctx = await startTestService(t, { odoo: sim, clock })
  const personal = sim.store.records('res.partner').flatMap((p) => [p.name, p.email, p.phone, p.street, p.city, p.zip]).filter((v): v is string => typeof v === 'string' && v.length > 3)
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  const partner = (await ctx.pool.query<{ odoo_id: number }>('SELECT odoo_id FROM mirror_partners WHERE NOT is_user AND NOT is_company_partner AND retention_due_at IS NOT NULL ORDER BY odoo_id LIMIT 3')).rows.map((r) => r.odoo_id)
  sim.faults.odooFaultNext({ kind: 'ValidationError', times: 2, match: { model: 'res.partner', method: 'write' } })
  clock.set(new Date(Date.now() + 3650 * 86_400_000))
  await ctx.service.redact(partner)
  await ctx.app.inject({ method: 'POST', url: '/v1/odoo/webhook/test-webhook-token-0123456789abcdef', payload: { _model: 'res.partner', _id: partner[0], name: personal[0], email: personal[1] } })
  await ctx.app.inject({ url: '/v1/orders?limit=50', headers: ctx.auth.agent })
  const logs = ctx.logs()
  t.ok(logs.includes('"model":"res.partner"'), 'the gateway logged its calls')
  const leaked = personal.filter((value) => logs.includes(value))
  t.same(leaked, [], 'no name, e-mail, phone or address in the logs')
})
