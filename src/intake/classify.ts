import type { Jurisdiction, RequestType } from '../rights/request-types.ts'
import type { Language } from '../rights/languages.ts'
import { normalizeText, ownText, SUBJECT_MAX_CHARS } from './mail-signals.ts'

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

const STRONG = 1
const MEDIUM = 0.7
const WEAK = 0.4

interface Signal {
  type: ClassifiedType
  weight: number
  pattern: RegExp
}

/** A verb and its object in the same sentence, in either order ("delete my data", "meine Daten löschen"). */
function near(verbs: string, objects: string, gap = 40): string {
  const verb = `\\b(?:${verbs})\\b`
  const object = `\\b(?:${objects})\\b`
  return `${verb}[^.!?]{0,${gap}}${object}|${object}[^.!?]{0,${gap}}${verb}`
}

// The patterns below write the rest of a word as `\w*` for readability; each becomes `\w{0,24}`.
// Unbounded, `\w*daten\w*` backtracks over every "daten" in a long run of letters, which is quadratic
// in the run's length (33 s for 80 kB); bounded, each pattern runs in time linear in the text.
// No word a request needs has more than 24 letters around its stem. A stem that may sit anywhere in
// a word is written bare ('portab'): for a test, `\w*` around it adds nothing but the cost.
const WORD_REST = '\\w{0,24}'

function signals(type: ClassifiedType, weight: number, ...patterns: string[]): Signal[] {
  return patterns.map((pattern) => ({ type, weight, pattern: new RegExp(pattern.replaceAll('\\w*', WORD_REST)) }))
}

/** "Art. 17 DSGVO", "article 15 du RGPD", "Artikel 20 AVG". */
function article(number: number): string {
  return `\\bart(?:icle|ikel|iculo|icolo|\\.)?\\s*${number}\\b(?![.,]\\d).{0,25}\\b(?:gdpr|dsgvo|ds-gvo|rgpd|avg|uk gdpr)\\b`
}

// Every pattern is matched against normalized text: lower case, no accents, ß → ss (see normalizeText).
const ERASURE_VERBS = {
  en: 'delete|deleting|deleted|deletion|erase|erasing|erasure|remove|removing|removal|wipe|purge|destroy',
  de: '\\w*l(?:o|oe)sch\\w*|entfern\\w*|vernicht\\w*',
  fr: 'supprim\\w*|suppression|effac\\w*',
  es: 'borr\\w*|elimin\\w*|supresion|suprim\\w*|cancelacion|destru\\w*',
  nl: 'verwijder\\w*|wis|wissen|gewist|vernietig\\w*',
  it: 'cancell\\w*|elimin\\w*|rimuov\\w*|rimozione|distrugg\\w*'
}

