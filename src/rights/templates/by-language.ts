import type { Language } from '../languages.ts'
import { de } from './de.ts'
import { en } from './en.ts'
import { es } from './es.ts'
import { fr } from './fr.ts'
import { it } from './it.ts'
import { nl } from './nl.ts'
import type { Phrases } from './phrases.ts'

export const PHRASES_BY_LANGUAGE: Record<Language, Phrases> = { en, de, fr, es, nl, it }
