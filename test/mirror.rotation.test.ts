import t from 'tap'
import { startTestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { createPiiCipher } from '../src/crypto/pii-cipher.ts'
import { resealPartners } from '../src/mirror/rotate-data-key.ts'
import { TEST_PII_KEY } from './support/config.ts'

const NEW_KEY = Buffer.alloc(32, 99)

t.test('rotating the data key re-seals every contact; the old key is then no longer needed', async (t) => {
  const sim = await simulator(t, { orders: 15 })
  const { service, pool } = await startTestService(t, { odoo: sim })
  await service.runSync({ trigger: 'cli', requestedBy: 'test' })
  const oldCipher = service.cipher
  const rotating = createPiiCipher({ current: NEW_KEY, previous: [Buffer.from(TEST_PII_KEY, 'base64')] })
  const { rows: before } = await pool.query('SELECT odoo_id, email, email_index FROM mirror_partners WHERE email IS NOT NULL ORDER BY odoo_id')

  const result = await resealPartners({ pool, cipher: rotating })
  t.ok(result.partners > 0)
  t.equal(result.partners, (await pool.query('SELECT count(*)::int AS n FROM mirror_partners')).rows[0].n)

  const newOnly = createPiiCipher({ current: NEW_KEY })
  const { rows: after } = await pool.query('SELECT odoo_id, email, email_index FROM mirror_partners WHERE email IS NOT NULL ORDER BY odoo_id')
  for (const [i, row] of after.entries()) {
    const place = `partner:${row.odoo_id}:email`
    t.equal(newOnly.open(row.email, place), oldCipher.open(before[i].email, place), `contact ${row.odoo_id} opens under the new key alone`)
    t.equal(row.email_index, newOnly.blindIndex('email', newOnly.open(row.email, place)), 'its blind index is under the new key')
  }
  t.same(await resealPartners({ pool, cipher: rotating }), { partners: 0 }, 're-running finds nothing left to do')
})
