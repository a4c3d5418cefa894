import t from 'tap'
import pg from 'pg'
import { startOdooSimulator } from './odoo-simulator/index.ts'
import { sqlLike } from './odoo-simulator/orm/sql-like.ts'
import { executeKw, executeKwError } from './support/odoo-simulator-rpc.ts'
import { createTestDatabase } from './support/database.ts'

const sim = await startOdooSimulator({ version: 18, orders: 60 })
t.teardown(() => sim.close())

const partners = sim.store.records('res.partner')
const orders = sim.store.records('sale.order')
const idsOf = async (model: string, domain: unknown[], kwargs: object = {}): Promise<number[]> =>
  ((await executeKw(sim, model, 'search', [domain], kwargs)) as number[]).sort((a, b) => a - b)
const sorted = (ids: number[]): number[] => [...ids].sort((a, b) => a - b)

await t.test('terms side by side are all required (implicit &)', async (t) => {
  const expected = orders.filter((o) => o.state === 'sale' && o.origin === 'Amazon').map((o) => o.id)
  t.same(await idsOf('sale.order', [['state', '=', 'sale'], ['origin', '=', 'Amazon']]), sorted(expected))
})

await t.test('| and ! combine terms in prefix notation', async (t) => {
  const expected = orders.filter((o) => o.state === 'draft' || !(o.origin === 'Etsy')).map((o) => o.id)
  t.same(await idsOf('sale.order', ['|', ['state', '=', 'draft'], '!', ['origin', '=', 'Etsy']]), sorted(expected))
})

await t.test('= False matches records where the field is unset', async (t) => {
  const expected = orders.filter((o) => o.team_id === false).map((o) => o.id)
  t.ok(expected.length > 0, 'the data set has orders without a channel')
  t.same(await idsOf('sale.order', [['team_id', '=', false]]), sorted(expected))
})

await t.test('!= also matches records where the field is unset, as SQL with Odoo NULL handling does', async (t) => {
  const expected = orders.filter((o) => o.origin !== 'Amazon').map((o) => o.id)
  t.same(await idsOf('sale.order', [['origin', '!=', 'Amazon']]), sorted(expected))
})

await t.test('in and not in test membership, including False for unset', async (t) => {
  const inStates = orders.filter((o) => o.state === 'sale' || o.state === 'cancel').map((o) => o.id)
  t.same(await idsOf('sale.order', [['state', 'in', ['sale', 'cancel']]]), sorted(inStates))
  t.same(await idsOf('sale.order', [['state', 'not in', ['sale', 'cancel']]]), sorted(orders.filter((o) => !inStates.includes(o.id)).map((o) => o.id)))
  const manual = orders.filter((o) => o.team_id === false || o.team_id === 2).map((o) => o.id)
  t.same(await idsOf('sale.order', [['team_id', 'in', [false, 2]]]), sorted(manual))
})

await t.test('ilike matches a case-insensitive substring, =ilike the whole value', async (t) => {
  const customer = partners.find((p) => p.id === 14)
  const email = String(customer?.email)
  t.same(await idsOf('res.partner', [['email', '=ilike', email.toUpperCase()]]), [14])
  const byPart = partners.filter((p) => typeof p.email === 'string' && p.email.toLowerCase().includes('example.org') && p.active !== false).map((p) => p.id)
  t.same(await idsOf('res.partner', [['email', 'ilike', 'EXAMPLE.ORG']]), sorted(byPart))
})

await t.test('like is case sensitive and =like takes % and _ as wildcards', async (t) => {
  t.same(await idsOf('sale.order', [['name', 'like', 's0000']]), [])
  t.same(await idsOf('sale.order', [['name', '=like', 'S0000_']]), orders.filter((o) => /^S0000\d$/.test(String(o.name))).map((o) => o.id))
  t.same(await idsOf('sale.order', [['name', '=like', 'S%1']]), sorted(orders.filter((o) => String(o.name).endsWith('1')).map((o) => o.id)))
})

await t.test('comparison operators compare numbers and datetimes', async (t) => {
  const expensive = orders.filter((o) => Number(o.amount_total) > 100).map((o) => o.id)
  t.same(await idsOf('sale.order', [['amount_total', '>', 100]]), sorted(expensive))
  const recent = orders.filter((o) => String(o.date_order) >= '2000-01-01 00:00:00').map((o) => o.id)
  t.same(await idsOf('sale.order', [['date_order', '>=', '2000-01-01 00:00:00']]), sorted(recent))
  t.same(await idsOf('sale.order', [['id', '<=', 3]]), [1, 2, 3])
})

await t.test('a many2one compared with a string matches the related record name', async (t) => {
  const amazon = orders.filter((o) => o.origin === 'Amazon').map((o) => o.id)
  t.same(await idsOf('sale.order', [['team_id', '=', 'Amazon']]), sorted(amazon))
  t.same(await idsOf('sale.order', [['team_id', 'ilike', 'amaz']]), sorted(amazon))
})

