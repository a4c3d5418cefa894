import type { ClassifiedType } from '../classify.ts'

/*
 * How the classifier's patterns are written. Each is regular-expression source matched against
 * normalized text: lower case, no accents, ß → ss, line breaks as spaces (see `normalizeText`).
 * The rest of a word is written `\w*`; the classifier compiles it to `\w{0,24}` so every pattern
 * runs in linear time (see `classify.ts`).
 */

/** How surely a match means its right; a message's score for a right is the sum over its matching patterns. */
export const STRONG = 1
export const MEDIUM = 0.7
export const WEAK = 0.4

/** Patterns for one right at one weight; each pattern counts once however often it matches. */
export interface SignalPatterns {
  type: ClassifiedType
  weight: number
  patterns: string[]
}

/** What one language brings to classification. */
export interface LanguagePatterns {
  /** Frequent short words, space-separated, that tell the language apart; a word shared by several languages counts for each. */
  stopWords: string
  signals: SignalPatterns[]
}

/** A verb and its object in the same sentence, in either order ("delete my data", "meine Daten löschen"). */
export function near(verbs: string, objects: string, gap = 40): string {
  const verb = `\\b(?:${verbs})\\b`
  const object = `\\b(?:${objects})\\b`
  return `${verb}[^.!?]{0,${gap}}${object}|${object}[^.!?]{0,${gap}}${verb}`
}
