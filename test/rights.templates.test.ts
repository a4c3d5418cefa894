import t from 'tap'
import { languageSchema } from '../src/rights/languages.ts'
import type { Language } from '../src/rights/languages.ts'
import { escapeHtml, renderMessage } from '../src/rights/message-templates.ts'
import type { MessageKind, MessageTemplate, RetentionReasonCode } from '../src/rights/message-templates.ts'
import type { RequestType } from '../src/rights/request-types.ts'
import { denialReasonSchema, jurisdictionSchema, requestTypeSchema } from '../src/rights/request-types.ts'
import { PHRASES_BY_LANGUAGE } from '../src/rights/templates/by-language.ts'

const id = 'RR-2026-0042'
const languages = languageSchema.options
const types = requestTypeSchema.options
const at = (iso: string) => new Date(iso)

const samples: MessageTemplate[] = [
  { kind: 'acknowledgement', requestId: id, type: 'erasure', dueAt: at('2026-04-10T09:15:00Z'), jurisdiction: 'gdpr' },
  { kind: 'verification_code', requestId: id, code: '482913', expiresAt: at('2026-03-10T09:45:00Z') },
  { kind: 'completed', requestId: id, type: 'erasure', outcome: { erased: 2, retained: [{ reason: 'open_order' }] } },
  { kind: 'no_data', requestId: id },
  { kind: 'extension', requestId: id, newDueAt: at('2026-06-10T09:15:00Z'), reason: 'Orders from four marketplaces to collect' },
  { kind: 'denied', requestId: id, reason: 'excessive', jurisdiction: 'gdpr' }
]

const completed = (type: RequestType, outcome: Extract<MessageTemplate, { kind: 'completed' }>['outcome'] = {}, language: Language = 'en') =>
  renderMessage({ kind: 'completed', requestId: id, type, outcome }, language)
const denied = (jurisdiction: 'gdpr' | 'ccpa' | 'other', language: Language = 'en', detail?: string) =>
  renderMessage({ kind: 'denied', requestId: id, reason: 'identity_not_verified', jurisdiction, ...(detail === undefined ? {} : { detail }) }, language)
const acknowledgement = (type: RequestType, jurisdiction: 'gdpr' | 'ccpa' | 'other', language: Language = 'en', dueAt = at('2026-04-10T09:15:00Z')) =>
  renderMessage({ kind: 'acknowledgement', requestId: id, type, dueAt, jurisdiction }, language)

// ---------------------------------------------------------------------------------------------
// The phrases: one module per language, each with every phrase.

const messageKinds = Object.keys({ acknowledgement: true, verification_code: true, completed: true, no_data: true, extension: true, denied: true } satisfies Record<MessageKind, true>)
const retentionCodes = Object.keys({ legal_hold: true, open_order: true, protected: true, failed: true } satisfies Record<RetentionReasonCode, true>)

/** The path to every phrase in a language's phrases, e.g. `subjects.denied`, `erasure.erasedFrom.one`, `noData`. */
function phrasePaths(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [path]
  return Object.entries(value).flatMap(([key, inner]) => phrasePaths(inner, path === '' ? key : `${path}.${key}`))
}

function phraseAt(phrases: object, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], phrases)
}

/** A phrase that is a function places its one argument, a text (a date, a count, a list already formatted). */
function placesArgument(phrase: unknown): phrase is (argument: string) => string {
  return typeof phrase === 'function'
}

await t.test('the English phrases have a subject for every message kind and wording for every request type, jurisdiction, denial and retention reason', (t) => {
  const { en } = PHRASES_BY_LANGUAGE
  t.same(Object.keys(en.subjects).sort(), [...messageKinds].sort())
  t.same(Object.keys(en.requests).sort(), [...requestTypeSchema.options].sort())
  t.same(Object.keys(en.acknowledgement.deadline).sort(), [...jurisdictionSchema.options].sort())
  t.same(Object.keys(en.denial.reasons).sort(), [...denialReasonSchema.options].sort())
  t.same(Object.keys(en.erasure.kept).sort(), [...retentionCodes].sort())
  t.end()
})

await t.test('every language has every phrase English has, and no other', (t) => {
  const english = phrasePaths(PHRASES_BY_LANGUAGE.en).sort()
  for (const language of languages) t.same(phrasePaths(PHRASES_BY_LANGUAGE[language]).sort(), english, language)
  t.end()
})

