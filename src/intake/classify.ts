import { languageSchema } from '../rights/languages.ts'
import type { Language } from '../rights/languages.ts'
import type { Jurisdiction, RequestType } from '../rights/request-types.ts'
import { normalizeText, ownText, SUBJECT_MAX_CHARS } from './mail-signals.ts'
import { PATTERNS_BY_LANGUAGE } from './patterns/by-language.ts'
import { MULTILINGUAL_SIGNALS } from './patterns/multilingual.ts'
import type { SignalPatterns } from './patterns/signal-patterns.ts'

/*
 * Which right an e-mail exercises, how sure we are, and in which language it was written. Pure:
 * phrase and keyword scoring over the subject and the sender's own text (quoted replies and the
 * signature are ignored, see `ownText`), accent- and case-insensitive, in English, German, French,
 * Spanish, Dutch and Italian. Below CLASSIFICATION_THRESHOLD the type is `unclassified` and an
 * agent decides. The text read is bounded (SUBJECT_MAX_CHARS, OWN_TEXT_MAX_CHARS) and every
 * pattern runs in time linear in it, so no message can hold the event loop.
 */

/** The nine rights a message can be classified as. */
export type ClassifiedType = Exclude<RequestType, 'unclassified'>

export interface Classification {
  type: ClassifiedType | 'unclassified'
  /** In [0, 1]: how strong the best match is, discounted by how close the runner-up comes. */
  confidence: number
  language: Language
}

/** A message whose best type scores below this confidence is `unclassified`. */
export const CLASSIFICATION_THRESHOLD = 0.5

/** A phrase in the subject counts this many times as much as the same phrase in the body. */
const SUBJECT_WEIGHT = 2

interface Signal {
  type: ClassifiedType
  weight: number
  pattern: RegExp
}

// The patterns write the rest of a word as `\w*` for readability; each becomes `\w{0,24}`.
// Unbounded, `\w*daten\w*` backtracks over every "daten" in a long run of letters, which is quadratic
// in the run's length (33 s for 80 kB); bounded, each pattern runs in time linear in the text.
// No word a request needs has more than 24 letters around its stem. A stem that may sit anywhere in
// a word is written bare ('portab'): for a test, `\w*` around it adds nothing but the cost.
const WORD_REST = '\\w{0,24}'

function compile({ type, weight, patterns }: SignalPatterns): Signal[] {
  return patterns.map((pattern) => ({ type, weight, pattern: new RegExp(pattern.replaceAll('\\w*', WORD_REST)) }))
}

// The phrases of each language (patterns/en.ts, de.ts, …) and those several languages share.
const SIGNALS: Signal[] = [...languageSchema.options.flatMap((language) => PATTERNS_BY_LANGUAGE[language].signals), ...MULTILINGUAL_SIGNALS].flatMap(compile)

const CCPA_ONLY = new Set<ClassifiedType>(['ccpa_opt_out', 'ccpa_know', 'ccpa_delete'])

/** Under the CCPA, the GDPR-worded rights become their CCPA counterparts. */
const UNDER_CCPA: Partial<Record<ClassifiedType, ClassifiedType>> = {
  access: 'ccpa_know',
  portability: 'ccpa_know',
  erasure: 'ccpa_delete',
  objection: 'ccpa_opt_out'
}

// Hints that a message is made under the CCPA: the law's names, California, and the CCPA-only rights.
const CCPA_HINTS = [
  /\bccpa\b|\bcpra\b|california consumer privacy|california privacy rights/,
  /\bcalifornia\b|\bcalif\b/,
  // A California address: "San Francisco, CA 94105" (California ZIP codes run from 90001 to 96162).
  /\b(?:ca|calif\.?)\s+9[0-6]\d{3}(?:-\d{4})?\b/,
  ...SIGNALS.filter((signal) => CCPA_ONLY.has(signal.type)).map((signal) => signal.pattern)
]

