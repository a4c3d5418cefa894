import { readFileSync } from 'node:fs'
import t from 'tap'
import { forwardEmailPayloadSchema, headerValue, referencedMessageIds, senderAddress } from '../src/intake/forwardemail-payload.ts'
import type { ForwardEmailPayload } from '../src/intake/forwardemail-payload.ts'
import { isAutomatic, ownText, requestIdInSubject, verificationCodeIn } from '../src/intake/mail-signals.ts'
import { classifyRequest, detectJurisdiction } from '../src/intake/classify.ts'

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'))
const request = forwardEmailPayloadSchema.parse(fixture('forwardemail-webhook.json'))
const autoReply = forwardEmailPayloadSchema.parse(fixture('forwardemail-autoreply.json'))

const ownAddresses = ['privacy@shop.example']
const automatic = (payload: ForwardEmailPayload) => isAutomatic(payload, { ownAddresses })

/** The customer's request with header lines added (or replaced, by key) and other fields changed. */
function variant(changes: Partial<ForwardEmailPayload>, headers: Record<string, string> = {}): ForwardEmailPayload {
  const keys = Object.keys(headers).map((key) => key.toLowerCase())
  const headerLines = [
    ...(request.headerLines ?? []).filter((line) => !keys.includes(line.key)),
    ...Object.entries(headers).map(([key, value]) => ({ key: key.toLowerCase(), line: `${key}: ${value}` }))
  ]
  return { ...request, headerLines, ...changes }
}

const sender = (address: string, name = '') => ({ value: [{ address, name }], text: address })

// ---------------------------------------------------------------------------------------------
// The payload schema

t.test('the schema accepts the sample request as ForwardEmail sends it', async (t) => {
  t.equal(request.messageId, '<3f9a1c2e-5b7d-4e21-9c3a-8d6f0b1e2a47@example.net>')
  t.equal(request.subject, 'Löschung meiner Daten')
  t.equal(request.attachments?.[0]?.filename, 'kundennummer.txt')
  t.equal(Buffer.from(request.attachments?.[0]?.content?.data ?? []).toString('utf8'), 'Kundennummer: K-100234\n')
  t.equal(request.session?.recipient, 'privacy@shop.example')
})

t.test('the schema accepts the sample auto-reply, whose html is false', async (t) => {
  t.equal(autoReply.html, false)
  t.equal(autoReply.inReplyTo, '<6c1e2f4a-9b3d-4c7e-8a51-2d0f9e7b3c18@shop.example>')
})

t.test('the schema keeps fields it does not know, such as the authentication results', async (t) => {
  t.match(request, { dkim: { results: [{ status: { result: 'pass' } }] }, spf: { status: { result: 'pass' } }, dmarc: { status: { result: 'pass' } } })
})

t.test('the schema rejects a payload without a messageId', async (t) => {
  const { messageId: _omitted, ...rest } = fixture('forwardemail-webhook.json') as Record<string, unknown>
  const result = forwardEmailPayloadSchema.safeParse(rest)
  t.notOk(result.success)
  t.same(result.error?.issues.map((issue) => issue.path), [['messageId']])
})

t.test('the schema rejects a payload without a sender address', async (t) => {
  const payload = { ...(fixture('forwardemail-webhook.json') as Record<string, unknown>), from: { value: [], text: '' } }
  t.notOk(forwardEmailPayloadSchema.safeParse(payload).success)
})

t.test('the schema rejects attachment contents that are not bytes', async (t) => {
  const payload = { ...(fixture('forwardemail-webhook.json') as Record<string, unknown>), attachments: [{ filename: 'x.txt', content: { type: 'Buffer', data: [75, 256] } }] }
  t.notOk(forwardEmailPayloadSchema.safeParse(payload).success)
})

t.test('the schema accepts several To header lines, which mailparser gives as an array', async (t) => {
  const payload = { ...(fixture('forwardemail-webhook.json') as Record<string, unknown>), to: [sender('privacy@shop.example'), sender('info@shop.example')] }
  t.ok(forwardEmailPayloadSchema.safeParse(payload).success)
})

t.test('the sender address is read from the From header, lower-cased', async (t) => {
  t.equal(senderAddress(request), 'juergen.mueller@example.net')
  t.equal(senderAddress({ from: sender('  Jane.Doe@Example.COM ') }), 'jane.doe@example.com')
})

t.test('a From value that is not an address gives no sender', async (t) => {
  t.equal(senderAddress({ from: sender('undisclosed-recipients') }), null)
})

