import { near, STRONG, WEAK } from './signal-patterns.ts'
import type { SignalPatterns } from './signal-patterns.ts'

/*
 * Patterns that serve several languages at once: a stem they share ("portab", "rectif"), a legal
 * citation, a format name, an English word others borrow. Each stays one pattern, so a message
 * that uses it in two languages still counts it once.
 */

/** "Art. 17 DSGVO", "article 15 du RGPD", "Artikel 20 AVG". */
function article(number: number): string {
  return `\\bart(?:icle|ikel|iculo|icolo|\\.)?\\s*${number}\\b(?![.,]\\d).{0,25}\\b(?:gdpr|dsgvo|ds-gvo|rgpd|avg|uk gdpr)\\b`
}

export const MULTILINGUAL_SIGNALS: SignalPatterns[] = [
  { type: 'erasure', weight: STRONG, patterns: [article(17)] },
  { type: 'access', weight: STRONG, patterns: [article(15)] },
  {
    type: 'portability',
    weight: STRONG,
    patterns: [
      'portab',
      '(?:u|ue)bertragbarkeit|\\boverdraagbaarheid',
      'machine[- ]?readable|maschinenlesbar\\w*|lisible par (?:une )?machine|lectura mecanica|legible por maquina|machineleesbar\\w*|leggibile (?:da|mediante) (?:un )?(?:dispositivo|macchina)',
      near(
        'transfer\\w*|transmit\\w*|(?:u|ue)bertrag\\w*|transmettre|transmit\\w*|overdrag\\w*|trasferi\\w*|trasmett\\w*',
        'data|information|\\w*daten|donnees|datos|\\w*gegevens|dati',
        30
      ),
      article(20)
    ]
  },
  { type: 'portability', weight: WEAK, patterns: ['\\b(?:csv|json|xml)\\b'] },
  { type: 'rectification', weight: STRONG, patterns: ['\\brectif|\\brettific|berichtig', article(16)] },
  { type: 'restriction', weight: STRONG, patterns: [article(18)] },
  { type: 'restriction', weight: WEAK, patterns: ['\\brestrict|einschr(?:a|ae)nk|\\bbeperk'] },
  { type: 'objection', weight: STRONG, patterns: [article(21)] },
  { type: 'objection', weight: 0.9, patterns: ['\\bopt[- ]?out\\b'] }
]
