/**
 * A value for Odoo's `like`, `ilike`, `=like` and `=ilike` that matches only itself. Odoo hands
 * these operators' values to SQL LIKE/ILIKE, where `_` and `%` are wildcards and `\` is the escape
 * character: an address such as `eva_miller0@example.com` would otherwise also match
 * `eva.miller0@example.com`. Odoo escapes the same three characters itself (`tools.email_escape_char`).
 */
export function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`)
}