t.test('a header value is found case-insensitively, unfolded and trimmed', async (t) => {
  t.equal(headerValue(request, 'X-Original-To'), 'privacy@shop.example')
  t.equal(headerValue(request, 'CONTENT-TYPE'), 'multipart/mixed; boundary="------------mFq3xZ0cVn8Ld2Wk7Yh1Ts5R"')
})

t.test('a missing header, or missing header lines, give undefined', async (t) => {
  t.equal(headerValue(request, 'auto-submitted'), undefined)
  t.equal(headerValue({}, 'subject'), undefined)
})

t.test('the referenced message ids are In-Reply-To first, then References from the newest, each once', async (t) => {
  t.same(referencedMessageIds({ inReplyTo: '<c@x>', references: '<a@x> <b@x>\r\n <c@x>' }), ['<c@x>', '<b@x>', '<a@x>'])
  t.same(referencedMessageIds({ references: ['<a@x>', '<b@x>'] }), ['<b@x>', '<a@x>'])
})

t.test('referenced message ids are normalised to angle brackets', async (t) => {
  t.same(referencedMessageIds({ inReplyTo: 'abc@x', references: 'def@x' }), ['<abc@x>', '<def@x>'])
  t.same(referencedMessageIds({}), [])
})

// ---------------------------------------------------------------------------------------------
// The sample request end to end

t.test('the sample request is an erasure request in German under the default jurisdiction', async (t) => {
  t.same(automatic(request), { automatic: false })
  const classification = classifyRequest({ subject: request.subject ?? '', text: request.text ?? '' })
  t.match(classification, { type: 'erasure', language: 'de' })
  t.equal(detectJurisdiction({ subject: request.subject ?? '', text: request.text ?? '', defaultJurisdiction: 'gdpr' }), 'gdpr')
})

// ---------------------------------------------------------------------------------------------
// Automatic mail

t.test('the sample out-of-office reply is automatic', async (t) => {
  t.same(automatic(autoReply), { automatic: true, reason: 'auto-submitted' })
})

t.test('Auto-Submitted other than "no" marks a message as automatic', async (t) => {
  t.same(automatic(variant({}, { 'Auto-Submitted': 'auto-generated' })), { automatic: true, reason: 'auto-submitted' })
})

t.test('Auto-Submitted: no leaves a message to a person', async (t) => {
  t.same(automatic(variant({}, { 'Auto-Submitted': 'no' })), { automatic: false })
})

t.test('an X-Autoreply or X-Autorespond header marks a message as automatic', async (t) => {
  t.same(automatic(variant({}, { 'X-Autoreply': 'yes' })), { automatic: true, reason: 'auto-submitted' })
  t.same(automatic(variant({}, { 'X-Autorespond': 'Out of office' })), { automatic: true, reason: 'auto-submitted' })
})

t.test('Precedence bulk, junk, list and auto_reply mark a message as automatic', async (t) => {
  for (const value of ['bulk', 'junk', 'list', 'auto_reply', 'Bulk'])
    t.same(automatic(variant({}, { Precedence: value })), { automatic: true, reason: 'precedence' }, value)
})

t.test('Precedence: first-class leaves a message to a person', async (t) => {
  t.same(automatic(variant({}, { Precedence: 'first-class' })), { automatic: false })
})

t.test('mailer-daemon, postmaster and no-reply senders are automatic', async (t) => {
  for (const address of ['MAILER-DAEMON@mail.example.net', 'postmaster@example.org', 'no-reply@example.com', 'news+noreply@example.com'])
    t.same(automatic(variant({ from: sender(address) })), { automatic: true, reason: 'mailer-daemon' }, address)
})

t.test('a mailer-daemon envelope sender is automatic even with a person in From', async (t) => {
  t.same(automatic(variant({ session: { ...request.session, sender: 'mailer-daemon@example.net' } })), { automatic: true, reason: 'mailer-daemon' })
})

t.test('mail from our own outbound address is a loop', async (t) => {
  t.same(automatic(variant({ from: sender('Privacy@Shop.example') })), { automatic: true, reason: 'own-address' })
})

