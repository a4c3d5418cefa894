import { readFileSync } from 'node:fs'
import t from 'tap'
import { forwardEmailPayloadSchema, HEADER_LINES_MAX, HEADER_VALUE_MAX_CHARS, headerValue, REFERENCES_MAX, referencedMessageIds, senderAddress } from '../src/intake/forwardemail-payload.ts'
import type { ForwardEmailPayload } from '../src/intake/forwardemail-payload.ts'
import { isAutomatic, OWN_TEXT_MAX_CHARS, ownText, requestIdInSubject, SCAN_MAX_CHARS, verificationCodeIn } from '../src/intake/mail-signals.ts'
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

await t.test('the schema accepts the sample request as ForwardEmail sends it', (t) => {
  t.equal(request.messageId, '<3f9a1c2e-5b7d-4e21-9c3a-8d6f0b1e2a47@example.net>')
  t.equal(request.subject, 'Löschung meiner Daten')
  t.equal(request.attachments?.[0]?.filename, 'kundennummer.txt')
  t.equal(Buffer.from(request.attachments?.[0]?.content?.data ?? []).toString('utf8'), 'Kundennummer: K-100234\n')
  t.equal(request.session?.recipient, 'privacy@shop.example')
  t.end()
})

await t.test('the schema accepts the sample auto-reply, whose html is false', (t) => {
  t.equal(autoReply.html, false)
  t.equal(autoReply.inReplyTo, '<6c1e2f4a-9b3d-4c7e-8a51-2d0f9e7b3c18@shop.example>')
  t.end()
})

await t.test('the schema keeps fields it does not know, such as the authentication results', (t) => {
  t.match(request, { dkim: { results: [{ status: { result: 'pass' } }] }, spf: { status: { result: 'pass' } }, dmarc: { status: { result: 'pass' } } })
  t.end()
})

await t.test('the schema rejects a payload without a messageId', (t) => {
  const { messageId: _omitted, ...rest } = fixture('forwardemail-webhook.json') as Record<string, unknown>
  const result = forwardEmailPayloadSchema.safeParse(rest)
  t.notOk(result.success)
  t.same(result.error?.issues.map((issue) => issue.path), [['messageId']])
  t.end()
})

await t.test('the schema rejects a payload without a sender address', (t) => {
  const payload = { ...(fixture('forwardemail-webhook.json') as Record<string, unknown>), from: { value: [], text: '' } }
  t.notOk(forwardEmailPayloadSchema.safeParse(payload).success)
  t.end()
})

await t.test('the schema rejects attachment contents that are not bytes', (t) => {
  const payload = { ...(fixture('forwardemail-webhook.json') as Record<string, unknown>), attachments: [{ filename: 'x.txt', content: { type: 'Buffer', data: [75, 256] } }] }
  t.notOk(forwardEmailPayloadSchema.safeParse(payload).success)
  t.end()
})

await t.test('the schema accepts several To header lines, which mailparser gives as an array', (t) => {
  const payload = { ...(fixture('forwardemail-webhook.json') as Record<string, unknown>), to: [sender('privacy@shop.example'), sender('info@shop.example')] }
  t.ok(forwardEmailPayloadSchema.safeParse(payload).success)
  t.end()
})

await t.test('the sender address is read from the From header, lower-cased', (t) => {
  t.equal(senderAddress(request), 'juergen.mueller@example.net')
  t.equal(senderAddress({ from: sender('  Jane.Doe@Example.COM ') }), 'jane.doe@example.com')
  t.end()
})

await t.test('a From value that is not an address gives no sender', (t) => {
  t.equal(senderAddress({ from: sender('undisclosed-recipients') }), null)
  t.end()
})

await t.test('a header value is found case-insensitively, unfolded and trimmed', (t) => {
  t.equal(headerValue(request, 'X-Original-To'), 'privacy@shop.example')
  t.equal(headerValue(request, 'CONTENT-TYPE'), 'multipart/mixed; boundary="------------mFq3xZ0cVn8Ld2Wk7Yh1Ts5R"')
  t.end()
})

await t.test('a missing header, or missing header lines, give undefined', (t) => {
  t.equal(headerValue(request, 'auto-submitted'), undefined)
  t.equal(headerValue({}, 'subject'), undefined)
  t.end()
})

await t.test('the referenced message ids are In-Reply-To first, then References from the newest, each once', (t) => {
  t.same(referencedMessageIds({ inReplyTo: '<c@x>', references: '<a@x> <b@x>\r\n <c@x>' }), ['<c@x>', '<b@x>', '<a@x>'])
  t.same(referencedMessageIds({ references: ['<a@x>', '<b@x>'] }), ['<b@x>', '<a@x>'])
  t.end()
})