const SIGNALS: Signal[] = [
  // Erasure (GDPR Art. 17)
  ...signals(
    'erasure',
    STRONG,
    near(ERASURE_VERBS.en, 'data|information|info|details|pii|records'),
    'right to (?:be forgotten|erasure)|right of erasure|\\bforget me\\b',
    near(ERASURE_VERBS.de, '\\w*daten\\w*|informationen|angaben', 50),
    '\\b\\w*datenl(?:o|oe)sch\\w*|\\bl(?:o|oe)sch(?:antrag|anfrage|begehren|ersuchen|ungsantrag|ungsanfrage|ungsersuchen)\\b',
    'recht auf (?:vergessen\\w*|l(?:o|oe)schung)',
    near(ERASURE_VERBS.fr, 'donnees|informations|coordonnees|renseignements', 50),
    "droit a l'(?:oubli|effacement)",
    near(ERASURE_VERBS.es, 'datos|informacion|registros', 50),
    'derecho (?:al olvido|de supresion|de cancelacion)',
    near(ERASURE_VERBS.nl, '\\w*gegevens|data|informatie', 50),
    'recht op (?:vergetelheid|gegevenswissing|wissing|verwijdering)',
    near(ERASURE_VERBS.it, 'dati|informazioni', 50),
    "diritto all'oblio|diritto alla cancellazione",
    article(17)
  ),
  ...signals(
    'erasure',
    MEDIUM,
    near(ERASURE_VERBS.en, 'account|profile', 25),
    near(ERASURE_VERBS.de, '\\w*konto|account|\\w*profil', 30),
    '\\bl(?:o|oe)schung\\b',
    near(ERASURE_VERBS.fr, 'compte|profil', 30),
    near(ERASURE_VERBS.es, 'cuenta|perfil', 30),
    near(ERASURE_VERBS.nl, '\\w*account|profiel', 30),
    near(ERASURE_VERBS.it, 'account|profilo|utenza', 30)
  ),

  // Access (GDPR Art. 15)
  ...signals(
    'access',
    STRONG,
    '\\b(?:subject )?access request\\b|\\bdsar\\b|\\bright (?:of|to) access\\b',
    near('access|copy|copies|overview|disclose|disclosure', 'my (?:personal )?(?:data|information)|personal (?:data|information)', 30),
    '\\bwhat (?:personal )?(?:data|information) (?:do )?you (?:have|hold|store|keep|process|collect)',
    '\\b(?:auskunftsersuchen|auskunftsanfrage|auskunftsantrag|auskunftsrecht|auskunftsbegehren|datenauskunft|selbstauskunft)\\b',
    near('auskunft\\w*|kopie|ubersicht|uebersicht|auflistung', '\\w*daten\\w*', 40),
    '\\bwelche (?:personenbezogenen |pers(?:o|oe)nlichen )?daten (?:haben|speichern|verarbeiten|besitzen|sammeln)',
    "\\bdroit d'acces|\\bdemande d'acces",
    near('acces|copie|communication|consulter', 'donnees|informations', 30),
    '\\bquelles (?:donnees|informations) (?:personnelles )?(?:avez|detenez|conservez|possedez|traitez|collectez)',
    '\\bderecho (?:de|al) acceso|\\bsolicitud de acceso',
    near('acceso|acceder|copia', 'datos|informacion', 30),
    '\\bque datos (?:personales )?(?:tienen|tiene|guardan|almacenan|conservan|tratan|poseen)',
    'inzage',
    near('kopie|overzicht', '\\w*gegevens', 30),
    '\\bwelke (?:persoons)?gegevens (?:heeft|hebben|bewaart|bewaren|verwerkt|verwerken)',
    '\\bdiritto di accesso|\\brichiesta di accesso',
    near('accesso|accedere|copia', 'dati|informazioni', 30),
    '\\bquali (?:dati|informazioni) (?:personali )?(?:avete|conservate|trattate|possedete|raccogliete|detenete)',
    article(15)
  ),
  ...signals('access', MEDIUM, '\\bauskunft\\w*'),

  // Portability (GDPR Art. 20): folded together with access below, being the more specific of the two.
  ...signals(
    'portability',
    STRONG,
    'portab',
    '(?:u|ue)bertragbarkeit|\\boverdraagbaarheid',
    'machine[- ]?readable|maschinenlesbar\\w*|lisible par (?:une )?machine|lectura mecanica|legible por maquina|machineleesbar\\w*|leggibile (?:da|mediante) (?:un )?(?:dispositivo|macchina)',
    near('transfer\\w*|transmit\\w*|(?:u|ue)bertrag\\w*|transmettre|transmit\\w*|overdrag\\w*|trasferi\\w*|trasmett\\w*', 'data|information|\\w*daten|donnees|datos|\\w*gegevens|dati', 30),
    article(20)
  ),
  ...signals('portability', WEAK, '\\b(?:csv|json|xml)\\b'),

  // Rectification (GDPR Art. 16)
  ...signals(
    'rectification',
    STRONG,
    '\\brectif|\\brettific|berichtig',
    near(
      'correct|correcting|correction|update|updating|change|changing|amend\\w*|fix',
      'my (?:postal |email |e-mail |delivery |billing )?(?:address|name|surname|e-?mail|phone number|details|data|information|date of birth)',
      20
    ),
    '\\b(?:address|name|e-?mail|details|data|information) (?:is|are) (?:wrong|incorrect|outdated|inaccurate|out of date|not correct)',
    near('korrigier\\w*|korrektur|aktualisier\\w*|a(?:e)?ndern|a(?:e)?nderung|abander\\w*', '\\w*adresse|anschrift|name\\w*|e-?mail\\w*|telefonnummer|\\w*daten\\w*|geburtsdatum', 30),
    '\\b(?:adresse|anschrift|name|daten|angaben) (?:ist|sind) (?:falsch|fehlerhaft|unrichtig|veraltet|nicht (?:mehr )?(?:korrekt|richtig|aktuell))',
    near('corrig\\w*|correction|modifi\\w*|mettre a jour|mise a jour|changer', 'adresse|nom|e-?mail|courriel|donnees|informations|coordonnees|telephone', 30),
    '\\b(?:adresse|nom|donnees|informations) (?:est|sont) (?:fausses?|incorrecte?s?|erronee?s?|inexacte?s?|obsoletes?)',
    near('corr(?:eg|ij)\\w*|correccion|modific\\w*|actualiz\\w*|cambi\\w*', 'direccion|nombre|correo|email|e-mail|datos|informacion|telefono', 30),
    '\\b(?:direccion|nombre|datos) (?:es|son|esta|estan) (?:incorrect[oa]s?|erroneos?|equivocad[oa]s?|desactualizad[oa]s?)',
    near('corrig\\w*|correctie|verbeter\\w*|wijzig\\w*|aanpass\\w*|bijwerk\\w*', 'adres|naam|e-?mail\\w*|\\w*gegevens|telefoonnummer', 30),
    '\\b(?:adres|naam|gegevens) (?:is|zijn) (?:onjuist|fout|verkeerd)|\\b(?:adres|naam|gegevens) (?:klopt|kloppen) niet',
    near('corregg\\w*|correzione|modific\\w*|aggiorn\\w*|cambi\\w*', 'indirizzo|nome|e-?mail|dati|informazioni|telefono', 30),
    '\\b(?:indirizzo|nome|dati) (?:e|sono) (?:sbagliat[oi]|errat[oi]|inesatt[oi]|non corrett[oi])',
    article(16)
  ),

  // Restriction of processing (GDPR Art. 18)
  ...signals(
    'restriction',
    STRONG,
    near('restrict\\w*|limit\\w*|block\\w*|freez\\w*|suspend\\w*', 'processing|use of my|usage of my', 30),
    near('\\w*einschr(?:a|ae)nk\\w*|beschr(?:a|ae)nk\\w*|begrenz\\w*|sperr\\w*', 'verarbeitung|nutzung|verwendung|\\w*daten\\w*', 40),
    near('limit\\w*|restrei\\w*|restrict\\w*', 'traitement|utilisation|donnees', 30),
    near('limit\\w*|restring\\w*|restricc\\w*|bloque\\w*', 'tratamiento|uso|datos', 30),
    near('beperk\\w*|blokk\\w*', 'verwerking|gebruik|\\w*gegevens', 30),
    near('limit\\w*|restring\\w*|restrizione|blocc\\w*', 'trattamento|uso|utilizzo|dati', 30),
    article(18)
  ),
  ...signals('restriction', WEAK, '\\brestrict|einschr(?:a|ae)nk|\\bbeperk'),

  // Objection and withdrawal of consent (GDPR Art. 21, 7(3))
  ...signals(
    'objection',
    STRONG,
    '\\bi (?:hereby )?object\\b|\\bobjection\\b|\\bobject to (?:the )?(?:processing|use)',
    near('withdraw\\w*|revok\\w*|revoc\\w*|retract\\w*', 'consent', 20),
    '\\bwiderspruch\\w*|\\bwidersprech\\w*|\\bwiderspreche\\b|\\bwiderspricht\\b',
    near('widerruf\\w*|zur(?:u|ue)ckzieh\\w*|entzieh\\w*', 'einwilligung\\w*|zustimmung|einverst(?:a|ae)ndnis\\w*', 30),
    "\\bopposition\\b|\\bje m'oppose\\b|\\bm'opposer\\b",
    near('retir\\w*|revoqu\\w*|revocation', 'consentement', 20),
    '\\boposicion\\b|\\bme opongo\\b|\\boponerme\\b',
    near('retir\\w*|revoc\\w*|revoqu\\w*', 'consentimiento', 20),
    '\\bbezwaar\\b',
    near('trek\\w*|intrek\\w*', 'toestemming', 30),
    '\\bopposizione\\b|\\bmi oppongo\\b|\\boppormi\\b',
    near('revoc\\w*|ritir\\w*', 'consenso', 20),
    article(21)
  ),
  ...signals(
    'objection',
    0.9,
    '\\bopt[- ]?out\\b'
  ),
  ...signals(
    'objection',
    MEDIUM,
    '\\bunsubscribe\\b|\\bstop (?:sending|emailing|contacting)\\b|\\bno (?:more|longer) (?:marketing|advertising|newsletters?)',
    near('keine|nicht mehr|abbestell\\w*|abmeld\\w*|austrag\\w*|stopp\\w*', 'werbung|newsletter|werbe\\w*', 30),
    '\\bdesinscri\\w*|\\bdesabonn\\w*|\\bne plus recevoir\\b',
    '\\bdar(?:me|se)? de baja\\b|\\bno (?:quiero )?recibir (?:mas )?(?:publicidad|correos|newsletter)',
    '\\bafmeld\\w*|\\buitschrij\\w*',
    "\\bdisiscri\\w*|\\bannullare l'iscrizione\\b|\\bnon (?:voglio )?ricevere (?:piu )?(?:pubblicita|newsletter|email)"
  ),

  // CCPA rights that exist only there: these decide the jurisdiction as well.
  ...signals(
    'ccpa_opt_out',
    STRONG,
    "\\bdo(?: not|n'?t) (?:sell|share)\\b",
    '\\bopt[- ]?out of (?:the )?(?:sale|sales|selling|sharing)\\b',
    '\\bstop (?:selling|sharing)\\b',
    '\\b(?:sale|selling|sell) (?:of )?my (?:personal )?(?:data|information)',
    '\\blimit (?:the )?use of my sensitive',
    '\\b1798\\.1(?:20|21|35)\\b'
  ),
  ...signals(
    'ccpa_know',
    STRONG,
    '\\bright to know\\b',
    '\\b(?:categories|specific pieces) of (?:personal )?information\\b',
    '\\b1798\\.1(?:00|10|15)\\b'
  ),
  ...signals('ccpa_delete', STRONG, '\\bright to delete\\b', '\\b1798\\.105\\b')
]

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