await t.test('no phrase in any language is empty, and each phrase with an argument places it', (t) => {
  for (const language of languages) {
    const phrases = PHRASES_BY_LANGUAGE[language]
    for (const path of phrasePaths(phrases)) {
      const phrase = phraseAt(phrases, path)
      const texts = placesArgument(phrase) ? [phrase('«ARG»')] : Array.isArray(phrase) ? phrase : [phrase]
      t.ok(texts.length > 0 && texts.every((text) => typeof text === 'string' && text.trim() !== ''), `${language}: ${path}`)
      if (typeof phrase === 'function') t.match(texts[0], '«ARG»', `${language}: ${path} places its argument`)
    }
  }
  t.end()
})

// ---------------------------------------------------------------------------------------------
// The messages.

await t.test('every message renders in every language with a subject, text and HTML that carry the request id', (t) => {
  for (const template of samples) {
    for (const language of languages) {
      const message = renderMessage(template, language)
      t.ok(message.subject.includes(id), `${template.kind}/${language}: subject`)
      t.ok(message.text.includes(id), `${template.kind}/${language}: text`)
      t.ok(message.html.includes(id), `${template.kind}/${language}: html`)
    }
  }
  t.end()
})

await t.test('the subject starts with the request id in brackets so replies thread to the request', (t) => {
  for (const template of samples) t.match(renderMessage(template, 'de').subject, /^\[RR-2026-0042\] \S/)
  t.end()
})

await t.test('every request type has its own acknowledgement and completion wording in every language', (t) => {
  for (const language of languages) {
    const acks = new Set(types.map((type) => acknowledgement(type, 'gdpr', language).text))
    const completions = new Set(types.map((type) => completed(type, {}, language).text))
    t.equal(acks.size, types.length, `${language}: acknowledgements`)
    t.equal(completions.size, types.length, `${language}: completions`)
  }
  t.end()
})

await t.test('the same message differs between languages', (t) => {
  for (const template of samples) t.equal(new Set(languages.map((language) => renderMessage(template, language).text)).size, languages.length, template.kind)
  t.end()
})

await t.test('the verification message shows the code in the text and the HTML', (t) => {
  const message = renderMessage(samples[1] as MessageTemplate, 'en')
  t.match(message.text, /482913/)
  t.match(message.html, /482913/)
  t.end()
})

await t.test('the verification message says until when the code is valid, in UTC', (t) => {
  t.match(renderMessage(samples[1] as MessageTemplate, 'en').text, 'valid until March 10, 2026 at 9:45 AM UTC')
  t.match(renderMessage(samples[1] as MessageTemplate, 'de').text, 'gültig bis 10. März 2026 um 09:45 UTC')
  t.end()
})

await t.test('the verification message tells someone who did not ask to ignore it', (t) => {
  t.match(renderMessage(samples[1] as MessageTemplate, 'en').text, 'If you have not made a request to us, please ignore this e-mail')
  t.end()
})

