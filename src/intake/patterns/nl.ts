import { MEDIUM, near, STRONG } from './signal-patterns.ts'
import type { LanguagePatterns } from './signal-patterns.ts'

const ERASURE_VERBS = 'verwijder\\w*|wis|wissen|gewist|vernietig\\w*'

export const nl: LanguagePatterns = {
  stopWords: 'ik en de het een mijn u uw niet met voor van is zijn wij we dat die op te naar graag bedankt geachte heer mevrouw alstublieft',
  signals: [
    { type: 'erasure', weight: STRONG, patterns: [near(ERASURE_VERBS, '\\w*gegevens|data|informatie', 50), 'recht op (?:vergetelheid|gegevenswissing|wissing|verwijdering)'] },
    { type: 'erasure', weight: MEDIUM, patterns: [near(ERASURE_VERBS, '\\w*account|profiel', 30)] },
    {
      type: 'access',
      weight: STRONG,
      patterns: ['inzage', near('kopie|overzicht', '\\w*gegevens', 30), '\\bwelke (?:persoons)?gegevens (?:heeft|hebben|bewaart|bewaren|verwerkt|verwerken)']
    },
    {
      type: 'rectification',
      weight: STRONG,
      patterns: [
        near('corrig\\w*|correctie|verbeter\\w*|wijzig\\w*|aanpass\\w*|bijwerk\\w*', 'adres|naam|e-?mail\\w*|\\w*gegevens|telefoonnummer', 30),
        '\\b(?:adres|naam|gegevens) (?:is|zijn) (?:onjuist|fout|verkeerd)|\\b(?:adres|naam|gegevens) (?:klopt|kloppen) niet'
      ]
    },
    { type: 'restriction', weight: STRONG, patterns: [near('beperk\\w*|blokk\\w*', 'verwerking|gebruik|\\w*gegevens', 30)] },
    { type: 'objection', weight: STRONG, patterns: ['\\bbezwaar\\b', near('trek\\w*|intrek\\w*', 'toestemming', 30)] },
    { type: 'objection', weight: MEDIUM, patterns: ['\\bafmeld\\w*|\\buitschrij\\w*'] }
  ]
}