/** Every regular expression the classifier builds at run time, which the linter cannot see: the tests check each for linear time. */
export const CLASSIFIER_PATTERNS: readonly RegExp[] = [...new Set([...SIGNALS.map((signal) => signal.pattern), ...CCPA_HINTS])]

export interface MailText {
  subject: string
  text: string
}

/**
 * The right a message exercises, scored from phrases in the subject (weighing double) and the
 * sender's own text; CCPA context turns access, erasure and objection into their CCPA
 * counterparts. `unclassified` when nothing matches, or the best match is weak or contested.
 */
export function classifyRequest({ subject, text }: MailText): Classification {
  const own = ownText(text)
  const normalizedSubject = flatten(subject.slice(0, SUBJECT_MAX_CHARS))
  const body = flatten(own)
  const language = detectLanguage(`${subject.slice(0, SUBJECT_MAX_CHARS)}\n${own}`)

  const scores = new Map<ClassifiedType, number>()
  for (const signal of SIGNALS) {
    const score = (signal.pattern.test(normalizedSubject) ? SUBJECT_WEIGHT : 0) + (signal.pattern.test(body) ? 1 : 0)
    if (score > 0) scores.set(signal.type, (scores.get(signal.type) ?? 0) + signal.weight * score)
  }

  // Asking for one's data in a portable format is a portability request, not access and portability.
  const portability = scores.get('portability') ?? 0
  if (portability > 0 && scores.has('access')) {
    scores.set('portability', portability + (scores.get('access') ?? 0))
    scores.delete('access')
  }

  const ccpa = hasCcpaHints(`${normalizedSubject}\n${body}`)
  const merged = new Map<ClassifiedType, number>()
  for (const [type, score] of scores) {
    const target = ccpa ? (UNDER_CCPA[type] ?? type) : type
    merged.set(target, (merged.get(target) ?? 0) + score)
  }

  const ranked = [...merged].sort((a, b) => b[1] - a[1])
  const [best, second] = ranked
  if (!best) return { type: 'unclassified', confidence: 0, language }
  const runnerUp = second?.[1] ?? 0
  const confidence = Math.round((1 - Math.exp(-best[1])) * (best[1] / (best[1] + runnerUp)) * 100) / 100
  return { type: confidence >= CLASSIFICATION_THRESHOLD ? best[0] : 'unclassified', confidence, language }
}

/**
 * The law a message is made under: the CCPA when it names the CCPA/CPRA or California, gives a
 * California address, or exercises a CCPA-only right ("do not sell", "right to know"); otherwise
 * the configured default.
 */
export function detectJurisdiction({ subject, text, defaultJurisdiction }: MailText & { defaultJurisdiction: Jurisdiction }): Jurisdiction {
  return hasCcpaHints(`${flatten(subject.slice(0, SUBJECT_MAX_CHARS))}\n${flatten(ownText(text))}`) ? 'ccpa' : defaultJurisdiction
}

function hasCcpaHints(normalized: string): boolean {
  return CCPA_HINTS.some((hint) => hint.test(normalized))
}

/** Normalized, with line breaks and runs of spaces made single spaces: mail clients wrap sentences across lines. */
function flatten(text: string): string {
  return normalizeText(text).replace(/\s+/g, ' ').trim()
}

// In the order of languageSchema: on a tie, the language listed first wins.
const STOP_WORDS = languageSchema.options.map((language) => ({ language, words: new Set(PATTERNS_BY_LANGUAGE[language].stopWords.split(' ')) }))

/** The language a text is written in, by counting frequent words of each; English when none is recognised. */
export function detectLanguage(text: string): Language {
  const words = normalizeText(text).match(/\p{L}+/gu) ?? []
  let best: Language = 'en'
  let bestCount = 0
  for (const { language, words: stopWords } of STOP_WORDS) {
    const count = words.reduce((sum, word) => sum + (stopWords.has(word) ? 1 : 0), 0)
    if (count > bestCount) {
      best = language
      bestCount = count
    }
  }
  return best
}
