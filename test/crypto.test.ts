import t from 'tap'
import { createPiiCipher, normalizeForIndex, PiiCipherError } from '../src/crypto/pii-cipher.ts'

const keyA = Buffer.alloc(32, 1)
const keyB = Buffer.alloc(32, 2)

await t.test('a sealed value opens to the original and never contains it', (t) => {
  const cipher = createPiiCipher({ current: keyA })
  const sealed = cipher.seal('Jane Doe', 'partner:7:name')
  t.notMatch(sealed, /Jane/)
  t.match(sealed, new RegExp(`^v1\\.${cipher.currentKeyId}\\.`))
  t.equal(cipher.open(sealed, 'partner:7:name'), 'Jane Doe')
  t.not(cipher.seal('Jane Doe', 'partner:7:name'), sealed, 'a fresh IV every time')
  t.end()
})

await t.test('a value moved to another row or field, or tampered with, does not open', (t) => {
  const cipher = createPiiCipher({ current: keyA })
  const sealed = cipher.seal('jane@example.com', 'partner:7:email')
  t.throws(() => cipher.open(sealed, 'partner:8:email'), PiiCipherError)
  t.throws(() => cipher.open(sealed, 'partner:7:phone'), PiiCipherError)
  const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BA' : 'AA')
  t.throws(() => cipher.open(tampered, 'partner:7:email'), /does not authenticate/)
  t.throws(() => cipher.open('plain text', 'partner:7:email'), /not a sealed value/)
  t.end()
})

await t.test('after rotation old values still open, are reported stale, and unknown keys are named', (t) => {
  const before = createPiiCipher({ current: keyA })
  const old = before.seal('+49 170 1234567', 'partner:1:phone')
  const after = createPiiCipher({ current: keyB, previous: [keyA] })
  t.equal(after.open(old, 'partner:1:phone'), '+49 170 1234567')
  t.equal(after.isStale(old), true)
  t.equal(after.isStale(after.seal('x', 'p')), false)
  const withoutOldKey = createPiiCipher({ current: keyB })
  t.throws(() => withoutOldKey.open(old, 'partner:1:phone'), /unknown key .* PII_PREVIOUS_KEYS/)
  t.end()
})

await t.test('blind indexes match normalized values, under every known key for lookups', (t) => {
  const cipher = createPiiCipher({ current: keyB, previous: [keyA] })
  t.equal(cipher.blindIndex('email', 'Jane@Example.COM '), cipher.blindIndex('email', 'jane@example.com'))
  t.equal(cipher.blindIndex('phone', '+49 170 123-4567'), cipher.blindIndex('phone', '0049 170 1234567'))
  t.not(cipher.blindIndex('phone', '+49 170 1234567'), cipher.blindIndex('email', '+49 170 1234567'), 'kinds do not collide')
  const lookups = cipher.blindIndexes('email', 'jane@example.com')
  t.equal(lookups.length, 2)
  t.equal(lookups[0], cipher.blindIndex('email', 'jane@example.com'))
  t.equal(lookups[1], createPiiCipher({ current: keyA }).blindIndex('email', 'jane@example.com'))
  t.equal(cipher.blindIndex('phone', ' - '), null)
  t.end()
})

await t.test('phone numbers normalize to their digits with international prefixes unified', (t) => {
  t.equal(normalizeForIndex('phone', '+1 (415) 555-0100'), '14155550100')
  t.equal(normalizeForIndex('phone', '001 415 555 0100'), '14155550100')
  t.equal(normalizeForIndex('email', '  A@B.C '), 'a@b.c')
  t.end()
})
