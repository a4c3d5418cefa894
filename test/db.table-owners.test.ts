// Every table has one module that holds its SQL (issue #14): a change to a table touches one file,
// and the README's "A table's SQL" list stays true. Read from the sources, no database needed.
import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'

const root = new URL('../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8')

const tables = [
  ...new Set(readdirSync(new URL('migrations/', root)).filter((file) => file.endsWith('.sql')).flatMap((file) => [...read(`migrations/${file}`).matchAll(/CREATE (?:UNLOGGED )?TABLE (?:IF NOT EXISTS )?(\w+)/gi)].map((m) => m[1] as string)))
].sort()

const sources = readdirSync(new URL('src/', root), { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.ts'))
  .map((path) => ({ path: `src/${path}`, text: read(`src/${path}`) }))

/** The modules whose SQL names the table: in a statement, or handed to a helper that builds one (key rotation's counts, ANALYZE). */
function modulesNaming(table: string): string[] {
  const statement = new RegExp(`\\b(?:FROM|INTO|UPDATE|JOIN|TABLE|ANALYZE)\\s+${table}\\b|countSealedByKey\\([^)]*'${table}'|'${table} \\(`, 'i')
  return sources.filter((source) => statement.test(source.text)).map((source) => source.path)
}

// A statement that follows a contact to its orders is a contacts' statement, with the contacts'.
const ALSO_NAMED_BY: Record<string, string[]> = { mirror_orders: ['src/mirror/partner-store.ts'] }

await t.test('each table of the migrations has its SQL in one module', (t) => {
  t.ok(tables.length > 10, 'the migrations were read')
  for (const table of tables) {
    const modules = modulesNaming(table).filter((path) => !(ALSO_NAMED_BY[table] ?? []).includes(path))
    t.equal(modules.length, 1, `${table}: ${modules.join(', ')}`)
  }
  t.end()
})

await t.test("pg-boss's tables are read in src/jobs/queue-tables.ts only, through the configured schema", (t) => {
  const naming = sources.filter((source) => /\bpgboss\.|\$\{BOSS_SCHEMA\}\./.test(source.text)).map((source) => source.path)
  t.same(naming, ['src/jobs/queue-tables.ts'])
  t.notMatch(read('src/jobs/queue-tables.ts'), /\bpgboss\./, 'the schema is named once, in BOSS_SCHEMA')
  t.end()
})
