import { MEDIUM, near, STRONG } from './signal-patterns.ts'
import type { LanguagePatterns } from './signal-patterns.ts'

const ERASURE_VERBS = '\\w*l(?:o|oe)sch\\w*|entfern\\w*|vernicht\\w*'

export const de: LanguagePatterns = {
  stopWords: 'ich und die der das meine meiner meinen mein sie ihre ihrer bitte nicht mit zu ist sind von den dem ein eine mich mir haben wir auf fur fuer uber auch dass sehr geehrte damen herren',
  signals: [
    {
      type: 'erasure',
      weight: STRONG,
      patterns: [
        near(ERASURE_VERBS, '\\w*daten\\w*|informationen|angaben', 50),
        '\\b\\w*datenl(?:o|oe)sch\\w*|\\bl(?:o|oe)sch(?:antrag|anfrage|begehren|ersuchen|ungsantrag|ungsanfrage|ungsersuchen)\\b',
        'recht auf (?:vergessen\\w*|l(?:o|oe)schung)'
      ]
    },
    { type: 'erasure', weight: MEDIUM, patterns: [near(ERASURE_VERBS, '\\w*konto|account|\\w*profil', 30), '\\bl(?:o|oe)schung\\b'] },
    {
      type: 'access',
      weight: STRONG,
      patterns: [
        '\\b(?:auskunftsersuchen|auskunftsanfrage|auskunftsantrag|auskunftsrecht|auskunftsbegehren|datenauskunft|selbstauskunft)\\b',
        near('auskunft\\w*|kopie|ubersicht|uebersicht|auflistung', '\\w*daten\\w*', 40),
        '\\bwelche (?:personenbezogenen |pers(?:o|oe)nlichen )?daten (?:haben|speichern|verarbeiten|besitzen|sammeln)'
      ]
    },
    { type: 'access', weight: MEDIUM, patterns: ['\\bauskunft\\w*'] },
    {
      type: 'rectification',
      weight: STRONG,
      patterns: [
        near('korrigier\\w*|korrektur|aktualisier\\w*|a(?:e)?ndern|a(?:e)?nderung|abander\\w*', '\\w*adresse|anschrift|name\\w*|e-?mail\\w*|telefonnummer|\\w*daten\\w*|geburtsdatum', 30),
        '\\b(?:adresse|anschrift|name|daten|angaben) (?:ist|sind) (?:falsch|fehlerhaft|unrichtig|veraltet|nicht (?:mehr )?(?:korrekt|richtig|aktuell))'
      ]
    },
    {
      type: 'restriction',
      weight: STRONG,
      patterns: [near('\\w*einschr(?:a|ae)nk\\w*|beschr(?:a|ae)nk\\w*|begrenz\\w*|sperr\\w*', 'verarbeitung|nutzung|verwendung|\\w*daten\\w*', 40)]
    },
    {
      type: 'objection',
      weight: STRONG,
      patterns: [
        '\\bwiderspruch\\w*|\\bwidersprech\\w*|\\bwiderspreche\\b|\\bwiderspricht\\b',
        near('widerruf\\w*|zur(?:u|ue)ckzieh\\w*|entzieh\\w*', 'einwilligung\\w*|zustimmung|einverst(?:a|ae)ndnis\\w*', 30)
      ]
    },
    { type: 'objection', weight: MEDIUM, patterns: [near('keine|nicht mehr|abbestell\\w*|abmeld\\w*|austrag\\w*|stopp\\w*', 'werbung|newsletter|werbe\\w*', 30)] }
  ]
}