await t.test('referenced message ids are normalised to angle brackets', (t) => {
  t.same(referencedMessageIds({ inReplyTo: 'abc@x', references: 'def@x' }), ['<abc@x>', '<def@x>'])
  t.same(referencedMessageIds({}), [])
  t.end()
})

// ---------------------------------------------------------------------------------------------
// The sample request end to end

await t.test('the sample request is an erasure request in German under the default jurisdiction', (t) => {
  t.same(automatic(request), { automatic: false })
  const classification = classifyRequest({ subject: request.subject ?? '', text: request.text ?? '' })
  t.match(classification, { type: 'erasure', language: 'de' })
  t.equal(detectJurisdiction({ subject: request.subject ?? '', text: request.text ?? '', defaultJurisdiction: 'gdpr' }), 'gdpr')
  t.end()
})

// ---------------------------------------------------------------------------------------------
// Automatic mail

await t.test('the sample out-of-office reply is automatic', (t) => {
  t.same(automatic(autoReply), { automatic: true, reason: 'auto-submitted' })
  t.end()
})

await t.test('Auto-Submitted other than "no" marks a message as automatic', (t) => {
  t.same(automatic(variant({}, { 'Auto-Submitted': 'auto-generated' })), { automatic: true, reason: 'auto-submitted' })
  t.end()
})

await t.test('Auto-Submitted: no leaves a message to a person', (t) => {
  t.same(automatic(variant({}, { 'Auto-Submitted': 'no' })), { automatic: false })
  t.end()
})

await t.test('an X-Autoreply or X-Autorespond header marks a message as automatic', (t) => {
  t.same(automatic(variant({}, { 'X-Autoreply': 'yes' })), { automatic: true, reason: 'auto-submitted' })
  t.same(automatic(variant({}, { 'X-Autorespond': 'Out of office' })), { automatic: true, reason: 'auto-submitted' })
  t.end()
})

await t.test('Precedence bulk, junk, list and auto_reply mark a message as automatic', (t) => {
  for (const value of ['bulk', 'junk', 'list', 'auto_reply', 'Bulk'])
    t.same(automatic(variant({}, { Precedence: value })), { automatic: true, reason: 'precedence' }, value)
  t.end()
})

await t.test('Precedence: first-class leaves a message to a person', (t) => {
  t.same(automatic(variant({}, { Precedence: 'first-class' })), { automatic: false })
  t.end()
})

await t.test('mailer-daemon, postmaster and no-reply senders are automatic', (t) => {
  for (const address of ['MAILER-DAEMON@mail.example.net', 'postmaster@example.org', 'no-reply@example.com', 'news+noreply@example.com'])
    t.same(automatic(variant({ from: sender(address) })), { automatic: true, reason: 'mailer-daemon' }, address)
  t.end()
})

await t.test('a mailer-daemon envelope sender is automatic even with a person in From', (t) => {
  t.same(automatic(variant({ session: { ...request.session, sender: 'mailer-daemon@example.net' } })), { automatic: true, reason: 'mailer-daemon' })
  t.end()
})

await t.test('mail from our own outbound address is a loop', (t) => {
  t.same(automatic(variant({ from: sender('Privacy@Shop.example') })), { automatic: true, reason: 'own-address' })
  t.end()
})

