import type { Language } from '../../rights/languages.ts'
import { de } from './de.ts'
import { en } from './en.ts'
import { es } from './es.ts'
import { fr } from './fr.ts'
import { it } from './it.ts'
import { nl } from './nl.ts'
import type { LanguagePatterns } from './signal-patterns.ts'

export const PATTERNS_BY_LANGUAGE: Record<Language, LanguagePatterns> = { en, de, fr, es, nl, it }
