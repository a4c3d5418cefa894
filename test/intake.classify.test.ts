import t from 'tap'
import type { Test } from 'tap'
import { Linter } from 'eslint'
import regexp from 'eslint-plugin-regexp'
import { CLASSIFICATION_THRESHOLD, CLASSIFIER_PATTERNS, classifyRequest, detectJurisdiction, detectLanguage } from '../src/intake/classify.ts'
import type { ClassifiedType } from '../src/intake/classify.ts'
import { PATTERNS_BY_LANGUAGE } from '../src/intake/patterns/by-language.ts'
import { MULTILINGUAL_SIGNALS } from '../src/intake/patterns/multilingual.ts'
import { languageSchema } from '../src/rights/languages.ts'
import type { Language } from '../src/rights/languages.ts'
import { requestTypeSchema } from '../src/rights/request-types.ts'

const body = (text: string) => classifyRequest({ subject: '', text })

function expectType(t: Test, text: string, type: ClassifiedType, language: Language) {
  const result = body(text)
  t.equal(result.type, type, text)
  t.equal(result.language, language, `${text}: language`)
  t.ok(result.confidence >= CLASSIFICATION_THRESHOLD, `${text}: confidence ${result.confidence}`)
}

await t.test('English erasure requests are recognised in different phrasings', (t) => {
  expectType(t, 'Hello, please delete my data. Thank you.', 'erasure', 'en')
  expectType(t, 'Hi, I would like you to erase all the personal information you hold about me.', 'erasure', 'en')
  expectType(t, 'I am exercising my right to be forgotten.', 'erasure', 'en')
  t.end()
})

await t.test('an English request for a copy of the data is access', (t) => {
  expectType(t, 'Can I please get a copy of my personal data?', 'access', 'en')
  t.end()
})

await t.test('German erasure requests are recognised in different phrasings', (t) => {
  expectType(t, 'Sehr geehrte Damen und Herren, bitte löschen Sie alle meine Daten.', 'erasure', 'de')
  expectType(t, 'Hallo, ich möchte, dass meine personenbezogenen Daten gelöscht werden. Danke', 'erasure', 'de')
  expectType(t, 'Hiermit stelle ich einen Löschantrag für mein Konto und alle Daten nach Art. 17 DSGVO.', 'erasure', 'de')
  t.end()
})

await t.test('a German Auskunft request is access', (t) => {
  expectType(t, 'Ich bitte um Auskunft über die zu meiner Person gespeicherten Daten.', 'access', 'de')
  t.end()
})

await t.test('French erasure requests are recognised in different phrasings', (t) => {
  expectType(t, 'Bonjour, je souhaite supprimer mes données personnelles. Merci', 'erasure', 'fr')
  expectType(t, "Bonjour, merci d'effacer toutes les informations me concernant.", 'erasure', 'fr')
  t.end()
})

await t.test('a French request for accès is access', (t) => {
  expectType(t, "Je vous demande l'accès à mes données personnelles.", 'access', 'fr')
  t.end()
})

await t.test('Spanish erasure requests are recognised in different phrasings', (t) => {
  expectType(t, 'Hola, quiero borrar mis datos. Gracias', 'erasure', 'es')
  expectType(t, 'Por favor eliminen mis datos personales de su base de datos.', 'erasure', 'es')
  t.end()
})

await t.test('a Spanish request for acceso is access', (t) => {
  expectType(t, 'Solicito el acceso a mis datos personales, por favor.', 'access', 'es')
  t.end()
})

await t.test('Dutch erasure requests are recognised in different phrasings', (t) => {
  expectType(t, 'Graag verwijder mijn gegevens uit uw systeem.', 'erasure', 'nl')
  expectType(t, 'Ik wil dat u al mijn persoonsgegevens verwijdert.', 'erasure', 'nl')
  t.end()
})

await t.test('a Dutch inzage request is access', (t) => {
  expectType(t, 'Ik wil graag inzage in mijn gegevens.', 'access', 'nl')
  t.end()
})

