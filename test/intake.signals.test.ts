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

// ---------------------------------------------------------------------------------------------
// Bounded reading (issue #12): headers and text come from anyone who can send mail.

t.test('the own text stops at a signature delimiter, with or without its trailing space', async (t) => {
  t.equal(ownText('Bitte löschen.\n-- \nMax Muster\nTel. 030 1234'), 'Bitte löschen.')
  t.equal(ownText('Bitte löschen.\n--\nMax Muster'), 'Bitte löschen.')
  t.equal(ownText('Bitte löschen.\n---\nMax Muster'), 'Bitte löschen.\n---\nMax Muster', 'a rule of three dashes is not a delimiter')
})

t.test('a number in the signature is not taken for a second code', async (t) => {
  t.equal(verificationCodeIn('Hier ist er: 482913\n-- \nMax Muster, Postfach 771204'), '482913')
})

t.test('the own text is at most 20,000 characters, cut between words', async (t) => {
  const own = ownText('word '.repeat(10_000))
  t.ok(own.length <= OWN_TEXT_MAX_CHARS, String(own.length))
  t.ok(own.length > OWN_TEXT_MAX_CHARS - 10, String(own.length))
  t.match(own, /^(?:word )*word$/)
  t.equal(ownText('a'.repeat(100_000)).length, OWN_TEXT_MAX_CHARS, 'one word longer than the bound is cut at the bound')
  t.match(ownText(`Bitte löschen Sie meine Daten. ${'x'.repeat(100_000)}`), /^Bitte löschen Sie meine Daten\. x+$/, 'and the words before it stay')
})

t.test('own text below a long quote is found within the first 200,000 characters, not beyond', async (t) => {
  const quote = (chars: number) => '> quoted line of the earlier message\n'.repeat(Math.ceil(chars / 37))
  t.equal(ownText(`${quote(100_000)}Bitte löschen.`), 'Bitte löschen.')
  t.equal(ownText(`${quote(SCAN_MAX_CHARS)}Bitte löschen.`), '')
})

t.test('a header value is read up to 32 kB, and only among the first 1,000 header lines', async (t) => {
  t.ok((headerValue({ headerLines: [{ key: 'x-long', line: `X-Long: ${'a'.repeat(1_000_000)}` }] }, 'x-long')?.length ?? 0) <= HEADER_VALUE_MAX_CHARS)
  const padded = Array.from({ length: HEADER_LINES_MAX }, (_, i) => ({ key: 'received', line: `Received: from relay-${i}.example.net` }))
  t.equal(headerValue({ headerLines: [...padded, { key: 'auto-submitted', line: 'Auto-Submitted: auto-replied' }] }, 'auto-submitted'), undefined)
  t.equal(headerValue({ headerLines: [...padded.slice(1), { key: 'auto-submitted', line: 'Auto-Submitted: auto-replied' }] }, 'auto-submitted'), 'auto-replied')
})

t.test('of thousands of References, In-Reply-To and the newest 100 are considered, newest first', async (t) => {
  const ids = Array.from({ length: 5_000 }, (_, i) => `<ref-${i}@mail.example>`)
  const fromArray = referencedMessageIds({ inReplyTo: '<reply@mail.example>', references: ids })
  t.equal(fromArray.length, 1 + REFERENCES_MAX)
  t.same(fromArray.slice(0, 3), ['<reply@mail.example>', '<ref-4999@mail.example>', '<ref-4998@mail.example>'])
  const fromString = referencedMessageIds({ references: ids.join('\r\n ') })
  t.equal(fromString.length, REFERENCES_MAX)
  t.equal(fromString[0], '<ref-4999@mail.example>')
  t.ok(fromString.every((id) => /^<ref-\d+@mail\.example>$/.test(id)), 'no id cut in two')
})

t.test('a References value of megabytes is read from its newest end without cutting an id', async (t) => {
  const ids = Array.from({ length: 100_000 }, (_, i) => `<ref-${i}@mail.example>`).join(' ')
  const newest = referencedMessageIds({ references: [ids] })
  t.equal(newest[0], '<ref-99999@mail.example>')
  t.ok(newest.every((id) => /^<ref-\d+@mail\.example>$/.test(id)))
})

t.test('angle brackets around a Message-ID are stripped however many there are', async (t) => {
  t.same(referencedMessageIds({ inReplyTo: '<<<abc@x>>>' }), ['<abc@x>'])
  t.same(referencedMessageIds({ inReplyTo: `<abc@x${'>'.repeat(100_000)}` }), ['<abc@x>'])
})

t.test('attachment contents are kept as given and refused unless every element is a byte', async (t) => {
  const data = Array.from({ length: 1_000_000 }, (_, i) => i % 256)
  const parsed = forwardEmailPayloadSchema.parse({ ...(fixture('forwardemail-webhook.json') as Record<string, unknown>), attachments: [{ filename: 'scan.pdf', content: { type: 'Buffer', data } }] })
  t.equal(parsed.attachments?.[0]?.content?.data, data, 'the same array, not a copy')
  for (const bad of [[1.5], ['7'], [null], [-1], [true], 'AAAA'])
    t.notOk(forwardEmailPayloadSchema.safeParse({ ...(fixture('forwardemail-webhook.json') as Record<string, unknown>), attachments: [{ content: { type: 'Buffer', data: bad } }] }).success, JSON.stringify(bad))
})

t.test('an address longer than an SMTP path allows is no sender', async (t) => {
  t.equal(senderAddress({ from: sender(`${'a'.repeat(250)}@example.net`) }), null)
  t.equal(senderAddress({ from: sender(`${'a'.repeat(200)}@example.net`) }), `${'a'.repeat(200)}@example.net`)
})

t.test('a subject is read up to the length of one header line', async (t) => {
  const padding = 'x'.repeat(100_000)
  t.same(automatic(variant({ subject: `Out of Office: ${padding}` })), { automatic: true, reason: 'auto-reply-subject' })
  t.same(automatic(variant({ subject: `${padding} Out of Office` })), { automatic: false })
  t.equal(requestIdInSubject(`Re: [RR-7Q2M9K4XHD] ${padding}`), 'RR-7Q2M9K4XHD')
  t.equal(requestIdInSubject(`${padding} [RR-7Q2M9K4XHD]`), null)
})
