import { invalidEscapeSequence } from '../errors.ts'

/**
 * PostgreSQL's LIKE and ILIKE, as Odoo's like/ilike/=like/=ilike operators reach them: `%` matches
 * any run of characters, `_` exactly one, and the default escape character `\` makes the next
 * character literal (`\_`, `\%`, `\\`). ILIKE compares the lower-cased text with the lower-cased
 * pattern, as PostgreSQL does in a UTF-8 database. Characters are code points, not UTF-16 units.
 */
export type LikeMatcher = (text: string) => boolean

type Token = { kind: 'any' } | { kind: 'one' } | { kind: 'char'; char: string } | { kind: 'dangling-escape' }

export function sqlLike(pattern: string, options: { caseInsensitive: boolean }): LikeMatcher {
  const fold = options.caseInsensitive ? (s: string) => s.toLowerCase() : (s: string) => s
  const tokens = tokenize(fold(pattern))
  return (text) => matches(tokens, [...fold(text)])
}

/**
 * The pattern Odoo sends for an operator: like/ilike look for the value anywhere, so Odoo wraps it
 * in `%…%` without escaping it; =like/=ilike send it as given.
 */
export function odooLikePattern(value: string, operator: string): string {
  return operator.startsWith('=') ? value : `%${value}%`
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = []
  const chars = [...pattern]
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string
    if (char === '\\') {
      i += 1
      tokens.push(i < chars.length ? { kind: 'char', char: chars[i] as string } : { kind: 'dangling-escape' })
    } else if (char === '%') {
      if (tokens.at(-1)?.kind !== 'any') tokens.push({ kind: 'any' })
    } else {
      tokens.push(char === '_' ? { kind: 'one' } : { kind: 'char', char })
    }
  }
  return tokens
}

/**
 * Wildcard matching with one backtrack point (the last `%` seen): never exponential. PostgreSQL
 * raises its error only when matching reaches a pattern's trailing escape character with text
 * left, so a row that fails earlier does not raise it; the same here.
 */
function matches(tokens: readonly Token[], text: readonly string[]): boolean {
  let t = 0
  let s = 0
  let star = -1
  let starText = 0
  while (s < text.length) {
    const token = tokens[t]
    if (token?.kind === 'dangling-escape') throw invalidEscapeSequence()
    if (token?.kind === 'any') {
      star = t
      starText = s
      t += 1
    } else if (token && (token.kind === 'one' || token.char === text[s])) {
      t += 1
      s += 1
    } else if (star >= 0) {
      t = star + 1
      starText += 1
      s = starText
    } else {
      return false
    }
  }
  // Out of text: only `%` may be left (PostgreSQL returns false here, even before a trailing escape).
  return tokens.slice(t).every((token) => token.kind === 'any')
}