await t.test('Italian erasure requests are recognised in different phrasings', (t) => {
  expectType(t, 'Vorrei cancellare i miei dati. Grazie', 'erasure', 'it')
  expectType(t, 'Vi chiedo di eliminare tutti i miei dati personali.', 'erasure', 'it')
  t.end()
})

await t.test('an Italian request for accesso is access', (t) => {
  expectType(t, "Chiedo l'accesso ai miei dati personali, grazie.", 'access', 'it')
  t.end()
})

await t.test('portability wins over access when the data is asked for in a portable format', (t) => {
  expectType(t, 'Please send me a copy of my personal data in a machine-readable format, I want to move it to another provider.', 'portability', 'en')
  t.end()
})

await t.test('rectification is recognised in German and French', (t) => {
  expectType(t, 'Bitte berichtigen Sie meine Adresse.', 'rectification', 'de')
  expectType(t, 'Je voudrais rectifier mon adresse, elle est incorrecte.', 'rectification', 'fr')
  t.end()
})

await t.test('restriction is recognised from "einschränken"', (t) => {
  expectType(t, 'Ich möchte die Verarbeitung meiner Daten einschränken.', 'restriction', 'de')
  t.end()
})

await t.test('objection is recognised from "Widerspruch" and "opposition"', (t) => {
  expectType(t, 'Hiermit widerspreche ich der Verarbeitung meiner Daten zu Werbezwecken.', 'objection', 'de')
  expectType(t, "Je m'oppose au traitement de mes données à des fins de prospection.", 'objection', 'fr')
  t.end()
})

await t.test('accents and capitals do not matter', (t) => {
  t.equal(body('BITTE LOSCHEN SIE MEINE DATEN').type, 'erasure')
  t.equal(body('bitte loeschen sie meine daten').type, 'erasure')
  t.equal(body('QUIERO BORRAR MIS DATOS').type, 'erasure')
  t.end()
})

await t.test('a sentence wrapped across lines still matches', (t) => {
  t.equal(body('Please delete all of my\npersonal data that you have stored.').type, 'erasure')
  t.end()
})

await t.test('a phrase in the subject weighs more than the same phrase in the body', (t) => {
  const inSubject = classifyRequest({ subject: 'Delete my data', text: '' })
  const inBody = classifyRequest({ subject: '', text: 'Delete my data' })
  t.equal(inSubject.type, 'erasure')
  t.ok(inSubject.confidence > inBody.confidence)
  t.end()
})

await t.test('"do not sell" is a CCPA opt-out', (t) => {
  t.equal(classifyRequest({ subject: 'Do Not Sell My Personal Information', text: '' }).type, 'ccpa_opt_out')
  t.end()
})

await t.test('"right to know" is a CCPA request to know', (t) => {
  t.equal(body('I am exercising my right to know what you collected about me.').type, 'ccpa_know')
  t.end()
})

await t.test('a deletion request with a California context is a CCPA deletion', (t) => {
  t.equal(body('I am a California resident. Please delete my personal information.').type, 'ccpa_delete')
  t.equal(body('Please delete my data.\n\nJane Doe\n123 Market St\nSan Francisco, CA 94105').type, 'ccpa_delete')
  t.end()
})

await t.test('"opt out" with a CCPA context is a CCPA opt-out', (t) => {
  t.equal(body('Under the CCPA I want to opt out.').type, 'ccpa_opt_out')
  t.end()
})

await t.test('an unrelated message is unclassified with no confidence', (t) => {
  const result = classifyRequest({ subject: 'Where is my order?', text: 'Hi, I ordered shoes last week and they have not arrived yet. Order 4711.' })
  t.same(result, { type: 'unclassified', confidence: 0, language: 'en' })
  t.end()
})