// Frequent short words that tell the six languages apart; words shared by several languages count for each.
const STOP_WORDS: Record<Language, ReadonlySet<string>> = {
  en: new Set('the and to of my i you your please is are with for me have this that would what do not be can it we our all from'.split(' ')),
  de: new Set('ich und die der das meine meiner meinen mein sie ihre ihrer bitte nicht mit zu ist sind von den dem ein eine mich mir haben wir auf fur fuer uber auch dass sehr geehrte damen herren'.split(' ')),
  fr: new Set("je et le la les des mes mon ma vous votre vos pas pour avec est sont une un sur du au que qui ne merci madame monsieur nous cordialement".split(' ')),
  es: new Set('yo y el la los las de mis mi usted ustedes por para con es son una un que del al sus favor gracias no saludos estimados nos'.split(' ')),
  nl: new Set('ik en de het een mijn u uw niet met voor van is zijn wij we dat die op te naar graag bedankt geachte heer mevrouw alstublieft'.split(' ')),
  it: new Set('io e il lo la i gli le di dei del della miei mio mia lei non con per che una un sono al grazie vorrei gentile saluti cordiali'.split(' '))
}

const LANGUAGES = Object.keys(STOP_WORDS) as Language[]

/** The language a text is written in, by counting frequent words of each; English when none is recognised. */
export function detectLanguage(text: string): Language {
  const words = normalizeText(text).match(/\p{L}+/gu) ?? []
  let best: Language = 'en'
  let bestCount = 0
  for (const language of LANGUAGES) {
    const stopWords = STOP_WORDS[language]
    const count = words.reduce((sum, word) => sum + (stopWords.has(word) ? 1 : 0), 0)
    if (count > bestCount) {
      best = language
      bestCount = count
    }
  }
  return best
}