await t.test('a delivery-status report is a bounce', (t) => {
  t.same(automatic(variant({}, { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="b1"' })), { automatic: true, reason: 'bounce' })
  t.end()
})

await t.test('a null envelope sender is a bounce', (t) => {
  t.same(automatic(variant({ session: { ...request.session, sender: '' } })), { automatic: true, reason: 'bounce' })
  t.end()
})

await t.test('an undeliverable subject is a bounce', (t) => {
  t.same(automatic(variant({ subject: 'Unzustellbar: Löschung meiner Daten' })), { automatic: true, reason: 'bounce' })
  t.end()
})

await t.test('out-of-office subjects in the six languages are automatic', (t) => {
  const subjects = [
    'Out of Office: Your request',
    'Abwesenheitsnotiz: Ihre Anfrage',
    'Réponse automatique : votre demande',
    'Respuesta automática: su solicitud',
    'Automatisch antwoord: uw verzoek',
    'Risposta automatica: la sua richiesta'
  ]
  for (const subject of subjects) t.same(automatic(variant({ subject })), { automatic: true, reason: 'auto-reply-subject' }, subject)
  t.end()
})

await t.test('a request that mentions an office is not mistaken for an auto-reply', (t) => {
  t.same(automatic(variant({ subject: 'Data protection officer: please delete my data' })), { automatic: false })
  t.end()
})

// ---------------------------------------------------------------------------------------------
// Request ids and codes

await t.test('the request id is found in a reply subject', (t) => {
  t.equal(requestIdInSubject('Re: [RR-7Q2M9K4XHD] Wir haben Ihre Anfrage erhalten'), 'RR-7Q2M9K4XHD')
  t.end()
})

await t.test('a request id typed in lower case is found and upper-cased', (t) => {
  t.equal(requestIdInSubject('about rr-7q2m9k4xhd'), 'RR-7Q2M9K4XHD')
  t.end()
})

await t.test('look-alike ids do not match', (t) => {
  for (const subject of ['RR-7Q2M9K4XH', 'RR-7Q2M9K4XHDX', 'RR-7Q2M9K4XHI', 'RR-7Q2M9K4XHO', 'RR-7Q2M9K4XHU', 'RR-7Q2M9K4XHL', 'XRR-7Q2M9K4XHD', 'RR-2026-0042', 'Order 7Q2M9K4XHD'])
    t.equal(requestIdInSubject(subject), null, subject)
  t.end()
})

await t.test('a six-digit code in the reply is found', (t) => {
  t.equal(verificationCodeIn('Hallo,\nhier ist mein Code: 482913\nViele Grüße'), '482913')
  t.equal(verificationCodeIn('482913'), '482913')
  t.equal(verificationCodeIn('Mi código es 482913.'), '482913')
  t.end()
})

await t.test('full-width digits count as a code', (t) => {
  t.equal(verificationCodeIn('コード １２３４５６'), '123456')
  t.end()
})

await t.test('a code in quoted lines is not the requester\'s', (t) => {
  t.equal(verificationCodeIn('Thanks!\n\n> Your verification code is 482913'), null)
  t.end()
})

await t.test('a code below an attribution or original-message line is not the requester\'s', (t) => {
  t.equal(verificationCodeIn('Danke\n\nAm Do., 20. Nov. 2025 um 10:12 Uhr schrieb Privacy Team <privacy@shop.example>:\n\nIhr Code: 482913'), null)
  t.equal(verificationCodeIn('Thanks\n-----Original Message-----\nYour code: 482913'), null)
  t.equal(verificationCodeIn('Thanks\nFrom: Privacy Team <privacy@shop.example>\nSent: Thursday, November 20, 2025 10:12\nYour code: 482913'), null)
  t.end()
})

await t.test('parts of longer numbers, phone numbers, amounts and labelled order numbers are not codes', (t) => {
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
  t.end()
})

await t.test('a code next to an order number is still found', (t) => {
  t.equal(verificationCodeIn('Bestellnummer 482913, mein Code lautet 771204'), '771204')
  t.end()
})

await t.test('a number labelled as a code wins over an unlabelled one', (t) => {
  t.equal(verificationCodeIn('Ich habe 100000 Fragen, aber hier ist der Code: 771204'), '771204')
  t.end()
})

await t.test('two unlabelled six-digit numbers are ambiguous and give no code', (t) => {
  t.equal(verificationCodeIn('Ist es 482913 oder 771204?'), null)
  t.end()
})

await t.test('the requester\'s own text keeps a line that only looks like an attribution', (t) => {
  t.equal(ownText('Am Montag schrieb ich Ihnen:\nBitte löschen.'), 'Am Montag schrieb ich Ihnen:\nBitte löschen.')
  t.end()
})

// ---------------------------------------------------------------------------------------------
// Bounded reading (issue #12): headers and text come from anyone who can send mail.

await t.test('the own text stops at a signature delimiter, with or without its trailing space', (t) => {
  t.equal(ownText('Bitte löschen.\n-- \nMax Muster\nTel. 030 1234'), 'Bitte löschen.')
  t.equal(ownText('Bitte löschen.\n--\nMax Muster'), 'Bitte löschen.')
  t.equal(ownText('Bitte löschen.\n---\nMax Muster'), 'Bitte löschen.\n---\nMax Muster', 'a rule of three dashes is not a delimiter')
  t.end()
})

await t.test('a number in the signature is not taken for a second code', (t) => {
  t.equal(verificationCodeIn('Hier ist er: 482913\n-- \nMax Muster, Postfach 771204'), '482913')
  t.end()
})

await t.test('the own text is at most 20,000 characters, cut between words', (t) => {
  const own = ownText('word '.repeat(10_000))
  t.ok(own.length <= OWN_TEXT_MAX_CHARS, String(own.length))
  t.ok(own.length > OWN_TEXT_MAX_CHARS - 10, String(own.length))
  t.match(own, /^(?:word )*word$/)
  t.equal(ownText('a'.repeat(100_000)).length, OWN_TEXT_MAX_CHARS, 'one word longer than the bound is cut at the bound')
  t.match(ownText(`Bitte löschen Sie meine Daten. ${'x'.repeat(100_000)}`), /^Bitte löschen Sie meine Daten\. x+$/, 'and the words before it stay')
  t.end()
})

await t.test('own text below a long quote is found within the first 200,000 characters, not beyond', (t) => {
  const quote = (chars: number) => '> quoted line of the earlier message\n'.repeat(Math.ceil(chars / 37))
  t.equal(ownText(`${quote(100_000)}Bitte löschen.`), 'Bitte löschen.')
  t.equal(ownText(`${quote(SCAN_MAX_CHARS)}Bitte löschen.`), '')
  t.end()
})

await t.test('a header value is read up to 32 kB, and only among the first 1,000 header lines', (t) => {
  t.ok((headerValue({ headerLines: [{ key: 'x-long', line: `X-Long: ${'a'.repeat(1_000_000)}` }] }, 'x-long')?.length ?? 0) <= HEADER_VALUE_MAX_CHARS)
  const padded = Array.from({ length: HEADER_LINES_MAX }, (_, i) => ({ key: 'received', line: `Received: from relay-${i}.example.net` }))
  t.equal(headerValue({ headerLines: [...padded, { key: 'auto-submitted', line: 'Auto-Submitted: auto-replied' }] }, 'auto-submitted'), undefined)
  t.equal(headerValue({ headerLines: [...padded.slice(1), { key: 'auto-submitted', line: 'Auto-Submitted: auto-replied' }] }, 'auto-submitted'), 'auto-replied')
  t.end()
})

await t.test('of thousands of References, In-Reply-To and the newest 100 are considered, newest first', (t) => {
  const ids = Array.from({ length: 5_000 }, (_, i) => `<ref-${i}@mail.example>`)
  const fromArray = referencedMessageIds({ inReplyTo: '<reply@mail.example>', references: ids })
  t.equal(fromArray.length, 1 + REFERENCES_MAX)
  t.same(fromArray.slice(0, 3), ['<reply@mail.example>', '<ref-4999@mail.example>', '<ref-4998@mail.example>'])
  const fromString = referencedMessageIds({ references: ids.join('\r\n ') })
  t.equal(fromString.length, REFERENCES_MAX)
  t.equal(fromString[0], '<ref-4999@mail.example>')
  t.ok(fromString.every((id) => /^<ref-\d+@mail\.example>$/.test(id)), 'no id cut in two')
  t.end()
})

await t.test('a References value of megabytes is read from its newest end without cutting an id', (t) => {
  const ids = Array.from({ length: 100_000 }, (_, i) => `<ref-${i}@mail.example>`).join(' ')
  const newest = referencedMessageIds({ references: [ids] })
  t.equal(newest[0], '<ref-99999@mail.example>')
  t.ok(newest.every((id) => /^<ref-\d+@mail\.example>$/.test(id)))
  t.end()
})

await t.test('angle brackets around a Message-ID are stripped however many there are', (t) => {
  t.same(referencedMessageIds({ inReplyTo: '<<<abc@x>>>' }), ['<abc@x>'])
  t.same(referencedMessageIds({ inReplyTo: `<abc@x${'>'.repeat(100_000)}` }), ['<abc@x>'])
  t.end()
})

await t.test('attachment contents are kept as given and refused unless every element is a byte', (t) => {
  const data = Array.from({ length: 1_000_000 }, (_, i) => i % 256)
  const parsed = forwardEmailPayloadSchema.parse({ ...(fixture('forwardemail-webhook.json') as Record<string, unknown>), attachments: [{ filename: 'scan.pdf', content: { type: 'Buffer', data } }] })
  t.equal(parsed.attachments?.[0]?.content?.data, data, 'the same array, not a copy')
  for (const bad of [[1.5], ['7'], [null], [-1], [true], 'AAAA'])
    t.notOk(forwardEmailPayloadSchema.safeParse({ ...(fixture('forwardemail-webhook.json') as Record<string, unknown>), attachments: [{ content: { type: 'Buffer', data: bad } }] }).success, JSON.stringify(bad))
  t.end()
})

await t.test('an address longer than an SMTP path allows is no sender', (t) => {
  t.equal(senderAddress({ from: sender(`${'a'.repeat(250)}@example.net`) }), null)
  t.equal(senderAddress({ from: sender(`${'a'.repeat(200)}@example.net`) }), `${'a'.repeat(200)}@example.net`)
  t.end()
})

await t.test('a subject is read up to the length of one header line', (t) => {
  const padding = 'x'.repeat(100_000)
  t.same(automatic(variant({ subject: `Out of Office: ${padding}` })), { automatic: true, reason: 'auto-reply-subject' })
  t.same(automatic(variant({ subject: `${padding} Out of Office` })), { automatic: false })
  t.equal(requestIdInSubject(`Re: [RR-7Q2M9K4XHD] ${padding}`), 'RR-7Q2M9K4XHD')
  t.equal(requestIdInSubject(`${padding} [RR-7Q2M9K4XHD]`), null)
  t.end()
})