await t.test('a message asking for two different rights is unclassified for an agent to decide', (t) => {
  const result = body('Please delete my data. Also please restrict the processing of my data.')
  t.equal(result.type, 'unclassified')
  t.ok(result.confidence < CLASSIFICATION_THRESHOLD)
  t.end()
})

await t.test('quoted reply text is ignored', (t) => {
  const result = classifyRequest({ subject: 'Re: your order', text: 'Thanks, that is all!\n\n> Please delete my data\n> and my account' })
  t.equal(result.type, 'unclassified')
  t.end()
})

await t.test('a quoted original after an attribution line is ignored', (t) => {
  const text = 'Danke für die schnelle Antwort.\n\nAm Do., 20. Nov. 2025 um 10:12 Uhr schrieb Privacy Team <privacy@shop.example>:\nWir haben Ihren Antrag auf Löschung Ihrer Daten erhalten.'
  t.equal(body(text).type, 'unclassified')
  t.end()
})

await t.test('confidence is always within 0 and 1', (t) => {
  const result = classifyRequest({ subject: 'Löschung meiner Daten nach Art. 17 DSGVO', text: 'Bitte löschen Sie alle meine Daten, mein Konto und mein Profil. Recht auf Löschung!' })
  t.ok(result.confidence > 0.9 && result.confidence <= 1, String(result.confidence))
  t.end()
})

await t.test('the jurisdiction is the CCPA when the message names it', (t) => {
  t.equal(detectJurisdiction({ subject: 'CCPA request', text: 'Please delete my data.', defaultJurisdiction: 'gdpr' }), 'ccpa')
  t.end()
})

await t.test('the jurisdiction is the CCPA for a California address', (t) => {
  t.equal(detectJurisdiction({ subject: '', text: 'Delete my data.\nJohn Roe\n1 Main St\nLos Angeles, CA 90012-3456', defaultJurisdiction: 'gdpr' }), 'ccpa')
  t.end()
})

await t.test('the jurisdiction is the CCPA for "do not sell"', (t) => {
  t.equal(detectJurisdiction({ subject: 'Do not sell my info', text: '', defaultJurisdiction: 'other' }), 'ccpa')
  t.end()
})

await t.test('the jurisdiction is the configured default without CCPA hints', (t) => {
  t.equal(detectJurisdiction({ subject: 'Daten löschen', text: 'Bitte löschen Sie meine Daten. 10115 Berlin', defaultJurisdiction: 'gdpr' }), 'gdpr')
  t.equal(detectJurisdiction({ subject: 'Delete my data', text: '', defaultJurisdiction: 'other' }), 'other')
  t.end()
})

await t.test('a California hint in quoted text does not change the jurisdiction', (t) => {
  t.equal(detectJurisdiction({ subject: '', text: 'Delete my data please.\n> Our office: San Francisco, CA 94105', defaultJurisdiction: 'gdpr' }), 'gdpr')
  t.end()
})

await t.test('the language is detected from frequent words in each of the six languages', (t) => {
  t.equal(detectLanguage('Could you please tell me what you have stored about me?'), 'en')
  t.equal(detectLanguage('Können Sie mir bitte sagen, was Sie über mich gespeichert haben?'), 'de')
  t.equal(detectLanguage('Pouvez-vous me dire ce que vous avez enregistré sur moi, merci ?'), 'fr')
  t.equal(detectLanguage('¿Pueden decirme qué tienen guardado sobre mí? Gracias'), 'es')
  t.equal(detectLanguage('Kunt u mij vertellen wat u over mij heeft opgeslagen? Bedankt'), 'nl')
  t.equal(detectLanguage('Potete dirmi cosa avete memorizzato su di me? Grazie'), 'it')
  t.end()
})

await t.test('the language is English when no word is recognised', (t) => {
  t.equal(detectLanguage(''), 'en')
  t.equal(detectLanguage('12345 !!!'), 'en')
  t.end()
})

// ---------------------------------------------------------------------------------------------
// The patterns: one module per language, plus those several languages share.