await t.test('a dotted path follows many2one relations', async (t) => {
  const amazon = orders.filter((o) => o.origin === 'Amazon').map((o) => o.id)
  t.same(await idsOf('sale.order', [['team_id.name', '=', 'Amazon']]), sorted(amazon))
  const german = orders.filter((o) => partners.find((p) => p.id === o.partner_id)?.country_id === 57).map((o) => o.id)
  t.same(await idsOf('sale.order', [['partner_id.country_id.code', '=', 'DE']]), sorted(german))
})

await t.test('an x2many term matches when any related record matches', async (t) => {
  const tagged = orders.filter((o) => Array.isArray(o.tag_ids) && o.tag_ids.includes(1)).map((o) => o.id)
  t.same(await idsOf('sale.order', [['tag_ids', 'in', [1]]]), sorted(tagged))
  const withDelivery = partners.filter((p) => partners.some((c) => c.parent_id === p.id && c.type === 'delivery')).map((p) => p.id)
  t.same(await idsOf('res.partner', [['child_ids.type', '=', 'delivery']]), sorted(withDelivery))
})

await t.test('child_of finds a contact and the contacts below it', async (t) => {
  const children = partners.filter((p) => p.parent_id === 7).map((p) => p.id)
  t.same(await idsOf('res.partner', [['id', 'child_of', 7]]), sorted([7, ...children]))
  t.same(await idsOf('res.partner', [['parent_id', 'child_of', 7]]), sorted(children))
})

await t.test('archived contacts are hidden unless the domain or the context asks for them', async (t) => {
  const archived = partners.filter((p) => p.active === false).map((p) => p.id)
  const all = partners.map((p) => p.id)
  t.same(await idsOf('res.partner', [['id', 'in', archived]]), [])
  t.same(await idsOf('res.partner', [['active', '=', false]]), sorted(archived))
  t.same(await idsOf('res.partner', [['active', 'in', [true, false]]]), sorted(all))
  t.same(await idsOf('res.partner', [['id', 'in', archived]], { context: { active_test: false } }), sorted(archived))
})

await t.test('an unknown field in a domain is a ValueError naming the leaf', async (t) => {
  const error = await executeKwError(sim, 'sale.order', 'search', [[['no_such_field', '=', 1]]])
  t.equal(error.data.name, 'builtins.ValueError')
  t.equal(error.data.message, "Invalid field sale.order.no_such_field in leaf ('no_such_field', '=', 1)")
})

await t.test('an unknown operator is a ValueError naming the leaf', async (t) => {
  const error = await executeKwError(sim, 'sale.order', 'search', [[['name', 'bogus', 1]]])
  t.equal(error.data.message, "Invalid leaf ('name', 'bogus', 1)")
})

await t.test('search orders by the given fields, with the model default order otherwise', async (t) => {
  const byDate = [...orders].sort((a, b) => String(b.date_order).localeCompare(String(a.date_order)) || b.id - a.id).map((o) => o.id)
  t.same(await executeKw(sim, 'sale.order', 'search', [[]], { limit: 5 }), byDate.slice(0, 5), 'date_order desc, id desc')
  t.same(await executeKw(sim, 'sale.order', 'search', [[]], { order: 'id desc', limit: 3, offset: 2 }), [orders.length - 2, orders.length - 3, orders.length - 4])
})

await t.test('search_read without limit returns every match and search_count counts them', async (t) => {
  const drafts = orders.filter((o) => o.state === 'draft')
  const read = (await executeKw(sim, 'sale.order', 'search_read', [[['state', '=', 'draft']]], { fields: ['name'] })) as unknown[]
  t.equal(read.length, drafts.length)
  t.equal(await executeKw(sim, 'sale.order', 'search_count', [[['state', '=', 'draft']]]), drafts.length)
})

