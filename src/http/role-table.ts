import { roleSchema } from '../auth/roles.ts'
import type { Role } from '../auth/roles.ts'

/** The markers around the generated table in README.md. */
export const ROLE_TABLE_BEGIN = '<!-- role-table:begin (generated from the routes by `npm run docs:security`; do not edit by hand) -->'
export const ROLE_TABLE_END = '<!-- role-table:end -->'

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete']

interface Operation {
  summary?: string
  'x-roles'?: readonly Role[]
  'x-access'?: string
}

export interface DocumentedPaths {
  paths: Record<string, Record<string, Operation>>
}

/**
 * Who may call each operation of the OpenAPI document, as a Markdown table: a column per role
 * (from `x-roles`, which the authentication plugin writes from each route's `config.roles`), and
 * for routes that take no API key what protects them instead (`x-access`) or "anyone".
 */
export function renderRoleTable(document: DocumentedPaths): string {
  const roles = roleSchema.options
  const rows = Object.entries(document.paths)
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })))
    .sort((a, b) => a.path.localeCompare(b.path) || METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method))
    .map(({ path, method, operation }) => {
      const allowed = operation['x-roles']
      const cells = roles.map((role) => (allowed?.includes(role) ? '✓' : ''))
      const withoutKey = allowed ? '' : (operation['x-access'] ?? 'anyone')
      return row([`\`${method.toUpperCase()} ${path}\``, ...cells, withoutKey, operation.summary ?? ''])
    })
  return [row(['operation', ...roles, 'without an API key', 'what it does']), row(['---', ...roles.map(() => ':-:'), '---', '---']), ...rows].join('\n')
}

/** README.md with the text between the markers replaced by `table`. */
export function withRoleTable(readme: string, table: string): string {
  const { before, after } = split(readme)
  return `${before}${ROLE_TABLE_BEGIN}\n${table}\n${ROLE_TABLE_END}${after}`
}

/** The table README.md holds between the markers. */
export function roleTableOf(readme: string): string {
  const { table } = split(readme)
  return table
}

function split(readme: string): { before: string; table: string; after: string } {
  const begin = readme.indexOf(ROLE_TABLE_BEGIN)
  const end = readme.indexOf(ROLE_TABLE_END)
  if (begin === -1 || end < begin) throw new Error(`README.md has no role table between ${ROLE_TABLE_BEGIN} and ${ROLE_TABLE_END}`)
  return { before: readme.slice(0, begin), table: readme.slice(begin + ROLE_TABLE_BEGIN.length, end).trim(), after: readme.slice(end + ROLE_TABLE_END.length) }
}

function row(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`
}
