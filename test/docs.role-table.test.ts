import { readFileSync } from 'node:fs'
import t from 'tap'
import { generateOpenApiDocument } from '../src/http/openapi-document.ts'
import { renderRoleTable, roleTableOf, withRoleTable } from '../src/http/role-table.ts'
import type { DocumentedPaths } from '../src/http/role-table.ts'
import { capturedLogger } from './support/logs.ts'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const generated = async () => renderRoleTable(JSON.parse(await generateOpenApiDocument(capturedLogger().log)) as DocumentedPaths)

function rowOf(table: string, operation: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`| \`${operation}\` |`))
  if (!line) throw new Error(`no row for ${operation}`)
  return line.split(' | ').map((cell) => cell.replace(/^\| |\|$/g, '').trim())
}

await t.test("README.md's role table is the one the routes generate", async (t) => {
  t.equal(roleTableOf(readme), await generated(), "README.md's role table differs from the routes: run `npm run docs:security` and commit README.md")
})

await t.test("every operation has a row ticking its routes' roles, or saying what protects it instead", async (t) => {
  const table = await generated()
  t.same(rowOf(table, 'POST /v1/keys'), ['`POST /v1/keys`', '✓', '', '', '', 'Create an API key; the key is in this response only'])
  t.same(rowOf(table, 'GET /v1/requests/{id}').slice(1, 5), ['✓', '✓', '✓', ''])
  t.same(rowOf(table, 'GET /v1/orders').slice(1, 5), ['✓', '✓', '', ''])
  t.match(rowOf(table, 'POST /v1/intake/forwardemail')[4], /X-Webhook-Signature.*FORWARDEMAIL_WEBHOOK_KEY/)
  t.match(rowOf(table, 'POST /v1/odoo/webhook/{token}')[4], /ODOO_WEBHOOK_TOKEN/)
  t.equal(rowOf(table, 'GET /health/ready')[4], 'anyone')
})

await t.test('a pipe in a summary does not break the table', (t) => {
  const table = renderRoleTable({ paths: { '/x': { get: { summary: 'a | b', 'x-roles': ['agent'] } } } })
  t.match(table, /\| a \\\| b \|$/)
  t.end()
})

await t.test('the table replaces only what lies between the markers; a README without them is refused', (t) => {
  const replaced = withRoleTable(readme, '| new |')
  t.equal(roleTableOf(replaced), '| new |')
  t.equal(replaced.replace(roleTableOf(replaced), ''), readme.replace(roleTableOf(readme), ''), 'the rest of the README is untouched')
  t.throws(() => withRoleTable('# no table here\n', '| new |'), /README.md has no role table between/)
  t.end()
})
