import { MEDIUM, near, STRONG } from './signal-patterns.ts'
import type { LanguagePatterns } from './signal-patterns.ts'

const ERASURE_VERBS = 'cancell\\w*|elimin\\w*|rimuov\\w*|rimozione|distrugg\\w*'

export const it: LanguagePatterns = {
  stopWords: 'io e il lo la i gli le di dei del della miei mio mia lei non con per che una un sono al grazie vorrei gentile saluti cordiali',
  signals: [
    { type: 'erasure', weight: STRONG, patterns: [near(ERASURE_VERBS, 'dati|informazioni', 50), "diritto all'oblio|diritto alla cancellazione"] },
    { type: 'erasure', weight: MEDIUM, patterns: [near(ERASURE_VERBS, 'account|profilo|utenza', 30)] },
    {
      type: 'access',
      weight: STRONG,
      patterns: [
        '\\bdiritto di accesso|\\brichiesta di accesso',
        near('accesso|accedere|copia', 'dati|informazioni', 30),
        '\\bquali (?:dati|informazioni) (?:personali )?(?:avete|conservate|trattate|possedete|raccogliete|detenete)'
      ]
    },
    {
      type: 'rectification',
      weight: STRONG,
      patterns: [
        near('corregg\\w*|correzione|modific\\w*|aggiorn\\w*|cambi\\w*', 'indirizzo|nome|e-?mail|dati|informazioni|telefono', 30),
        '\\b(?:indirizzo|nome|dati) (?:e|sono) (?:sbagliat[oi]|errat[oi]|inesatt[oi]|non corrett[oi])'
      ]
    },
    { type: 'restriction', weight: STRONG, patterns: [near('limit\\w*|restring\\w*|restrizione|blocc\\w*', 'trattamento|uso|utilizzo|dati', 30)] },
    { type: 'objection', weight: STRONG, patterns: ['\\bopposizione\\b|\\bmi oppongo\\b|\\boppormi\\b', near('revoc\\w*|ritir\\w*', 'consenso', 20)] },
    { type: 'objection', weight: MEDIUM, patterns: ["\\bdisiscri\\w*|\\bannullare l'iscrizione\\b|\\bnon (?:voglio )?ricevere (?:piu )?(?:pubblicita|newsletter|email)"] }
  ]
}
