import { MEDIUM, near, STRONG } from './signal-patterns.ts'
import type { LanguagePatterns } from './signal-patterns.ts'

const ERASURE_VERBS = 'supprim\\w*|suppression|effac\\w*'

export const fr: LanguagePatterns = {
  stopWords: 'je et le la les des mes mon ma vous votre vos pas pour avec est sont une un sur du au que qui ne merci madame monsieur nous cordialement',
  signals: [
    { type: 'erasure', weight: STRONG, patterns: [near(ERASURE_VERBS, 'donnees|informations|coordonnees|renseignements', 50), "droit a l'(?:oubli|effacement)"] },
    { type: 'erasure', weight: MEDIUM, patterns: [near(ERASURE_VERBS, 'compte|profil', 30)] },
    {
      type: 'access',
      weight: STRONG,
      patterns: [
        "\\bdroit d'acces|\\bdemande d'acces",
        near('acces|copie|communication|consulter', 'donnees|informations', 30),
        '\\bquelles (?:donnees|informations) (?:personnelles )?(?:avez|detenez|conservez|possedez|traitez|collectez)'
      ]
    },
    {
      type: 'rectification',
      weight: STRONG,
      patterns: [
        near('corrig\\w*|correction|modifi\\w*|mettre a jour|mise a jour|changer', 'adresse|nom|e-?mail|courriel|donnees|informations|coordonnees|telephone', 30),
        '\\b(?:adresse|nom|donnees|informations) (?:est|sont) (?:fausses?|incorrecte?s?|erronee?s?|inexacte?s?|obsoletes?)'
      ]
    },
    { type: 'restriction', weight: STRONG, patterns: [near('limit\\w*|restrei\\w*|restrict\\w*', 'traitement|utilisation|donnees', 30)] },
    {
      type: 'objection',
      weight: STRONG,
      patterns: ["\\bopposition\\b|\\bje m'oppose\\b|\\bm'opposer\\b", near('retir\\w*|revoqu\\w*|revocation', 'consentement', 20)]
    },
    { type: 'objection', weight: MEDIUM, patterns: ['\\bdesinscri\\w*|\\bdesabonn\\w*|\\bne plus recevoir\\b'] }
  ]
}
