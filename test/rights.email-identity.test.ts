import t from 'tap'
import { ADDRESS_SEPARATORS, addressesInField, emailIdentity, emailSpellings, identitiesInField } from '../src/rights/email-identity.ts'
import { likeLiteral } from '../src/odoo/like-literal.ts'
import { sqlLike } from './odoo-simulator/orm/sql-like.ts'

await t.test('an identity is the address trimmed and case-folded, its domain in IDNA ASCII', (t) => {
  t.equal(emailIdentity('  Eva.Miller0@Example.COM '), 'eva.miller0@example.com')
  t.equal(emailIdentity('jürgen@bücher.de'), 'jürgen@xn--bcher-kva.de')
  t.equal(emailIdentity('JÜRGEN@XN--BCHER-KVA.DE'), 'jürgen@xn--bcher-kva.de', 'punycode and Unicode spellings of a domain are one')
  t.equal(emailIdentity('anna@straße.de'), 'anna@xn--strae-oqa.de', 'ß is kept (not folded to ss), as browsers resolve it today')
  t.equal(emailIdentity('a@[192.0.2.1]'), 'a@[192.0.2.1]', 'an address literal is kept as written')
  for (const notOne of ['', 'anna', '@example.com', 'anna@', '  ']) t.equal(emailIdentity(notOne), null, JSON.stringify(notOne))
  t.end()
})

await t.test('nothing but case and the domain spelling is folded: tags, dots and look-alikes stay different', (t) => {
  const anna = emailIdentity('anna@example.com')
  for (const other of ['anna+shop@example.com', 'a.nna@example.com', 'anna@example.co', 'anna_@example.com', 'anna@bucher.de', 'ann_@example.com', 'ann%@example.com']) {
    t.not(emailIdentity(other), anna, other)
  }
  t.not(emailIdentity('jurgen@bucher.de'), emailIdentity('jürgen@bücher.de'), 'no accent folding')
  t.end()
})

await t.test('spellings: as given, with the domain in ASCII and in Unicode, normalized as the blind index is', (t) => {
  t.same(emailSpellings(' Jürgen@BÜCHER.de '), ['jürgen@bücher.de', 'jürgen@xn--bcher-kva.de'])
  t.same(emailSpellings('anna@XN--BCHER-KVA.DE'), ['anna@xn--bcher-kva.de', 'anna@bücher.de'])
  t.same(emailSpellings('Eva_Miller0@Example.com'), ['eva_miller0@example.com'])
  t.end()
})

await t.test('a field holds every address-like token in it, display names and lists included', (t) => {
  t.same(addressesInField('Anna Schmidt <anna@x.de>'), ['anna@x.de'])
  t.same(addressesInField('"Schmidt, Anna" <anna@x.de>'), ['anna@x.de'])
  t.same(addressesInField('anna@x.de, Bob <bob@y.de>; carl@z.de'), ['anna@x.de', 'bob@y.de', 'carl@z.de'])
  t.same(addressesInField('"anna@x.de" <other@y.de>'), ['anna@x.de', 'other@y.de'], 'an address in a display name counts: it may be someone else')
  t.same(addressesInField('no address here'), [])
  t.equal(identitiesInField('Anna@X.de, anna@x.DE').size, 1, 'the same address twice is one')
  t.equal(identitiesInField('anna@x.de, bob@y.de').size, 2)
  t.end()
})

await t.test('addresses are split at the separators discovery asks Odoo about, and only there', (t) => {
  // Discovery's Odoo search relies on this: a field that holds an address and is not just that
  // address contains one of ADDRESS_SEPARATORS.
  for (let code = 0; code < 0x3100; code++) {
    const c = String.fromCharCode(code)
    const split = addressesInField(`a@x.de${c}b@y.de`).length === 2
    if (split !== (ADDRESS_SEPARATORS as readonly string[]).includes(c)) t.fail(`U+${code.toString(16)} ${split ? 'splits' : 'does not split'}`)
  }
  t.pass('checked U+0000 to U+30FF')
  t.end()
})

await t.test('likeLiteral: Odoo LIKE operators then match the value itself and nothing else', (t) => {
  t.equal(likeLiteral('eva_miller0@example.com'), 'eva\\_miller0@example.com')
  t.equal(likeLiteral('100%\\sure'), '100\\%\\\\sure')
  // Checked with the simulator's LIKE, itself checked against PostgreSQL: every =like of a literal is equality.
  const alphabet = ['a', 'A', '_', '%', '\\', '.', '@', 'ü']
  const words: string[] = ['']
  for (const word of [...words]) for (const c of alphabet) words.push(word + c)
  for (const word of [...words]) for (const c of alphabet) words.push(word + c)
  let checked = 0
  for (const value of words) {
    const literal = sqlLike(likeLiteral(value), { caseInsensitive: false })
    const wrapped = sqlLike(`%${likeLiteral(value)}%`, { caseInsensitive: true })
    for (const text of words) {
      if (literal(text) !== (text === value)) t.fail(`=like ${JSON.stringify(value)} on ${JSON.stringify(text)}`)
      if (wrapped(text) !== text.toLowerCase().includes(value.toLowerCase())) t.fail(`ilike ${JSON.stringify(value)} on ${JSON.stringify(text)}`)
      checked += 1
    }
  }
  t.equal(checked, words.length ** 2, `${checked} pairs compared`)
  t.end()
})