const rightsWordedIn = (language: Language) => new Set(PATTERNS_BY_LANGUAGE[language].signals.map((group) => group.type))

await t.test('every language has patterns for every right another language has, except the CCPA rights', (t) => {
  // The CCPA's own rights are California's, asked for in English, so only English words them. A request in another
  // language made under the CCPA is still recognised: its GDPR-worded right becomes the CCPA one (access → ccpa_know, …).
  const englishOnly = new Set<ClassifiedType>(['ccpa_know', 'ccpa_delete', 'ccpa_opt_out'])
  const inAnyLanguage = new Set(languageSchema.options.flatMap((language) => [...rightsWordedIn(language)]))
  for (const language of languageSchema.options) {
    const expected = [...inAnyLanguage].filter((type) => language === 'en' || !englishOnly.has(type))
    t.same([...rightsWordedIn(language)].sort(), expected.sort(), language)
  }
  t.end()
})

await t.test('every right a message can be classified as has patterns; portability has them among the shared ones, its words being alike across the languages', (t) => {
  const classified = requestTypeSchema.options.filter((type) => type !== 'unclassified')
  const groups = [...languageSchema.options.flatMap((language) => PATTERNS_BY_LANGUAGE[language].signals), ...MULTILINGUAL_SIGNALS]
  t.same([...new Set(groups.map((group) => group.type))].sort(), [...classified].sort())
  t.ok(MULTILINGUAL_SIGNALS.some((group) => group.type === 'portability'))
  t.ok(groups.every((group) => group.patterns.length > 0 && group.patterns.every((pattern) => pattern !== '')), 'no empty group or pattern')
  t.end()
})

await t.test('every language has its own stop words for language detection', (t) => {
  for (const language of languageSchema.options) t.ok(PATTERNS_BY_LANGUAGE[language].stopWords.split(' ').length >= 20, language)
  t.end()
})

// ---------------------------------------------------------------------------------------------
// Bounded, linear-time reading (issue #12): anyone can mail the privacy address.

/** What eslint-plugin-regexp's linear-time rules report for a pattern (the linter cannot see patterns built at run time). */
function superLinearFindings(patterns: readonly RegExp[]): string[] {
  const code = patterns.map((pattern, index) => `const p${index} = /${pattern.source}/${pattern.flags}`).join('\n')
  const rules: Linter.RulesRecord = { 'regexp/no-super-linear-backtracking': 'error', 'regexp/no-super-linear-move': ['error', { report: 'potential' }] }
  return new Linter({ configType: 'flat' }).verify(code, [{ plugins: { regexp }, rules }]).map((message) => `${patterns[message.line - 1]?.source}: ${message.message}`)
}

await t.test('every pattern the classifier builds runs in linear time, by the same rules the linter applies to src/', (t) => {
  t.ok(CLASSIFIER_PATTERNS.length > 100)
  t.same(superLinearFindings(CLASSIFIER_PATTERNS), [])
  t.equal(superLinearFindings([/\w*inzage\w*/]).length, 1, 'the check finds the kind of pattern that took 33 s on 80 kB')
  t.end()
})

await t.test('100 kB of one letter, in the subject and the text, is unclassified English', (t) => {
  const letters = 'a'.repeat(100_000)
  t.same(classifyRequest({ subject: letters, text: letters }), { type: 'unclassified', confidence: 0, language: 'en' })
  t.equal(detectJurisdiction({ subject: letters, text: letters, defaultJurisdiction: 'gdpr' }), 'gdpr')
  t.end()
})

await t.test('a request above 100 kB of one letter is still classified', (t) => {
  t.match(body(`Bitte löschen Sie alle meine Daten.\n${'a'.repeat(100_000)}`), { type: 'erasure', language: 'de' })
  t.end()
})