t.test('a delivery-status report is a bounce', async (t) => {
  t.same(automatic(variant({}, { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="b1"' })), { automatic: true, reason: 'bounce' })
})

t.test('a null envelope sender is a bounce', async (t) => {
  t.same(automatic(variant({ session: { ...request.session, sender: '' } })), { automatic: true, reason: 'bounce' })
})

t.test('an undeliverable subject is a bounce', async (t) => {
  t.same(automatic(variant({ subject: 'Unzustellbar: Löschung meiner Daten' })), { automatic: true, reason: 'bounce' })
})

t.test('out-of-office subjects in the six languages are automatic', async (t) => {
  const subjects = [
    'Out of Office: Your request',
    'Abwesenheitsnotiz: Ihre Anfrage',
    'Réponse automatique : votre demande',
    'Respuesta automática: su solicitud',
    'Automatisch antwoord: uw verzoek',
    'Risposta automatica: la sua richiesta'
  ]
  for (const subject of subjects) t.same(automatic(variant({ subject })), { automatic: true, reason: 'auto-reply-subject' }, subject)
})

t.test('a request that mentions an office is not mistaken for an auto-reply', async (t) => {
  t.same(automatic(variant({ subject: 'Data protection officer: please delete my data' })), { automatic: false })
})

// ---------------------------------------------------------------------------------------------
// Request ids and codes

t.test('the request id is found in a reply subject', async (t) => {
  t.equal(requestIdInSubject('Re: [RR-7Q2M9K4XHD] Wir haben Ihre Anfrage erhalten'), 'RR-7Q2M9K4XHD')
})

t.test('a request id typed in lower case is found and upper-cased', async (t) => {
  t.equal(requestIdInSubject('about rr-7q2m9k4xhd'), 'RR-7Q2M9K4XHD')
})

t.test('look-alike ids do not match', async (t) => {
  for (const subject of ['RR-7Q2M9K4XH', 'RR-7Q2M9K4XHDX', 'RR-7Q2M9K4XHI', 'RR-7Q2M9K4XHO', 'RR-7Q2M9K4XHU', 'RR-7Q2M9K4XHL', 'XRR-7Q2M9K4XHD', 'RR-2026-0042', 'Order 7Q2M9K4XHD'])
    t.equal(requestIdInSubject(subject), null, subject)
})

t.test('a six-digit code in the reply is found', async (t) => {
  t.equal(verificationCodeIn('Hallo,\nhier ist mein Code: 482913\nViele Grüße'), '482913')
  t.equal(verificationCodeIn('482913'), '482913')
  t.equal(verificationCodeIn('Mi código es 482913.'), '482913')
})

t.test('full-width digits count as a code', async (t) => {
  t.equal(verificationCodeIn('コード １２３４５６'), '123456')
})

t.test('a code in quoted lines is not the requester\'s', async (t) => {
  t.equal(verificationCodeIn('Thanks!\n\n> Your verification code is 482913'), null)
})

t.test('a code below an attribution or original-message line is not the requester\'s', async (t) => {
  t.equal(verificationCodeIn('Danke\n\nAm Do., 20. Nov. 2025 um 10:12 Uhr schrieb Privacy Team <privacy@shop.example>:\n\nIhr Code: 482913'), null)
  t.equal(verificationCodeIn('Thanks\n-----Original Message-----\nYour code: 482913'), null)
  t.equal(verificationCodeIn('Thanks\nFrom: Privacy Team <privacy@shop.example>\nSent: Thursday, November 20, 2025 10:12\nYour code: 482913'), null)
})

t.test('parts of longer numbers, phone numbers, amounts and labelled order numbers are not codes', async (t) => {
  const lookAlikes = [
    'Bestellung 4829135',
    'Order 1482913',
    'Rufen Sie mich an: +49 151 482913',
    'Tel.: 482913',
    '(030) 482913',
    'Order #482913',
    'Bestellnummer 482913',
    'Kundennummer: 482913',
    'Betrag 482913,00 EUR',
    'IBAN DE89 3704 0044 0532 0130 00',
    'Ref. RR-482913ABCD',
    'Datum 20.11.2025'
  ]
  for (const text of lookAlikes) t.equal(verificationCodeIn(text), null, text)
})

t.test('a code next to an order number is still found', async (t) => {
  t.equal(verificationCodeIn('Bestellnummer 482913, mein Code lautet 771204'), '771204')
})

t.test('a number labelled as a code wins over an unlabelled one', async (t) => {
  t.equal(verificationCodeIn('Ich habe 100000 Fragen, aber hier ist der Code: 771204'), '771204')
})

t.test('two unlabelled six-digit numbers are ambiguous and give no code', async (t) => {
  t.equal(verificationCodeIn('Ist es 482913 oder 771204?'), null)
})

t.test('the requester\'s own text keeps a line that only looks like an attribution', async (t) => {
  t.equal(ownText('Am Montag schrieb ich Ihnen:\nBitte löschen.'), 'Am Montag schrieb ich Ihnen:\nBitte löschen.')
})