await t.test('LIKE operators: PostgreSQL wildcards and its escape character, as real Odoo passes them on', async (t) => {
  // A domain of its own, after the tests above that compare against the generated contacts.
  const emails = ['eva.miller0@likes.test', 'eva_miller0@likes.test', 'eva%miller0@likes.test', 'eva\\miller0@likes.test', 'EVA.MILLER0@LIKES.TEST', 'eva@likes.test']
  const ids = new Map<string, number>()
  for (const email of emails) ids.set(email, (await executeKw(sim, 'res.partner', 'create', [{ name: `Like ${email}`, email }])) as number)
  const found = async (operator: string, value: string) => {
    const hits = await idsOf('res.partner', [['email', operator, value]])
    return emails.filter((email) => hits.includes(ids.get(email) as number))
  }

  await t.test('_ and % are wildcards: a look-alike address matches, as on real Odoo 18', async (t) => {
    t.same(await found('=ilike', 'eva_miller0@likes.test'), ['eva.miller0@likes.test', 'eva_miller0@likes.test', 'eva%miller0@likes.test', 'eva\\miller0@likes.test', 'EVA.MILLER0@LIKES.TEST'])
    t.same(await found('=ilike', '%@likes.test'), emails, 'a % sender matches every contact of the domain')
    t.same(await found('=like', 'eva_miller0@likes.test'), ['eva.miller0@likes.test', 'eva_miller0@likes.test', 'eva%miller0@likes.test', 'eva\\miller0@likes.test'], '=like keeps case')
  })

  await t.test('\\_, \\% and \\\\ match the character itself', async (t) => {
    t.same(await found('=ilike', 'eva\\_miller0@likes.test'), ['eva_miller0@likes.test'])
    t.same(await found('=ilike', 'eva\\%miller0@likes.test'), ['eva%miller0@likes.test'])
    t.same(await found('=ilike', 'eva\\\\miller0@likes.test'), ['eva\\miller0@likes.test'])
    t.same(await found('=ilike', 'eva\\.miller0@likes.test'), ['eva.miller0@likes.test', 'EVA.MILLER0@LIKES.TEST'], 'an escaped ordinary character is that character')
    t.same(await found('=ilike', 'eva\\miller0@likes.test'), [], 'a lone backslash escapes the next character, so it does not match itself')
  })

  await t.test('like and ilike wrap the value in % without escaping it', async (t) => {
    t.same(await found('ilike', 'MILLER0@'), ['eva.miller0@likes.test', 'eva_miller0@likes.test', 'eva%miller0@likes.test', 'eva\\miller0@likes.test', 'EVA.MILLER0@LIKES.TEST'])
    t.same(await found('like', 'a_m'), ['eva.miller0@likes.test', 'eva_miller0@likes.test', 'eva%miller0@likes.test', 'eva\\miller0@likes.test'], 'the value keeps its wildcards')
    t.same(await found('ilike', 'a\\_m'), ['eva_miller0@likes.test'])
    // '100\' becomes '%100\%': the escape takes Odoo's closing %, which then matches a literal '%' at the end.
    const sale = (await executeKw(sim, 'res.partner', 'create', [{ name: 'Likes summer sale 100%' }])) as number
    await executeKw(sim, 'res.partner', 'create', [{ name: 'Likes 100% sure' }])
    t.same(await idsOf('res.partner', [['name', 'ilike', '100\\']]), [sale])
  })

  await t.test('_ is one character, even outside the BMP; ilike folds case beyond ASCII', async (t) => {
    const emoji = (await executeKw(sim, 'res.partner', 'create', [{ name: 'Like emoji', email: 'x😀y@ümlaut.likes.test' }])) as number
    t.same(await idsOf('res.partner', [['email', '=like', 'x_y@ümlaut.likes.test']]), [emoji])
    t.same(await idsOf('res.partner', [['email', '=ilike', 'X😀Y@ÜMLAUT.LIKES.TEST']]), [emoji])
    t.same(await idsOf('res.partner', [['email', '=like', 'X😀Y@ÜMLAUT.LIKES.TEST']]), [])
  })

  await t.test('a pattern ending in the escape character fails as PostgreSQL does, once a row reaches it', async (t) => {
    const error = await executeKwError(sim, 'res.partner', 'search', [[['email', '=ilike', 'eva.miller0@likes.tes\\']]])
    t.equal(error.data.name, 'psycopg2.errors.InvalidEscapeSequence')
    t.equal(error.data.message, 'LIKE pattern must not end with escape character\n')
    t.same(await idsOf('res.partner', [['email', '=ilike', 'nobody@nowhere.test\\']]), [], 'no row gets that far: no error')
    t.same(await idsOf('res.partner', [['email', '=ilike', 'eva.miller0@likes.test\\']]), [], 'a row that ends where the escape begins does not reach it either')
  })
})

await t.test("the simulator's LIKE and ILIKE answer as PostgreSQL's do, escape errors included", async (t) => {
  const client = new pg.Client({ connectionString: await createTestDatabase(t) })
  await client.connect()
  t.teardown(() => client.end())
  await client.query(`CREATE FUNCTION pg_temp.like_result(t text, p text, ci boolean) RETURNS text LANGUAGE plpgsql AS $$
    BEGIN RETURN (CASE WHEN ci THEN t ILIKE p ELSE t LIKE p END)::text;
    EXCEPTION WHEN invalid_escape_sequence THEN RETURN 'error'; END $$`)
  // Every pattern and text of up to three characters over an alphabet of letters, wildcards and the escape.
  const words = ['']
  for (let length = 1; length <= 3; length++) for (const word of words.filter((w) => w.length === length - 1)) for (const c of ['a', 'A', '_', '%', '\\']) words.push(word + c)
  const { rows } = await client.query<{ p: string; t: string; ci: boolean; result: string }>(
    'SELECT p, t, ci, pg_temp.like_result(t, p, ci) AS result FROM unnest($1::text[]) p, unnest($1::text[]) t, unnest(ARRAY[false, true]) ci',
    [words]
  )
  const simulated = (row: { p: string; t: string; ci: boolean }): string => {
    try {
      return String(sqlLike(row.p, { caseInsensitive: row.ci })(row.t))
    } catch {
      return 'error'
    }
  }
  t.equal(rows.length, words.length ** 2 * 2)
  t.same(rows.filter((row) => simulated(row) !== row.result).slice(0, 5), [], `${rows.length} comparisons`)
  t.ok(rows.some((row) => row.result === 'error') && rows.some((row) => row.result === 'true'), 'the set covers matches and errors')
})