await t.test('an interpolated string is HTML-escaped in the HTML and left as written in the text', (t) => {
  const message = denied('gdpr', 'en', '<script>alert("x")</script> & more')
  t.match(message.html, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more')
  t.notMatch(message.html, '<script>')
  t.match(message.text, '<script>alert("x")</script> & more')
  t.end()
})

await t.test('an extension reason and an unknown field name are escaped in the HTML', (t) => {
  const extension = renderMessage({ kind: 'extension', requestId: id, newDueAt: at('2026-06-10T00:00:00Z'), reason: 'Archive <b>offline</b>' }, 'en')
  t.match(extension.html, 'Archive &lt;b&gt;offline&lt;/b&gt;')
  t.notMatch(completed('rectification', { rectifiedFields: ['x_<img>'] }).html, '<img>')
  t.end()
})

await t.test('escapeHtml escapes the five characters that matter in HTML', (t) => {
  t.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
  t.end()
})

await t.test('the HTML is a document in the message language', (t) => {
  const html = renderMessage(samples[3] as MessageTemplate, 'nl').html
  t.match(html, /^<!DOCTYPE html>\n<html lang="nl">/)
  t.match(html, '<meta charset="utf-8">')
  t.end()
})

await t.test('a GDPR refusal mentions the right to complain to a supervisory authority and to a judicial remedy', (t) => {
  const text = denied('gdpr').text
  t.match(text, 'lodge a complaint with a data protection supervisory authority')
  t.match(text, 'judicial remedy')
  t.end()
})

await t.test('a GDPR refusal mentions the complaint right in every language, a CCPA refusal in none', (t) => {
  const authority: Record<Language, string> = {
    en: 'supervisory authority',
    de: 'Aufsichtsbehörde',
    fr: 'autorité de contrôle',
    es: 'autoridad de control',
    nl: 'toezichthoudende autoriteit',
    it: 'autorità di controllo'
  }
  for (const language of languages) {
    t.match(denied('gdpr', language).text, authority[language], `${language}: GDPR`)
    t.notMatch(denied('ccpa', language).text, authority[language], `${language}: CCPA`)
    t.notMatch(denied('other', language).text, authority[language], `${language}: other`)
  }
  t.end()
})

await t.test('a refusal gives the reason in words and the agent’s detail', (t) => {
  const text = denied('ccpa', 'en', 'The code was entered wrongly five times.').text
  t.match(text, 'We could not confirm with sufficient certainty that the request comes from you.')
  t.match(text, 'Further details: The code was entered wrongly five times.')
  t.notMatch(text, 'identity_not_verified')
  t.end()
})

await t.test('a refusal without detail has no empty detail line', (t) => {
  t.notMatch(denied('gdpr', 'en', '  ').text, 'Further details')
  t.end()
})

await t.test('a GDPR acknowledgement gives the one-month deadline, the next step and that it is free', (t) => {
  const text = acknowledgement('access', 'gdpr').text
  t.match(text, 'within one month of receiving it, by April 10, 2026 at the latest')
  t.match(text, 'one-time code')
  t.match(text, 'There is no charge')
  t.end()
})

await t.test('a CCPA acknowledgement gives the 45-day deadline', (t) => {
  t.match(acknowledgement('ccpa_know', 'ccpa').text, 'within 45 days of receiving it, by April 10, 2026 at the latest')
  t.end()
})

await t.test('an acknowledgement elsewhere gives the due date only', (t) => {
  const text = acknowledgement('access', 'other').text
  t.match(text, 'We will reply by April 10, 2026 at the latest.')
  t.notMatch(text, 'one month')
  t.end()
})

await t.test('an opt-out acknowledgement asks for no verification and promises 15 business days', (t) => {
  const text = acknowledgement('ccpa_opt_out', 'ccpa').text
  t.match(text, 'You do not need to verify your identity')
  t.match(text, 'within 15 business days')
  t.notMatch(text, 'one-time code')
  t.end()
})

await t.test('dates are written in the message language, in UTC', (t) => {
  const lateEvening = at('2026-03-31T23:30:00Z')
  t.match(acknowledgement('erasure', 'gdpr', 'de', lateEvening).text, 'spätestens am 31. März 2026')
  t.match(acknowledgement('erasure', 'gdpr', 'fr', lateEvening).text, 'au plus tard le 31 mars 2026')
  t.match(acknowledgement('erasure', 'gdpr', 'es', lateEvening).text, 'a más tardar el 31 de marzo de 2026')
  t.match(acknowledgement('erasure', 'gdpr', 'nl', lateEvening).text, 'uiterlijk op 31 maart 2026')
  t.match(acknowledgement('erasure', 'gdpr', 'it', lateEvening).text, 'entro il 31 marzo 2026')
  t.end()
})

await t.test('a completed access request says the copy is ready and comes separately', (t) => {
  const text = completed('access', { exportReady: true }).text
  t.match(text, 'Your copy of the personal data we hold about you is ready.')
  t.match(text, 'we do not attach the files to this e-mail')
  t.end()
})

await t.test('a completed access request without a ready export says it is being prepared', (t) => {
  const text = completed('portability').text
  t.match(text, 'We are putting your data together')
  t.notMatch(text, 'format that you can pass on')
  t.end()
})

await t.test('a completed erasure gives the number of records erased', (t) => {
  t.match(completed('erasure', { erased: 1 }).text, 'from 1 contact record.')
  t.match(completed('ccpa_delete', { erased: 3 }).text, 'from 3 contact records.')
  t.match(completed('erasure', { erased: 3 }, 'de').text, 'aus 3 Kontaktdatensätzen gelöscht')
  t.end()
})

await t.test('a completed erasure lists each reason for keeping data once, in words', (t) => {
  const text = completed('erasure', { erased: 2, retained: [{ reason: 'open_order' }, { reason: 'legal_hold' }, { reason: 'open_order' }] }).text
  t.match(text, 'Some data has not been erased')
  t.match(text, '- A legal obligation to keep records (for example under tax and accounting law)')
  t.equal(text.split('- You have an order that is still open').length, 2)
  t.match(text, 'As soon as a reason no longer applies')
  t.end()
})

await t.test('a completed erasure explains protected records and failures', (t) => {
  const text = completed('erasure', { erased: 1, retained: [{ reason: 'protected' }, { reason: 'failed' }] }).text
  t.match(text, 'linked to a user account')
  t.match(text, 'We are retrying the erasure')
  t.end()
})

await t.test('an unknown retention code is explained in general terms, never shown as a code', (t) => {
  const text = completed('erasure', { erased: 1, retained: [{ reason: 'x_weird_code' }] }).text
  t.match(text, 'Another reason requires us to keep some data')
  t.notMatch(text, 'x_weird_code')
  t.end()
})

await t.test('an erasure that kept everything says nothing could be erased yet', (t) => {
  const text = completed('erasure', { erased: 0, retained: [{ reason: 'legal_hold' }] }).text
  t.match(text, 'We have not yet been able to erase your personal data')
  t.notMatch(text, 'contact record')
  t.end()
})

await t.test('a rectification names the corrected fields in the message language', (t) => {
  t.match(completed('rectification', { rectifiedFields: ['email', 'country_id', 'street'] }).text, 'e-mail address, country, and street address.')
  t.match(completed('rectification', { rectifiedFields: ['email', 'phone'] }, 'de').text, 'folgende Angaben berichtigt: E-Mail-Adresse und Telefonnummer.')
  t.end()
})

await t.test('restriction and objection are confirmed as recorded and honoured', (t) => {
  t.match(completed('restriction').text, 'We have restricted the processing of your personal data.')
  t.match(completed('objection').text, 'We have recorded your objection')
  t.end()
})

await t.test('an opt-out says we do not sell or share personal information', (t) => {
  t.match(completed('ccpa_opt_out').text, 'We do not sell or share personal information')
  t.end()
})

await t.test('the no-data message says we hold no personal data', (t) => {
  t.match(renderMessage(samples[3] as MessageTemplate, 'en').text, 'we hold no personal data about you')
  t.match(renderMessage(samples[3] as MessageTemplate, 'de').subject, 'Wir speichern keine personenbezogenen Daten über Sie')
  t.end()
})

await t.test('the extension notice gives the new date and the reason', (t) => {
  const text = renderMessage(samples[4] as MessageTemplate, 'en').text
  t.match(text, 'extending the deadline for our reply to June 10, 2026')
  t.match(text, 'The reason: Orders from four marketplaces to collect')
  t.end()
})

await t.test('every variant of every message renders in every language without a gap or a stray placeholder', (t) => {
  const variants: MessageTemplate[] = [
    ...(['gdpr', 'ccpa', 'other'] as const).flatMap((jurisdiction) =>
      types.map((type): MessageTemplate => ({ kind: 'acknowledgement', requestId: id, type, dueAt: at('2026-04-10T00:00:00Z'), jurisdiction }))
    ),
    ...types.flatMap((type): MessageTemplate[] =>
      [
        { exportReady: true },
        {},
        { erased: 1 },
        { erased: 2, retained: [{ reason: 'legal_hold' }, { reason: 'open_order' }, { reason: 'protected' }, { reason: 'failed' }, { reason: 'other' }] },
        { erased: 0 },
        { rectifiedFields: ['name', 'email', 'phone', 'mobile', 'street', 'street2', 'zip', 'city', 'state_id', 'country_id', 'vat', 'company_name'] }
      ].map((outcome) => ({ kind: 'completed', requestId: id, type, outcome }))
    ),
    { kind: 'denied', requestId: id, reason: 'legal_claims', detail: 'Chargeback dispute', jurisdiction: 'gdpr' },
    { kind: 'denied', requestId: id, reason: 'rights_of_others', jurisdiction: 'other' }
  ]
  for (const language of languages) {
    for (const template of variants) {
      const { text, html } = renderMessage(template, language)
      t.notMatch(text, /undefined|NaN|\$\{|\n\n\n|\s\./, `${language}: ${JSON.stringify(template)}`)
      t.notMatch(html, /undefined|<p><\/p>/, `${language}: ${JSON.stringify(template)}`)
    }
  }
  t.end()
})
