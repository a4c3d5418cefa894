import t from 'tap'
import { startOdooSimulator } from './odoo-simulator/index.ts'
import { executeKw } from './support/odoo-simulator-rpc.ts'

const sim = await startOdooSimulator({ version: 18, orders: 5 })
t.teardown(() => sim.close())

// Expected values are what Odoo's tools.email_normalize(email, strict=False) returns for each
// field (Python 3.11's email.utils.getaddresses underneath), as mail.thread.blacklist stores it.
const CASES: [email: string, normalized: string | false][] = [
  ['Anna.Schmidt@Example.COM', 'anna.schmidt@example.com'],
  [' "Schmidt, Anna" <Anna.S@Example.com> ', 'anna.s@example.com'],
  ['anna@x.de, Bob <BOB@y.de>', 'anna@x.de'],
  ['anna@x.de; bob@y.de', 'anna@x.de'],
  ['Raoul Raoul@Grosbedon.fr', 'raoul@grosbedon.fr'],
  ['Élodie@Bücher.DE', 'Élodie@bücher.de'],
  ['ANNA@XN--BCHER-KVA.DE', 'anna@xn--bcher-kva.de'],
  ['Eva_Miller0@Example.com', 'eva_miller0@example.com'],
  ['a@b@c.com', 'b@c.com'],
  ['@gmail.com, X@Y.com', 'x@y.com'],
  ['not an email', false],
  ['  ', false],
]

await t.test('email_normalized is the first address of the field, as Odoo computes it', async (t) => {
  for (const [email, normalized] of CASES) {
    const id = (await executeKw(sim, 'res.partner', 'create', [{ name: 'Normalized', email }])) as number
    const [record] = (await executeKw(sim, 'res.partner', 'read', [[id], ['email_normalized']])) as { email_normalized: string | false }[]
    t.equal(record?.email_normalized, normalized, JSON.stringify(email))
  }
})

await t.test('a contact without an e-mail has none, and a domain on email_normalized compares it exactly', async (t) => {
  const none = (await executeKw(sim, 'res.partner', 'create', [{ name: 'No mail' }])) as number
  t.same(await executeKw(sim, 'res.partner', 'read', [[none], ['email_normalized']]), [{ id: none, email_normalized: false }])
  const second = (await executeKw(sim, 'res.partner', 'create', [{ name: 'Shared', email: 'first@shared.test, second@shared.test' }])) as number
  t.same(await executeKw(sim, 'res.partner', 'search', [[['email_normalized', '=', 'first@shared.test']]]), [second])
  t.same(await executeKw(sim, 'res.partner', 'search', [[['email_normalized', '=', 'second@shared.test']]]), [], 'only the first address is normalized')
})