await t.test('100 kB of one verb, with nothing to delete, is unclassified; 100 kB of "Datenlöschung" in one word is erasure', (t) => {
  t.equal(body('löschen '.repeat(12_500)).type, 'unclassified')
  t.equal(body('datenloeschung'.repeat(7_200)).type, 'erasure')
  t.end()
})

await t.test('a long mail whose request is in its first lines is classified', (t) => {
  const pasted = Array.from({ length: 5_000 }, (_, i) => `2026-11-20 10:${String(i % 60).padStart(2, '0')} parcel ${i}: 0.5 kg, Hamburg hub`).join('\n')
  t.match(body(`Hello, please delete all my personal data and my account.\n\nThe tracking log you asked for:\n${pasted}`), { type: 'erasure', language: 'en' })
  t.end()
})

await t.test('a request after the first 20,000 characters of own text is not read', (t) => {
  const filler = 'The weather was fine and the parcel arrived on time. '.repeat(400)
  t.ok(filler.length > 20_000)
  t.equal(body(`${filler}\nPlease delete my data.`).type, 'unclassified')
  t.end()
})

await t.test('quotes nested a thousand deep are ignored, whatever they ask for', (t) => {
  const nested = Array.from({ length: 1_000 }, (_, depth) => `${'>'.repeat(depth + 1)} Please delete my data, Art. 17 GDPR.`).join('\n')
  t.equal(body(`Thanks, that is all!\n${nested}`).type, 'unclassified')
  t.match(body(`Bitte löschen Sie meine Daten.\n${nested}`), { type: 'erasure', language: 'de' })
  t.end()
})

await t.test('a reply written below a long quoted original is still read', (t) => {
  const quoted = Array.from({ length: 2_000 }, (_, i) => `> line ${i} of our earlier answer about your order`).join('\n')
  t.match(body(`${quoted}\n\nBitte löschen Sie jetzt alle meine Daten.`), { type: 'erasure', language: 'de' })
  t.end()
})

await t.test('1 MB of HTML around a request is classified by the request', (t) => {
  const html = `<html><body><p>Sehr geehrte Damen und Herren, bitte löschen Sie alle meine Daten.</p>${'<div><span style="color:#333">&nbsp;</span></div>'.repeat(21_000)}</body></html>`
  t.ok(html.length > 1_000_000)
  t.match(body(html), { type: 'erasure', language: 'de' })
  t.end()
})

await t.test('a signature does not drive the classification, nor the jurisdiction', (t) => {
  const disclaimer = 'This e-mail is confidential. If you received it in error, please delete it and all data attached.\nACME Inc., 1 Market St, San Francisco, CA 94105'
  t.equal(body(`Where is my parcel? Order 4711.\n-- \n${disclaimer}`).type, 'unclassified')
  t.equal(body(`Where is my parcel? Order 4711.\n--\n${disclaimer}`).type, 'unclassified')
  t.equal(detectJurisdiction({ subject: '', text: `Please delete my data.\n-- \n${disclaimer}`, defaultJurisdiction: 'gdpr' }), 'gdpr')
  t.equal(body(`Where is my parcel? Order 4711.\n${disclaimer}`).type, 'ccpa_delete', 'without the delimiter it is the sender\'s own text')
  t.end()
})

await t.test('a mobile footer ends the own text, but a sentence that starts like one does not', (t) => {
  t.equal(body('Danke für die Info.\n\nVon meinem iPhone gesendet\n\nWir löschen Ihre Daten nach 30 Tagen.').type, 'unclassified')
  t.equal(body('Thanks!\nSent from my iPhone\nWe delete your data after 30 days.').type, 'unclassified')
  t.match(body('Von meinem Konto bitte alle Daten löschen.'), { type: 'erasure', language: 'de' })
  t.end()
})

await t.test('a word cut at the 20,000-character bound is not read as a shorter word', (t) => {
  // Cut in the middle, "loeschen" would leave "lo", an Italian word.
  t.equal(body('loeschen '.repeat(12_500)).language, 'en')
  t.end()
})
