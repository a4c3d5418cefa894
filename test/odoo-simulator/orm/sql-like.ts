import { invalidEscapeSequence } from '../errors.ts'

/**
 * PostgreSQL's LIKE and ILIKE, as Odoo's like/ilike/=like/=ilike operators reach them: `%` matches
 * any run of characters, `_` exactly one, and the default escape character `\` makes the next
 * character literal (`\_`, `\%`, `\\`). ILIKE compares the lower-cased text with the lower-cased
 * pattern, as PostgreSQL does in a UTF-8 database. Characters are code points, not UTF-16 units.
 */
export type LikeMatcher = (text: string) => boolean

export function sqlLike(pattern: string, options: { caseInsensitive: boolean }): LikeMatcher {
  const fold = options.caseInsensitive ? (s: string) => s.toLowerCase() : (s: string) => s
  const p = codePoints(fold(pattern))
  return (text) => matchText(codePoints(fold(text)), 0, p, 0) === TRUE
}

/** PostgreSQL's characters in a UTF-8 database: code points, not graphemes. */
function codePoints(text: string): string[] {
  return Array.from(text)
}

/**
 * The pattern Odoo sends for an operator: like/ilike look for the value anywhere, so Odoo wraps it
 * in `%…%` without escaping it; =like/=ilike send it as given.
 */
export function odooLikePattern(value: string, operator: string): string {
  return operator.startsWith('=') ? value : `%${value}%`
}

const TRUE = 1
const FALSE = 0
// No match here, nor at any later text position: the caller stops searching.
const ABORT = -1

/**
 * PostgreSQL's MatchText (src/backend/utils/adt/like_match.c), over code points: the same walk,
 * so the same answers, including when "LIKE pattern must not end with escape character" is raised
 * (only once matching reaches that escape, so a row that fails earlier does not raise it).
 */
function matchText(t: readonly string[], ti: number, p: readonly string[], pi: number): number {
  if (p.length - pi === 1 && p[pi] === '%') return TRUE
  while (ti < t.length && pi < p.length) {
    if (p[pi] === '\\') {
      pi += 1
      if (pi >= p.length) throw invalidEscapeSequence()
      if (p[pi] !== t[ti]) return FALSE
    } else if (p[pi] === '%') {
      pi += 1
      // Any run of % and _ after a % matches at least as many characters as it has _.
      while (pi < p.length) {
        if (p[pi] === '%') {
          pi += 1
        } else if (p[pi] === '_') {
          if (ti >= t.length) return ABORT
          ti += 1
          pi += 1
        } else {
          break
        }
      }
      if (pi >= p.length) return TRUE
      let first = p[pi]
      if (first === '\\') {
        if (pi + 1 >= p.length) throw invalidEscapeSequence()
        first = p[pi + 1]
      }
      for (; ti < t.length; ti++) {
        if (t[ti] === first) {
          const matched = matchText(t, ti, p, pi)
          if (matched !== FALSE) return matched
        }
      }
      return ABORT
    } else if (p[pi] === '_') {
      ti += 1
      pi += 1
      continue
    } else if (p[pi] !== t[ti]) {
      return FALSE
    }
    ti += 1
    pi += 1
  }
  if (ti < t.length) return FALSE
  while (pi < p.length && p[pi] === '%') pi += 1
  return pi >= p.length ? TRUE : ABORT
}
