import t from 'tap'
import { recordingLogger } from './support/odoo-gateway.ts'
import { gateway, PROTOCOL_MATRIX, simulator } from './support/odoo-simulated.ts'

const PII = { name: 'Jane Q Public', email: 'jane.q.public@example.org', phone: '+49 151 5550199', street: '1 Hidden Street' }
const SEARCHED_EMAIL = 'searched.person@example.net'

t.jobs = PROTOCOL_MATRIX.length

for (const { version, protocol } of PROTOCOL_MATRIX) {
  await t.test(`Odoo ${version} over ${protocol}: the logs carry no secret, no domain value and no record value`, async (t) => {
    const sim = await simulator(t, { version, orders: 6 })
    const { log, output, entries } = recordingLogger()
    const odoo = gateway(t, sim, protocol, { retries: 1 }, { log, sleep: async () => {} })
    const contacts = sim.store
      .records('res.partner')
      .filter((partner) => partner.type === 'delivery')
      .map((partner) => partner.id)
      .slice(0, 2)

    await odoo.searchRead('res.partner', [['email', '=ilike', SEARCHED_EMAIL]], { fields: ['name', 'email', 'phone'] })
    await odoo.write('res.partner', contacts, PII, { context: { tracking_disable: true } })
    await odoo.read('res.partner', contacts, ['name', 'email', 'phone', 'street'])
    const created = await odoo.create('res.partner', { ...PII, name: `${PII.name} Junior` })
    sim.faults.failNext({ status: 502, match: { model: 'res.partner', method: 'write' } })
    await odoo.write('res.partner', [created], { email: PII.email })
    await odoo.write('res.partner', [99_999_999], { phone: PII.phone }).catch(() => undefined)

    const logged = output()
    for (const secret of [sim.apiKey, sim.password, ...Object.values(PII), SEARCHED_EMAIL]) {
      t.notOk(logged.includes(secret), `"${secret}" is not logged`)
    }
    const writes = entries().filter((entry) => entry.method === 'write')
    t.match(writes, [
      { level: 20, model: 'res.partner', ids: 2, outcome: 'ok', attempt: 1, ms: Number },
      { level: 40, model: 'res.partner', ids: 1, outcome: 'retry', kind: 'unavailable' },
      { level: 20, model: 'res.partner', ids: 1, outcome: 'ok', attempt: 2 },
      { level: 40, model: 'res.partner', ids: 1, outcome: 'failed', kind: 'missing', exceptionName: 'odoo.exceptions.MissingError' }
    ])
  })
}
