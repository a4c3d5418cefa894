import { z } from 'zod'
import type { DenialReason, Jurisdiction, RequestType } from './request-types.ts'

/*
 * The e-mails the service sends to requesters, in six languages, as plain text and HTML. Pure:
 * no I/O, no clock. A message carries ids, dates, counts and codes only; the requester's own
 * personal data (addresses, order contents) never goes into it. Every message is built once as a
 * list of blocks; the text and HTML are two renderings of the same blocks, and the HTML rendering
 * escapes every string it writes, so nothing interpolated can inject markup.
 */

export const languageSchema = z
  .enum(['en', 'de', 'fr', 'es', 'nl', 'it'])
  .meta({ id: 'Language', description: 'The language of the messages sent to the requester: English, German, French, Spanish, Dutch or Italian.' })
export type Language = z.infer<typeof languageSchema>

/** The codes a completed erasure gives for data it kept; any other code is explained in general terms. */
export type RetentionReasonCode = 'legal_hold' | 'open_order' | 'protected' | 'failed'

export interface CompletionOutcome {
  /** Contact records whose personal data was erased. */
  erased?: number
  /** What was kept, one entry per record or hold; reasons are codes such as `legal_hold` (repeats are listed once). */
  retained?: { reason: RetentionReasonCode | (string & {}) }[]
  /** Whether the export bundle (access, portability, know) is ready; without it the message says it is being prepared. */
  exportReady?: boolean
  /** Odoo field names corrected, e.g. `email`, `street`, `country_id`. */
  rectifiedFields?: string[]
}

export type MessageTemplate =
  | { kind: 'acknowledgement'; requestId: string; type: RequestType; dueAt: Date; jurisdiction: Jurisdiction }
  | { kind: 'verification_code'; requestId: string; code: string; expiresAt: Date }
  | { kind: 'completed'; requestId: string; type: RequestType; outcome: CompletionOutcome }
  | { kind: 'no_data'; requestId: string }
  | { kind: 'extension'; requestId: string; newDueAt: Date; reason: string }
  | { kind: 'denied'; requestId: string; reason: DenialReason; detail?: string; jurisdiction: Jurisdiction }
export type MessageKind = MessageTemplate['kind']

export interface RenderedMessage {
  subject: string
  text: string
  html: string
}

const DEFAULT_LANGUAGE: Language = 'en'

/**
 * The language for a hint such as `de-DE`, `fr_CH` or an Accept-Language header
 * (`fr-CH, fr;q=0.9, en;q=0.8`): the supported language with the highest weight, earlier entries
 * winning ties; English when none is supported.
 */
export function pickLanguage(hint?: string): Language {
  const ranked = (hint ?? '')
    .split(',')
    .map((entry, index) => ({ ...parseRange(entry), index }))
    .filter((range) => range.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
  for (const range of ranked) {
    const parsed = languageSchema.safeParse(range.primary)
    if (parsed.success) return parsed.data
  }
  return DEFAULT_LANGUAGE
}

function parseRange(entry: string): { primary: string; weight: number } {
  const [tag = '', ...params] = entry.split(';').map((part) => part.trim())
  const primary = tag.split(/[-_]/)[0]?.toLowerCase() ?? ''
  const q = params.find((param) => /^q\s*=/i.test(param))
  const weight = q === undefined ? 1 : Number(q.replace(/^q\s*=\s*/i, ''))
  return { primary, weight: Number.isFinite(weight) ? weight : 0 }
}

// ---------------------------------------------------------------------------------------------
// The phrase table: one entry per language.

type ExportType = 'access' | 'portability' | 'ccpa_know'
type FieldName = 'name' | 'email' | 'phone' | 'mobile' | 'street' | 'street2' | 'zip' | 'city' | 'state' | 'country' | 'vat' | 'company_name'

interface Phrases {
  greeting: string
  signOff: string
  reference: (requestId: string) => string
  subjects: Record<MessageKind, string>
  /** Each request as the object of "we have received …" / "we have dealt with …". */
  requests: Record<RequestType, string>
  received: (request: string) => string
  handled: (request: string) => string
  acknowledgement: {
    nextStep: string
    noVerification: string
    deadline: Record<Jurisdiction, (dueAt: string) => string>
    optOutDeadline: (dueAt: string) => string
    free: string
  }
  verification: { intro: string; expires: (at: string) => string; reply: string; ignore: string }
  export: { ready: Record<ExportType, string>; delivery: string; pending: string }
  erasure: {
    erased: string
    erasedFrom: { one: (count: string) => string; other: (count: string) => string }
    nothingLeft: string
    someKept: string
    allKept: string
    kept: Record<RetentionReasonCode, string>
    keptOther: string
    afterwards: string
  }
  rectification: { fields: (list: string) => string; done: string; followUp: string; fieldNames: Record<FieldName, string> }
  restriction: string
  objection: string
  optOut: string
  noData: string[]
  extension: { notice: (dueAt: string) => string; reason: (reason: string) => string; closing: string }
  denial: { intro: string; reasons: Record<DenialReason, string>; detail: (detail: string) => string; review: string; complaint: string }
}

const en: Phrases = {
  greeting: 'Hello,',
  signOff: 'Kind regards,\nThe privacy team',
  reference: (id) => `Your reference: ${id}. Please keep it in the subject line when you reply.`,
  subjects: {
    acknowledgement: 'We have received your request',
    verification_code: 'Your verification code',
    completed: 'Your request has been completed',
    no_data: 'We hold no personal data about you',
    extension: 'We need more time for your request',
    denied: 'Our decision on your request'
  },
  requests: {
    access: 'your request for a copy of your personal data',
    portability: 'your request for your personal data in a portable format',
    rectification: 'your request to correct your personal data',
    erasure: 'your request to erase your personal data',
    restriction: 'your request to restrict the processing of your personal data',
    objection: 'your objection to the processing of your personal data (or withdrawal of your consent)',
    ccpa_know: 'your request to know what personal information we have collected about you',
    ccpa_delete: 'your request to delete your personal information',
    ccpa_opt_out: 'your request to opt out of the sale or sharing of your personal information',
    unclassified: 'your privacy request'
  },
  received: (request) => `We have received ${request}. Thank you for contacting us.`,
  handled: (request) => `We have dealt with ${request}.`,
  acknowledgement: {
    nextStep:
      'What happens next: before we disclose, change or delete any data, we need to make sure the request really comes from you. ' +
      'We will send a one-time code to the e-mail address we have on file for you; simply reply to that message with the code. ' +
      'If we need anything else, we will let you know.',
    noVerification: 'You do not need to verify your identity for this.',
    deadline: {
      gdpr: (d) =>
        `We will reply within one month of receiving it, by ${d} at the latest. If your request is particularly complex, this period can be extended ` +
        'by up to two further months; we would let you know within the first month and explain why.',
      ccpa: (d) =>
        `We will reply within 45 days of receiving it, by ${d} at the latest. If we need more time, we may extend this once by up to 45 more days; ` +
        'we would let you know within the first 45 days and explain why.',
      other: (d) => `We will reply by ${d} at the latest.`
    },
    optOutDeadline: (d) => `We will act on it within 15 business days, by ${d} at the latest.`,
    free: 'There is no charge for handling your request.'
  },
  verification: {
    intro: 'To confirm that this request comes from you, please use this one-time code:',
    expires: (at) => `The code is valid until ${at}.`,
    reply: 'Simply reply to this e-mail with the code.',
    ignore: 'If you have not made a request to us, please ignore this e-mail: without the code, nothing will happen. We will never ask you for your password.'
  },
  export: {
    ready: {
      access: 'Your copy of the personal data we hold about you is ready.',
      portability: 'Your personal data is ready in a structured, commonly used and machine-readable format that you can pass on to another provider.',
      ccpa_know: 'Your report of the personal information we have collected about you is ready.'
    },
    delivery:
      'You will receive the data as a JSON file, with your orders also as a CSV spreadsheet. For your security we do not attach the files to this e-mail; ' +
      'we will send them to you separately through a secure channel.',
    pending: 'We are putting your data together and will send it to you separately, through a secure channel, as soon as it is ready.'
  },
  erasure: {
    erased: 'We have erased your personal data.',
    erasedFrom: { one: (n) => `We have erased your personal data from ${n} contact record.`, other: (n) => `We have erased your personal data from ${n} contact records.` },
    nothingLeft: 'We found no personal data left to erase.',
    someKept: 'Some data has not been erased, for the following reasons:',
    allKept: 'We have not yet been able to erase your personal data, for the following reasons:',
    kept: {
      legal_hold: 'A legal obligation to keep records (for example under tax and accounting law) or pending legal proceedings require us to keep some data.',
      open_order: 'You have an order that is still open: we need your details to complete it (delivery, invoicing, returns).',
      protected: 'Some data is linked to a user account or to our own company and cannot be erased automatically; our team will deal with it by hand.',
      failed: 'A technical problem occurred with part of the data. We are retrying the erasure and will confirm it to you.'
    },
    keptOther: 'Another reason requires us to keep some data for now; we are happy to explain it if you ask.',
    afterwards: 'As soon as a reason no longer applies, we will erase that data as well, without you having to contact us again. Until then, we will use it only for that purpose.'
  },
  rectification: {
    fields: (list) => `We have corrected the following details: ${list}.`,
    done: 'We have corrected your personal data as you asked.',
    followUp: 'If anything is still not right, simply reply to this e-mail.',
    fieldNames: {
      name: 'name',
      email: 'e-mail address',
      phone: 'phone number',
      mobile: 'mobile number',
      street: 'street address',
      street2: 'address line 2',
      zip: 'postcode',
      city: 'city',
      state: 'state or region',
      country: 'country',
      vat: 'VAT number',
      company_name: 'company name'
    }
  },
  restriction:
    'We have restricted the processing of your personal data. From now on we will only store it; we will use it for anything else only with your consent, ' +
    'to establish, exercise or defend legal claims, or to protect the rights of others. We will let you know before the restriction is lifted.',
  objection:
    'We have recorded your objection (or the withdrawal of your consent) and stopped the processing concerned, such as marketing e-mails. ' +
    'This does not affect the lawfulness of processing carried out before.',
  optOut: 'We have recorded your request. We do not sell or share personal information; your choice is recorded all the same and will be respected in the future.',
  noData: ['We have searched our systems for data linked to the details in your request: we hold no personal data about you.', 'Your request is therefore complete.'],
  extension: {
    notice: (d) => `We need more time to complete your request and are therefore extending the deadline for our reply to ${d}.`,
    reason: (r) => `The reason: ${r}`,
    closing: 'Thank you for your patience. We will be in touch as soon as your request has been completed, earlier if we can.'
  },
  denial: {
    intro: 'Unfortunately, we are unable to fulfil your request, for the following reason:',
    reasons: {
      identity_not_verified:
        'We could not confirm with sufficient certainty that the request comes from you. To protect your data, we only disclose, change or erase it once your identity has been confirmed.',
      agent_not_authorised: 'The request was made on your behalf by someone else, without a permission signed by you.',
      manifestly_unfounded: 'The request is manifestly unfounded.',
      excessive: 'The request is excessive, in particular because it has been repeated within a short time.',
      legal_obligation_to_retain: 'Legal retention obligations, for example under tax law, require us to keep this data.',
      legal_claims: 'We need this data to establish, exercise or defend legal claims.',
      rights_of_others: 'Fulfilling it would adversely affect the rights and freedoms of others.',
      right_does_not_apply: 'The right you invoked does not apply to the processing concerned.'
    },
    detail: (d) => `Further details: ${d}`,
    review: 'If you disagree with this decision or would like to give us more information, simply reply to this e-mail and we will look at your request again.',
    complaint:
      'You also have the right to lodge a complaint with a data protection supervisory authority, in particular in the EU member state where you live or work, ' +
      'and to seek a judicial remedy (GDPR Art. 12(4), 77 and 79).'
  }
}

const de: Phrases = {
  greeting: 'Guten Tag,',
  signOff: 'Mit freundlichen Grüßen\nIhr Datenschutz-Team',
  reference: (id) => `Ihre Vorgangsnummer: ${id}. Bitte lassen Sie sie im Betreff stehen, wenn Sie antworten.`,
  subjects: {
    acknowledgement: 'Wir haben Ihre Anfrage erhalten',
    verification_code: 'Ihr Bestätigungscode',
    completed: 'Ihre Anfrage ist erledigt',
    no_data: 'Wir speichern keine personenbezogenen Daten über Sie',
    extension: 'Wir benötigen mehr Zeit für Ihre Anfrage',
    denied: 'Unsere Entscheidung zu Ihrer Anfrage'
  },
  requests: {
    access: 'Ihren Antrag auf Auskunft über Ihre personenbezogenen Daten',
    portability: 'Ihren Antrag auf Herausgabe Ihrer Daten in einem übertragbaren Format',
    rectification: 'Ihren Antrag auf Berichtigung Ihrer Daten',
    erasure: 'Ihren Antrag auf Löschung Ihrer Daten',
    restriction: 'Ihren Antrag auf Einschränkung der Verarbeitung Ihrer Daten',
    objection: 'Ihren Widerspruch gegen die Verarbeitung Ihrer Daten bzw. den Widerruf Ihrer Einwilligung',
    ccpa_know: 'Ihre Anfrage, welche personenbezogenen Informationen wir über Sie erhoben haben',
    ccpa_delete: 'Ihren Antrag auf Löschung Ihrer personenbezogenen Informationen',
    ccpa_opt_out: 'Ihren Widerspruch gegen den Verkauf oder die Weitergabe Ihrer personenbezogenen Informationen',
    unclassified: 'Ihre Datenschutzanfrage'
  },
  // After "Guten Tag," a German letter continues in lower case.
  received: (request) => `wir haben ${request} erhalten. Vielen Dank für Ihre Nachricht.`,
  handled: (request) => `wir haben ${request} bearbeitet.`,
  acknowledgement: {
    nextStep:
      'Wie es weitergeht: Bevor wir Daten herausgeben, ändern oder löschen, prüfen wir, ob die Anfrage wirklich von Ihnen stammt. ' +
      'Dazu senden wir Ihnen einen Einmalcode an die E-Mail-Adresse, die bei uns für Sie hinterlegt ist; antworten Sie einfach mit diesem Code auf die Nachricht. ' +
      'Sollten wir weitere Angaben benötigen, melden wir uns bei Ihnen.',
    noVerification: 'Dafür müssen Sie Ihre Identität nicht nachweisen.',
    deadline: {
      gdpr: (d) =>
        `Wir antworten Ihnen innerhalb eines Monats nach Eingang, spätestens am ${d}. Ist Ihr Anliegen besonders umfangreich, kann sich diese Frist ` +
        'um bis zu zwei weitere Monate verlängern; das teilen wir Ihnen dann noch innerhalb des ersten Monats mit und nennen die Gründe.',
      ccpa: (d) =>
        `Wir antworten Ihnen innerhalb von 45 Tagen nach Eingang, spätestens am ${d}. Benötigen wir mehr Zeit, können wir diese Frist einmalig ` +
        'um bis zu 45 Tage verlängern; das teilen wir Ihnen dann innerhalb der ersten 45 Tage mit und nennen die Gründe.',
      other: (d) => `Wir antworten Ihnen spätestens am ${d}.`
    },
    optOutDeadline: (d) => `Wir setzen Ihren Wunsch innerhalb von 15 Arbeitstagen um, spätestens am ${d}.`,
    free: 'Die Bearbeitung ist für Sie kostenlos.'
  },
  verification: {
    intro: 'um zu bestätigen, dass die Anfrage von Ihnen stammt, verwenden Sie bitte diesen Einmalcode:',
    expires: (at) => `Der Code ist gültig bis ${at}.`,
    reply: 'Antworten Sie einfach mit dem Code auf diese E-Mail.',
    ignore: 'Falls Sie keine Anfrage an uns gestellt haben, ignorieren Sie diese E-Mail bitte – ohne den Code geschieht nichts. Wir fragen Sie niemals nach Ihrem Passwort.'
  },
  export: {
    ready: {
      access: 'Ihre Kopie der personenbezogenen Daten, die wir über Sie gespeichert haben, ist fertig.',
      portability: 'Ihre Daten liegen jetzt in einem strukturierten, gängigen und maschinenlesbaren Format bereit, das Sie an einen anderen Anbieter weitergeben können.',
      ccpa_know: 'Die Aufstellung der personenbezogenen Informationen, die wir über Sie erhoben haben, ist fertig.'
    },
    delivery:
      'Sie erhalten die Daten als JSON-Datei, Ihre Bestellungen zusätzlich als CSV-Tabelle. Zu Ihrer Sicherheit hängen wir die Dateien nicht an diese E-Mail an, ' +
      'sondern senden sie Ihnen gesondert auf sicherem Weg zu.',
    pending: 'Wir stellen Ihre Daten gerade zusammen und senden sie Ihnen gesondert auf sicherem Weg zu, sobald sie bereitstehen.'
  },
  erasure: {
    erased: 'Wir haben Ihre personenbezogenen Daten gelöscht.',
    erasedFrom: {
      one: (n) => `Wir haben Ihre personenbezogenen Daten aus ${n} Kontaktdatensatz gelöscht.`,
      other: (n) => `Wir haben Ihre personenbezogenen Daten aus ${n} Kontaktdatensätzen gelöscht.`
    },
    nothingLeft: 'Wir haben keine personenbezogenen Daten mehr gefunden, die zu löschen gewesen wären.',
    someKept: 'Einige Daten haben wir nicht gelöscht, und zwar aus folgenden Gründen:',
    allKept: 'Ihre personenbezogenen Daten konnten wir noch nicht löschen, und zwar aus folgenden Gründen:',
    kept: {
      legal_hold: 'Eine gesetzliche Aufbewahrungspflicht (etwa nach Steuer- und Handelsrecht) oder ein laufendes Verfahren verpflichtet uns, bestimmte Daten aufzubewahren.',
      open_order: 'Sie haben noch eine offene Bestellung: Ihre Angaben benötigen wir, um sie abzuwickeln (Lieferung, Rechnung, Rückgabe).',
      protected: 'Ein Teil der Daten ist mit einem Benutzerkonto oder mit unserem Unternehmen verknüpft und lässt sich nicht automatisch löschen; darum kümmert sich unser Team von Hand.',
      failed: 'Bei einem Teil der Daten ist ein technischer Fehler aufgetreten. Wir wiederholen die Löschung und bestätigen sie Ihnen.'
    },
    keptOther: 'Ein anderer Grund verpflichtet uns, bestimmte Daten vorerst aufzubewahren; auf Nachfrage erläutern wir ihn Ihnen gern.',
    afterwards: 'Sobald ein Grund entfällt, löschen wir auch diese Daten, ohne dass Sie sich erneut melden müssen. Bis dahin verwenden wir sie nur für diesen Zweck.'
  },
  rectification: {
    fields: (list) => `Wir haben folgende Angaben berichtigt: ${list}.`,
    done: 'Wir haben Ihre Daten wie gewünscht berichtigt.',
    followUp: 'Falls noch etwas nicht stimmt, antworten Sie einfach auf diese E-Mail.',
    fieldNames: {
      name: 'Name',
      email: 'E-Mail-Adresse',
      phone: 'Telefonnummer',
      mobile: 'Mobilnummer',
      street: 'Straße und Hausnummer',
      street2: 'Adresszusatz',
      zip: 'Postleitzahl',
      city: 'Ort',
      state: 'Bundesland bzw. Region',
      country: 'Land',
      vat: 'Umsatzsteuer-Identifikationsnummer',
      company_name: 'Firmenname'
    }
  },
  restriction:
    'Wir haben die Verarbeitung Ihrer personenbezogenen Daten eingeschränkt. Ab sofort speichern wir sie nur noch; darüber hinaus verwenden wir sie nur mit Ihrer Einwilligung, ' +
    'zur Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen oder zum Schutz der Rechte anderer. Bevor wir die Einschränkung aufheben, informieren wir Sie.',
  objection:
    'Wir haben Ihren Widerspruch bzw. den Widerruf Ihrer Einwilligung vermerkt und die betroffene Verarbeitung, etwa Werbung per E-Mail, eingestellt. ' +
    'Die Rechtmäßigkeit der bis dahin erfolgten Verarbeitung bleibt davon unberührt.',
  optOut:
    'Wir haben Ihren Wunsch vermerkt. Wir verkaufen personenbezogene Informationen nicht und geben sie auch nicht weiter; Ihre Entscheidung bleibt trotzdem gespeichert und gilt auch künftig.',
  noData: ['wir haben in unseren Systemen nach Daten zu den Angaben in Ihrer Anfrage gesucht: Wir speichern keine personenbezogenen Daten über Sie.', 'Ihre Anfrage ist damit erledigt.'],
  extension: {
    notice: (d) => `wir benötigen für die Bearbeitung Ihrer Anfrage mehr Zeit und verlängern die Frist für unsere Antwort daher bis zum ${d}.`,
    reason: (r) => `Der Grund dafür: ${r}`,
    closing: 'Vielen Dank für Ihr Verständnis. Wir melden uns, sobald Ihre Anfrage erledigt ist – wenn möglich früher.'
  },
  denial: {
    intro: 'leider können wir Ihrer Anfrage nicht nachkommen, und zwar aus folgendem Grund:',
    reasons: {
      identity_not_verified:
        'Wir konnten nicht ausreichend sicher feststellen, dass die Anfrage von Ihnen stammt. Zum Schutz Ihrer Daten geben wir sie erst heraus, ändern oder löschen sie erst, wenn Ihre Identität bestätigt ist.',
      agent_not_authorised: 'Die Anfrage wurde von einer anderen Person in Ihrem Namen gestellt, ohne dass uns eine von Ihnen unterzeichnete Vollmacht vorliegt.',
      manifestly_unfounded: 'Die Anfrage ist offenkundig unbegründet.',
      excessive: 'Die Anfrage ist exzessiv, insbesondere weil sie in kurzer Zeit wiederholt gestellt wurde.',
      legal_obligation_to_retain: 'Gesetzliche Aufbewahrungspflichten, etwa nach Steuerrecht, verpflichten uns, diese Daten aufzubewahren.',
      legal_claims: 'Wir benötigen die Daten zur Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen.',
      rights_of_others: 'Eine Antwort würde die Rechte und Freiheiten anderer Personen beeinträchtigen.',
      right_does_not_apply: 'Das geltend gemachte Recht erstreckt sich nicht auf die betreffende Verarbeitung.'
    },
    detail: (d) => `Weitere Erläuterung: ${d}`,
    review: 'Wenn Sie mit dieser Entscheidung nicht einverstanden sind oder uns weitere Informationen geben möchten, antworten Sie einfach auf diese E-Mail; wir prüfen Ihr Anliegen dann erneut.',
    complaint:
      'Sie haben außerdem das Recht, sich bei einer Datenschutz-Aufsichtsbehörde zu beschweren, insbesondere in dem EU-Mitgliedstaat, in dem Sie leben oder arbeiten, ' +
      'und einen gerichtlichen Rechtsbehelf einzulegen (Art. 12 Abs. 4, Art. 77 und 79 DSGVO).'
  }
}

const fr: Phrases = {
  greeting: 'Bonjour,',
  signOff: 'Bien cordialement,\nL’équipe chargée de la protection des données',
  reference: (id) => `Votre référence : ${id}. Merci de la conserver dans l’objet de votre réponse.`,
  subjects: {
    acknowledgement: 'Nous avons bien reçu votre demande',
    verification_code: 'Votre code de vérification',
    completed: 'Votre demande a été traitée',
    no_data: 'Nous ne détenons aucune donnée personnelle vous concernant',
    extension: 'Nous avons besoin de plus de temps pour votre demande',
    denied: 'Notre décision concernant votre demande'
  },
  requests: {
    access: 'votre demande d’accès à vos données personnelles',
    portability: 'votre demande de portabilité de vos données personnelles',
    rectification: 'votre demande de rectification de vos données personnelles',
    erasure: 'votre demande d’effacement de vos données personnelles',
    restriction: 'votre demande de limitation du traitement de vos données personnelles',
    objection: 'votre opposition au traitement de vos données personnelles (ou le retrait de votre consentement)',
    ccpa_know: 'votre demande visant à savoir quelles informations personnelles nous avons collectées à votre sujet',
    ccpa_delete: 'votre demande de suppression de vos informations personnelles',
    ccpa_opt_out: 'votre demande d’opposition à la vente ou au partage de vos informations personnelles',
    unclassified: 'votre demande relative à vos données personnelles'
  },
  received: (request) => `Nous avons bien reçu ${request}. Merci de nous avoir contactés.`,
  handled: (request) => `Nous avons traité ${request}.`,
  acknowledgement: {
    nextStep:
      'Prochaine étape : avant de communiquer, de modifier ou d’effacer des données, nous devons nous assurer que la demande émane bien de vous. ' +
      'Nous allons vous envoyer un code à usage unique à l’adresse e-mail que nous avons enregistrée pour vous ; il vous suffira de répondre à ce message en indiquant le code. ' +
      'Si nous avons besoin d’autres informations, nous reviendrons vers vous.',
    noVerification: 'Vous n’avez pas besoin de justifier de votre identité pour cela.',
    deadline: {
      gdpr: (d) =>
        `Nous vous répondrons dans un délai d’un mois à compter de sa réception, soit au plus tard le ${d}. Si votre demande est particulièrement complexe, ` +
        'ce délai peut être prolongé de deux mois au maximum ; nous vous en informerions avant la fin du premier mois, en vous expliquant pourquoi.',
      ccpa: (d) =>
        `Nous vous répondrons dans un délai de 45 jours à compter de sa réception, soit au plus tard le ${d}. Si nous avons besoin de plus de temps, ` +
        'ce délai peut être prolongé une fois de 45 jours au maximum ; nous vous en informerions dans les 45 premiers jours, en vous expliquant pourquoi.',
      other: (d) => `Nous vous répondrons au plus tard le ${d}.`
    },
    optOutDeadline: (d) => `Nous y donnerons suite dans un délai de 15 jours ouvrables, soit au plus tard le ${d}.`,
    free: 'Le traitement de votre demande est gratuit.'
  },
  verification: {
    intro: 'Pour confirmer que cette demande émane bien de vous, veuillez utiliser ce code à usage unique :',
    expires: (at) => `Ce code est valable jusqu’au ${at}.`,
    reply: 'Il vous suffit de répondre à cet e-mail en indiquant le code.',
    ignore: 'Si vous n’avez fait aucune demande auprès de nous, ignorez simplement cet e-mail : sans le code, rien ne se passera. Nous ne vous demanderons jamais votre mot de passe.'
  },
  export: {
    ready: {
      access: 'La copie des données personnelles que nous détenons à votre sujet est prête.',
      portability: 'Vos données sont prêtes dans un format structuré, couramment utilisé et lisible par machine, que vous pouvez transmettre à un autre prestataire.',
      ccpa_know: 'Le relevé des informations personnelles que nous avons collectées à votre sujet est prêt.'
    },
    delivery:
      'Vous recevrez les données sous forme de fichier JSON, et vos commandes également sous forme de tableau CSV. Pour votre sécurité, nous ne joignons pas ces fichiers à cet e-mail : ' +
      'nous vous les transmettrons séparément par un moyen sécurisé.',
    pending: 'Nous rassemblons actuellement vos données et vous les transmettrons séparément, par un moyen sécurisé, dès qu’elles seront prêtes.'
  },
  erasure: {
    erased: 'Nous avons effacé vos données personnelles.',
    erasedFrom: {
      one: (n) => `Nous avons effacé vos données personnelles de ${n} fiche de contact.`,
      other: (n) => `Nous avons effacé vos données personnelles de ${n} fiches de contact.`
    },
    nothingLeft: 'Nous n’avons trouvé aucune donnée personnelle restant à effacer.',
    someKept: 'Certaines données n’ont pas été effacées, pour les raisons suivantes :',
    allKept: 'Nous n’avons pas encore pu effacer vos données personnelles, pour les raisons suivantes :',
    kept: {
      legal_hold: 'Une obligation légale de conservation (par exemple en matière fiscale et comptable) ou une procédure en cours nous impose de conserver certaines données.',
      open_order: 'Vous avez une commande en cours : nous avons besoin de vos coordonnées pour la mener à bien (livraison, facturation, retours).',
      protected: 'Certaines données sont liées à un compte utilisateur ou à notre entreprise et ne peuvent pas être effacées automatiquement ; notre équipe s’en charge manuellement.',
      failed: 'Un problème technique est survenu pour une partie des données. Nous relançons l’effacement et vous le confirmerons.'
    },
    keptOther: 'Un autre motif nous oblige à conserver certaines données pour le moment ; nous vous l’expliquerons volontiers sur demande.',
    afterwards: 'Dès qu’un motif aura disparu, nous effacerons également ces données, sans que vous ayez à nous recontacter. D’ici là, nous ne les utiliserons qu’à cette fin.'
  },
  rectification: {
    fields: (list) => `Nous avons corrigé les informations suivantes : ${list}.`,
    done: 'Nous avons corrigé vos données comme vous l’avez demandé.',
    followUp: 'Si quelque chose n’est toujours pas correct, répondez simplement à cet e-mail.',
    fieldNames: {
      name: 'nom',
      email: 'adresse e-mail',
      phone: 'numéro de téléphone',
      mobile: 'numéro de mobile',
      street: 'adresse',
      street2: 'complément d’adresse',
      zip: 'code postal',
      city: 'ville',
      state: 'région',
      country: 'pays',
      vat: 'numéro de TVA',
      company_name: 'nom de l’entreprise'
    }
  },
  restriction:
    'Nous avons limité le traitement de vos données personnelles. Désormais, nous nous contentons de les conserver ; nous ne les utiliserons autrement qu’avec votre consentement, ' +
    'pour la constatation, l’exercice ou la défense de droits en justice, ou pour protéger les droits d’autres personnes. Nous vous informerons avant de lever cette limitation.',
  objection:
    'Nous avons enregistré votre opposition (ou le retrait de votre consentement) et mis fin au traitement concerné, par exemple l’envoi d’e-mails publicitaires. ' +
    'Cela n’affecte pas la licéité du traitement effectué auparavant.',
  optOut: 'Nous avons enregistré votre demande. Nous ne vendons ni ne partageons d’informations personnelles ; votre choix reste néanmoins enregistré et sera respecté à l’avenir.',
  noData: [
    'Nous avons recherché dans nos systèmes des données correspondant aux informations de votre demande : nous ne détenons aucune donnée personnelle vous concernant.',
    'Votre demande est donc close.'
  ],
  extension: {
    notice: (d) => `Nous avons besoin de plus de temps pour traiter votre demande et prolongeons donc le délai de réponse jusqu’au ${d}.`,
    reason: (r) => `Motif : ${r}`,
    closing: 'Nous vous remercions de votre compréhension et reviendrons vers vous dès que votre demande aura été traitée, si possible plus tôt.'
  },
  denial: {
    intro: 'Nous ne sommes malheureusement pas en mesure de donner suite à votre demande, pour la raison suivante :',
    reasons: {
      identity_not_verified:
        'Nous n’avons pas pu vérifier avec suffisamment de certitude que la demande émane bien de vous. Pour protéger vos données, nous ne les communiquons, ne les modifions ou ne les effaçons qu’une fois votre identité confirmée.',
      agent_not_authorised: 'La demande a été présentée en votre nom par une autre personne, sans autorisation signée de votre part.',
      manifestly_unfounded: 'La demande est manifestement infondée.',
      excessive: 'La demande est excessive, notamment parce qu’elle a été répétée à de courts intervalles.',
      legal_obligation_to_retain: 'Des obligations légales de conservation, par exemple en matière fiscale, nous imposent de conserver ces données.',
      legal_claims: 'Ces données nous sont nécessaires à la constatation, à l’exercice ou à la défense de droits en justice.',
      rights_of_others: 'Y donner suite porterait atteinte aux droits et libertés d’autres personnes.',
      right_does_not_apply: 'Le droit invoqué ne s’applique pas au traitement concerné.'
    },
    detail: (d) => `Précisions : ${d}`,
    review: 'Si vous n’êtes pas d’accord avec cette décision ou souhaitez nous apporter des informations complémentaires, répondez simplement à cet e-mail : nous réexaminerons votre demande.',
    complaint:
      'Vous avez également le droit d’introduire une réclamation auprès d’une autorité de contrôle de la protection des données, notamment dans l’État membre de l’UE où vous résidez ' +
      'ou travaillez, et de former un recours juridictionnel (articles 12, paragraphe 4, 77 et 79 du RGPD).'
  }
}

const es: Phrases = {
  greeting: 'Hola:',
  signOff: 'Un cordial saludo,\nEl equipo de protección de datos',
  reference: (id) => `Su referencia: ${id}. Por favor, manténgala en el asunto cuando responda.`,
  subjects: {
    acknowledgement: 'Hemos recibido su solicitud',
    verification_code: 'Su código de verificación',
    completed: 'Su solicitud se ha completado',
    no_data: 'No tenemos datos personales suyos',
    extension: 'Necesitamos más tiempo para su solicitud',
    denied: 'Nuestra decisión sobre su solicitud'
  },
  requests: {
    access: 'su solicitud de acceso a sus datos personales',
    portability: 'su solicitud de portabilidad de sus datos personales',
    rectification: 'su solicitud de rectificación de sus datos personales',
    erasure: 'su solicitud de supresión de sus datos personales',
    restriction: 'su solicitud de limitación del tratamiento de sus datos personales',
    objection: 'su oposición al tratamiento de sus datos personales (o la retirada de su consentimiento)',
    ccpa_know: 'su solicitud para conocer qué información personal hemos recopilado sobre usted',
    ccpa_delete: 'su solicitud de eliminación de su información personal',
    ccpa_opt_out: 'su solicitud para que no vendamos ni compartamos su información personal',
    unclassified: 'su solicitud sobre sus datos personales'
  },
  received: (request) => `Hemos recibido ${request}. Gracias por ponerse en contacto con nosotros.`,
  handled: (request) => `Hemos tramitado ${request}.`,
  acknowledgement: {
    nextStep:
      'Próximo paso: antes de facilitar, modificar o suprimir cualquier dato, debemos asegurarnos de que la solicitud procede realmente de usted. ' +
      'Le enviaremos un código de un solo uso a la dirección de correo electrónico que tenemos registrada; basta con que responda a ese mensaje indicando el código. ' +
      'Si necesitamos algo más, se lo haremos saber.',
    noVerification: 'Para ello no necesita acreditar su identidad.',
    deadline: {
      gdpr: (d) =>
        `Le responderemos en el plazo de un mes desde su recepción, a más tardar el ${d}. Si su solicitud es especialmente compleja, este plazo puede prorrogarse ` +
        'otros dos meses como máximo; en ese caso se lo comunicaríamos dentro del primer mes, explicándole los motivos.',
      ccpa: (d) =>
        `Le responderemos en el plazo de 45 días desde su recepción, a más tardar el ${d}. Si necesitamos más tiempo, podemos prorrogar este plazo una sola vez, ` +
        'hasta 45 días más; se lo comunicaríamos dentro de los primeros 45 días, explicándole los motivos.',
      other: (d) => `Le responderemos a más tardar el ${d}.`
    },
    optOutDeadline: (d) => `La atenderemos en un plazo de 15 días hábiles, a más tardar el ${d}.`,
    free: 'La tramitación de su solicitud es gratuita.'
  },
  verification: {
    intro: 'Para confirmar que esta solicitud procede de usted, utilice este código de un solo uso:',
    expires: (at) => `El código es válido hasta el ${at}.`,
    reply: 'Basta con que responda a este correo indicando el código.',
    ignore: 'Si no nos ha enviado ninguna solicitud, ignore este correo: sin el código no ocurrirá nada. Nunca le pediremos su contraseña.'
  },
  export: {
    ready: {
      access: 'La copia de los datos personales que tenemos sobre usted está lista.',
      portability: 'Sus datos están listos en un formato estructurado, de uso común y lectura mecánica, que puede transmitir a otro proveedor.',
      ccpa_know: 'La relación de la información personal que hemos recopilado sobre usted está lista.'
    },
    delivery:
      'Recibirá los datos en un archivo JSON y, además, sus pedidos en una hoja de cálculo CSV. Por su seguridad, no adjuntamos los archivos a este correo: ' +
      'se los enviaremos por separado a través de un medio seguro.',
    pending: 'Estamos reuniendo sus datos y se los enviaremos por separado, a través de un medio seguro, en cuanto estén listos.'
  },
  erasure: {
    erased: 'Hemos suprimido sus datos personales.',
    erasedFrom: {
      one: (n) => `Hemos suprimido sus datos personales de ${n} ficha de contacto.`,
      other: (n) => `Hemos suprimido sus datos personales de ${n} fichas de contacto.`
    },
    nothingLeft: 'No hemos encontrado datos personales pendientes de suprimir.',
    someKept: 'Algunos datos no se han suprimido, por los siguientes motivos:',
    allKept: 'Todavía no hemos podido suprimir sus datos personales, por los siguientes motivos:',
    kept: {
      legal_hold: 'Una obligación legal de conservación (por ejemplo, en materia fiscal y contable) o un procedimiento en curso nos obliga a conservar determinados datos.',
      open_order: 'Tiene un pedido en curso: necesitamos sus datos para completarlo (entrega, facturación, devoluciones).',
      protected: 'Algunos datos están vinculados a una cuenta de usuario o a nuestra empresa y no pueden suprimirse automáticamente; nuestro equipo se encargará de ello manualmente.',
      failed: 'Se ha producido un problema técnico con una parte de los datos. Volveremos a intentar suprimirlos y se lo confirmaremos.'
    },
    keptOther: 'Otro motivo nos obliga a conservar ciertos datos por ahora; con gusto se lo explicaremos si lo solicita.',
    afterwards: 'En cuanto desaparezca un motivo, suprimiremos también esos datos, sin que tenga que volver a ponerse en contacto con nosotros. Mientras tanto, solo los utilizaremos para ese fin.'
  },
  rectification: {
    fields: (list) => `Hemos corregido los siguientes datos: ${list}.`,
    done: 'Hemos corregido sus datos tal como nos pidió.',
    followUp: 'Si algo sigue sin ser correcto, basta con que responda a este correo.',
    fieldNames: {
      name: 'nombre',
      email: 'dirección de correo electrónico',
      phone: 'número de teléfono',
      mobile: 'número de móvil',
      street: 'dirección',
      street2: 'información adicional de la dirección',
      zip: 'código postal',
      city: 'ciudad',
      state: 'provincia o región',
      country: 'país',
      vat: 'NIF-IVA',
      company_name: 'nombre de la empresa'
    }
  },
  restriction:
    'Hemos limitado el tratamiento de sus datos personales. A partir de ahora solo los conservaremos; únicamente los utilizaremos para otros fines con su consentimiento, ' +
    'para la formulación, el ejercicio o la defensa de reclamaciones, o para proteger los derechos de otras personas. Le informaremos antes de levantar la limitación.',
  objection:
    'Hemos registrado su oposición (o la retirada de su consentimiento) y hemos dejado de realizar el tratamiento afectado, por ejemplo el envío de correos publicitarios. ' +
    'Esto no afecta a la licitud del tratamiento realizado anteriormente.',
  optOut: 'Hemos registrado su solicitud. No vendemos ni compartimos información personal; aun así, su decisión queda registrada y se respetará en el futuro.',
  noData: ['Hemos buscado en nuestros sistemas datos relacionados con la información de su solicitud: no tenemos ningún dato personal suyo.', 'Por tanto, su solicitud queda cerrada.'],
  extension: {
    notice: (d) => `Necesitamos más tiempo para tramitar su solicitud, por lo que ampliamos el plazo de respuesta hasta el ${d}.`,
    reason: (r) => `Motivo: ${r}`,
    closing: 'Le agradecemos su comprensión. Nos pondremos en contacto con usted en cuanto hayamos tramitado su solicitud, si es posible antes de esa fecha.'
  },
  denial: {
    intro: 'Lamentablemente, no podemos atender su solicitud por el siguiente motivo:',
    reasons: {
      identity_not_verified:
        'No hemos podido comprobar con suficiente seguridad que la solicitud procede de usted. Para proteger sus datos, solo los facilitamos, modificamos o suprimimos una vez confirmada su identidad.',
      agent_not_authorised: 'La solicitud la presentó otra persona en su nombre sin una autorización firmada por usted.',
      manifestly_unfounded: 'La solicitud es manifiestamente infundada.',
      excessive: 'La solicitud es excesiva, en particular por haberse repetido en poco tiempo.',
      legal_obligation_to_retain: 'Obligaciones legales de conservación, por ejemplo en materia fiscal, nos exigen conservar estos datos.',
      legal_claims: 'Necesitamos estos datos para la formulación, el ejercicio o la defensa de reclamaciones.',
      rights_of_others: 'Atenderla afectaría negativamente a los derechos y libertades de otras personas.',
      right_does_not_apply: 'El derecho ejercido no se aplica al tratamiento en cuestión.'
    },
    detail: (d) => `Más información: ${d}`,
    review: 'Si no está de acuerdo con esta decisión o desea aportarnos más información, responda a este correo y volveremos a examinar su solicitud.',
    complaint:
      'También tiene derecho a presentar una reclamación ante una autoridad de control de protección de datos, en particular en el Estado miembro de la UE en el que resida o trabaje, ' +
      'y a interponer un recurso judicial (artículos 12.4, 77 y 79 del RGPD).'
  }
}

const nl: Phrases = {
  greeting: 'Goedendag,',
  signOff: 'Met vriendelijke groet,\nHet privacyteam',
  reference: (id) => `Uw referentie: ${id}. Laat deze in de onderwerpregel staan als u antwoordt.`,
  subjects: {
    acknowledgement: 'Wij hebben uw verzoek ontvangen',
    verification_code: 'Uw verificatiecode',
    completed: 'Uw verzoek is afgehandeld',
    no_data: 'Wij hebben geen persoonsgegevens van u',
    extension: 'Wij hebben meer tijd nodig voor uw verzoek',
    denied: 'Ons besluit over uw verzoek'
  },
  requests: {
    access: 'uw verzoek om inzage in uw persoonsgegevens',
    portability: 'uw verzoek om overdracht van uw persoonsgegevens',
    rectification: 'uw verzoek om correctie van uw persoonsgegevens',
    erasure: 'uw verzoek om verwijdering van uw persoonsgegevens',
    restriction: 'uw verzoek om beperking van de verwerking van uw persoonsgegevens',
    objection: 'uw bezwaar tegen de verwerking van uw persoonsgegevens (of de intrekking van uw toestemming)',
    ccpa_know: 'uw verzoek om te weten welke persoonlijke informatie wij over u hebben verzameld',
    ccpa_delete: 'uw verzoek om verwijdering van uw persoonlijke informatie',
    ccpa_opt_out: 'uw verzoek om uw persoonlijke informatie niet te verkopen of te delen',
    unclassified: 'uw privacyverzoek'
  },
  received: (request) => `Wij hebben ${request} ontvangen. Dank u wel voor uw bericht.`,
  handled: (request) => `Wij hebben ${request} afgehandeld.`,
  acknowledgement: {
    nextStep:
      'Hoe het verdergaat: voordat wij gegevens verstrekken, wijzigen of verwijderen, moeten wij zeker weten dat het verzoek echt van u komt. ' +
      'Wij sturen u een eenmalige code naar het e-mailadres dat bij ons van u bekend is; u hoeft alleen op dat bericht te antwoorden met de code. ' +
      'Als wij nog iets anders nodig hebben, laten wij het u weten.',
    noVerification: 'Hiervoor hoeft u uw identiteit niet aan te tonen.',
    deadline: {
      gdpr: (d) =>
        `Wij reageren binnen een maand na ontvangst, uiterlijk op ${d}. Is uw verzoek bijzonder complex, dan kan deze termijn met maximaal twee maanden ` +
        'worden verlengd; dat laten wij u dan binnen de eerste maand weten, met de reden.',
      ccpa: (d) =>
        `Wij reageren binnen 45 dagen na ontvangst, uiterlijk op ${d}. Hebben wij meer tijd nodig, dan kunnen wij deze termijn eenmalig met maximaal 45 dagen ` +
        'verlengen; dat laten wij u dan binnen de eerste 45 dagen weten, met de reden.',
      other: (d) => `Wij reageren uiterlijk op ${d}.`
    },
    optOutDeadline: (d) => `Wij voeren het binnen 15 werkdagen uit, uiterlijk op ${d}.`,
    free: 'Aan de behandeling van uw verzoek zijn geen kosten verbonden.'
  },
  verification: {
    intro: 'Gebruik deze eenmalige code om te bevestigen dat het verzoek van u komt:',
    expires: (at) => `De code is geldig tot ${at}.`,
    reply: 'Antwoord gewoon op deze e-mail met de code.',
    ignore: 'Hebt u geen verzoek bij ons ingediend? Dan kunt u deze e-mail negeren: zonder de code gebeurt er niets. Wij vragen u nooit om uw wachtwoord.'
  },
  export: {
    ready: {
      access: 'De kopie van de persoonsgegevens die wij over u bewaren, is klaar.',
      portability: 'Uw gegevens staan klaar in een gestructureerd, gangbaar en machineleesbaar formaat, dat u aan een andere aanbieder kunt doorgeven.',
      ccpa_know: 'Het overzicht van de persoonlijke informatie die wij over u hebben verzameld, is klaar.'
    },
    delivery:
      'U ontvangt de gegevens als JSON-bestand en uw bestellingen daarnaast als CSV-spreadsheet. Voor uw veiligheid voegen wij de bestanden niet bij deze e-mail, ' +
      'maar sturen wij ze u apart via een beveiligde weg toe.',
    pending: 'Wij zijn uw gegevens aan het verzamelen en sturen ze u apart via een beveiligde weg toe zodra ze klaar zijn.'
  },
  erasure: {
    erased: 'Wij hebben uw persoonsgegevens verwijderd.',
    erasedFrom: {
      one: (n) => `Wij hebben uw persoonsgegevens uit ${n} contactkaart verwijderd.`,
      other: (n) => `Wij hebben uw persoonsgegevens uit ${n} contactkaarten verwijderd.`
    },
    nothingLeft: 'Wij hebben geen persoonsgegevens gevonden die nog verwijderd moesten worden.',
    someKept: 'Sommige gegevens zijn niet verwijderd, om de volgende redenen:',
    allKept: 'Wij konden uw persoonsgegevens nog niet verwijderen, om de volgende redenen:',
    kept: {
      legal_hold: 'Een wettelijke bewaarplicht (bijvoorbeeld op grond van fiscale en boekhoudkundige regels) of een lopende procedure verplicht ons bepaalde gegevens te bewaren.',
      open_order: 'U hebt nog een openstaande bestelling: wij hebben uw gegevens nodig om die af te handelen (levering, facturering, retouren).',
      protected: 'Sommige gegevens zijn gekoppeld aan een gebruikersaccount of aan ons bedrijf en kunnen niet automatisch worden verwijderd; ons team handelt dit handmatig af.',
      failed: 'Bij een deel van de gegevens is een technisch probleem opgetreden. Wij proberen het opnieuw en bevestigen de verwijdering aan u.'
    },
    keptOther: 'Een andere reden verplicht ons bepaalde gegevens voorlopig te bewaren; op verzoek lichten wij die graag toe.',
    afterwards: 'Zodra een reden vervalt, verwijderen wij ook deze gegevens, zonder dat u opnieuw contact met ons hoeft op te nemen. Tot die tijd gebruiken wij ze alleen voor dat doel.'
  },
  rectification: {
    fields: (list) => `Wij hebben de volgende gegevens gecorrigeerd: ${list}.`,
    done: 'Wij hebben uw gegevens gecorrigeerd zoals u had gevraagd.',
    followUp: 'Klopt er nog iets niet? Antwoord dan gewoon op deze e-mail.',
    fieldNames: {
      name: 'naam',
      email: 'e-mailadres',
      phone: 'telefoonnummer',
      mobile: 'mobiele nummer',
      street: 'straat en huisnummer',
      street2: 'adresregel 2',
      zip: 'postcode',
      city: 'plaats',
      state: 'provincie of regio',
      country: 'land',
      vat: 'btw-nummer',
      company_name: 'bedrijfsnaam'
    }
  },
  restriction:
    'Wij hebben de verwerking van uw persoonsgegevens beperkt. Vanaf nu bewaren wij ze alleen nog; voor iets anders gebruiken wij ze uitsluitend met uw toestemming, ' +
    'voor de instelling, uitoefening of onderbouwing van een rechtsvordering, of ter bescherming van de rechten van anderen. Voordat wij de beperking opheffen, laten wij het u weten.',
  objection:
    'Wij hebben uw bezwaar (of de intrekking van uw toestemming) vastgelegd en de betreffende verwerking gestopt, bijvoorbeeld het versturen van reclame-e-mails. ' +
    'Dit doet niets af aan de rechtmatigheid van de verwerking daarvoor.',
  optOut: 'Wij hebben uw verzoek vastgelegd. Wij verkopen of delen geen persoonlijke informatie; uw keuze blijft desondanks vastgelegd en wordt ook in de toekomst gerespecteerd.',
  noData: ['Wij hebben in onze systemen gezocht naar gegevens bij de informatie in uw verzoek: wij hebben geen persoonsgegevens van u.', 'Uw verzoek is daarmee afgehandeld.'],
  extension: {
    notice: (d) => `Wij hebben meer tijd nodig om uw verzoek af te handelen en verlengen daarom de termijn voor ons antwoord tot ${d}.`,
    reason: (r) => `De reden: ${r}`,
    closing: 'Dank u voor uw begrip. Wij nemen contact met u op zodra uw verzoek is afgehandeld, zo mogelijk eerder.'
  },
  denial: {
    intro: 'Helaas kunnen wij niet aan uw verzoek voldoen, om de volgende reden:',
    reasons: {
      identity_not_verified:
        'Wij konden niet met voldoende zekerheid vaststellen dat het verzoek van u komt. Om uw gegevens te beschermen, verstrekken, wijzigen of verwijderen wij ze pas als uw identiteit is bevestigd.',
      agent_not_authorised: 'Het verzoek is namens u ingediend door iemand anders, zonder een door u ondertekende machtiging.',
      manifestly_unfounded: 'Het verzoek is kennelijk ongegrond.',
      excessive: 'Het verzoek is buitensporig, met name omdat het kort na elkaar is herhaald.',
      legal_obligation_to_retain: 'Wettelijke bewaarplichten, bijvoorbeeld op fiscaal gebied, verplichten ons deze gegevens te bewaren.',
      legal_claims: 'Wij hebben deze gegevens nodig voor de instelling, uitoefening of onderbouwing van een rechtsvordering.',
      rights_of_others: 'Het inwilligen ervan zou afbreuk doen aan de rechten en vrijheden van anderen.',
      right_does_not_apply: 'Het ingeroepen recht is niet van toepassing op de betreffende verwerking.'
    },
    detail: (d) => `Toelichting: ${d}`,
    review: 'Bent u het niet eens met dit besluit of wilt u ons meer informatie geven? Antwoord dan op deze e-mail; wij bekijken uw verzoek dan opnieuw.',
    complaint:
      'U hebt ook het recht een klacht in te dienen bij een toezichthoudende autoriteit voor gegevensbescherming, met name in de EU-lidstaat waar u woont of werkt, ' +
      'en een beroep in te stellen bij de rechter (artikelen 12, lid 4, 77 en 79 AVG).'
  }
}

const it: Phrases = {
  greeting: 'Buongiorno,',
  signOff: 'Cordiali saluti,\nIl team per la protezione dei dati',
  reference: (id) => `Il suo riferimento: ${id}. La preghiamo di mantenerlo nell’oggetto quando risponde.`,
  subjects: {
    acknowledgement: 'Abbiamo ricevuto la sua richiesta',
    verification_code: 'Il suo codice di verifica',
    completed: 'La sua richiesta è stata evasa',
    no_data: 'Non conserviamo dati personali che la riguardano',
    extension: 'Ci serve più tempo per la sua richiesta',
    denied: 'La nostra decisione sulla sua richiesta'
  },
  requests: {
    access: 'la sua richiesta di accesso ai suoi dati personali',
    portability: 'la sua richiesta di portabilità dei suoi dati personali',
    rectification: 'la sua richiesta di rettifica dei suoi dati personali',
    erasure: 'la sua richiesta di cancellazione dei suoi dati personali',
    restriction: 'la sua richiesta di limitazione del trattamento dei suoi dati personali',
    objection: 'la sua opposizione al trattamento dei suoi dati personali (o la revoca del suo consenso)',
    ccpa_know: 'la sua richiesta di sapere quali informazioni personali abbiamo raccolto su di lei',
    ccpa_delete: 'la sua richiesta di cancellazione delle sue informazioni personali',
    ccpa_opt_out: 'la sua richiesta di non vendere né condividere le sue informazioni personali',
    unclassified: 'la sua richiesta sulla privacy'
  },
  received: (request) => `Abbiamo ricevuto ${request}. La ringraziamo per averci contattato.`,
  handled: (request) => `Abbiamo gestito ${request}.`,
  acknowledgement: {
    nextStep:
      'Prossimo passo: prima di comunicare, modificare o cancellare qualsiasi dato, dobbiamo accertarci che la richiesta provenga davvero da lei. ' +
      'Le invieremo un codice monouso all’indirizzo e-mail che abbiamo registrato per lei; le basterà rispondere a quel messaggio indicando il codice. ' +
      'Se avremo bisogno d’altro, glielo faremo sapere.',
    noVerification: 'Per questo non è necessario che dimostri la sua identità.',
    deadline: {
      gdpr: (d) =>
        `Le risponderemo entro un mese dal ricevimento, al più tardi entro il ${d}. Se la sua richiesta è particolarmente complessa, il termine può essere ` +
        'prorogato di altri due mesi al massimo; in tal caso glielo comunicheremmo entro il primo mese, spiegandole i motivi.',
      ccpa: (d) =>
        `Le risponderemo entro 45 giorni dal ricevimento, al più tardi entro il ${d}. Se ci servisse più tempo, potremmo prorogare il termine una sola volta ` +
        'di altri 45 giorni al massimo; glielo comunicheremmo entro i primi 45 giorni, spiegandole i motivi.',
      other: (d) => `Le risponderemo entro il ${d}.`
    },
    optOutDeadline: (d) => `Vi daremo seguito entro 15 giorni lavorativi, al più tardi entro il ${d}.`,
    free: 'La gestione della sua richiesta è gratuita.'
  },
  verification: {
    intro: 'Per confermare che la richiesta proviene da lei, utilizzi questo codice monouso:',
    expires: (at) => `Il codice è valido fino al ${at}.`,
    reply: 'Le basta rispondere a questa e-mail indicando il codice.',
    ignore: 'Se non ci ha inviato alcuna richiesta, ignori questa e-mail: senza il codice non succederà nulla. Non le chiederemo mai la sua password.'
  },
  export: {
    ready: {
      access: 'La copia dei dati personali che conserviamo su di lei è pronta.',
      portability: 'I suoi dati sono pronti in un formato strutturato, di uso comune e leggibile da dispositivo automatico, che può trasmettere a un altro fornitore.',
      ccpa_know: 'Il prospetto delle informazioni personali che abbiamo raccolto su di lei è pronto.'
    },
    delivery:
      'Riceverà i dati in un file JSON e, in aggiunta, i suoi ordini in un foglio CSV. Per la sua sicurezza non alleghiamo i file a questa e-mail: ' +
      'glieli invieremo separatamente tramite un canale sicuro.',
    pending: 'Stiamo raccogliendo i suoi dati e glieli invieremo separatamente, tramite un canale sicuro, non appena saranno pronti.'
  },
  erasure: {
    erased: 'Abbiamo cancellato i suoi dati personali.',
    erasedFrom: {
      one: (n) => `Abbiamo cancellato i suoi dati personali da ${n} scheda contatto.`,
      other: (n) => `Abbiamo cancellato i suoi dati personali da ${n} schede contatto.`
    },
    nothingLeft: 'Non abbiamo trovato dati personali ancora da cancellare.',
    someKept: 'Alcuni dati non sono stati cancellati, per i seguenti motivi:',
    allKept: 'Non abbiamo ancora potuto cancellare i suoi dati personali, per i seguenti motivi:',
    kept: {
      legal_hold: 'Un obbligo legale di conservazione (ad esempio in materia fiscale e contabile) o un procedimento in corso ci impone di conservare alcuni dati.',
      open_order: 'Ha un ordine ancora aperto: ci servono i suoi dati per completarlo (consegna, fatturazione, resi).',
      protected: 'Alcuni dati sono collegati a un account utente o alla nostra azienda e non possono essere cancellati automaticamente; se ne occuperà manualmente il nostro team.',
      failed: 'Si è verificato un problema tecnico con una parte dei dati. Ripeteremo la cancellazione e gliela confermeremo.'
    },
    keptOther: 'Un altro motivo ci obbliga a conservare alcuni dati per ora; saremo lieti di spiegarglielo su richiesta.',
    afterwards: 'Non appena un motivo verrà meno, cancelleremo anche questi dati, senza che lei debba contattarci di nuovo. Fino ad allora li useremo solo per quello scopo.'
  },
  rectification: {
    fields: (list) => `Abbiamo corretto i seguenti dati: ${list}.`,
    done: 'Abbiamo corretto i suoi dati come richiesto.',
    followUp: 'Se qualcosa non è ancora corretto, risponda semplicemente a questa e-mail.',
    fieldNames: {
      name: 'nome',
      email: 'indirizzo e-mail',
      phone: 'numero di telefono',
      mobile: 'numero di cellulare',
      street: 'indirizzo',
      street2: 'seconda riga dell’indirizzo',
      zip: 'CAP',
      city: 'città',
      state: 'provincia o regione',
      country: 'paese',
      vat: 'partita IVA',
      company_name: 'ragione sociale'
    }
  },
  restriction:
    'Abbiamo limitato il trattamento dei suoi dati personali. D’ora in poi ci limiteremo a conservarli; li utilizzeremo per altri scopi solo con il suo consenso, ' +
    'per l’accertamento, l’esercizio o la difesa di un diritto in sede giudiziaria, o per tutelare i diritti di altre persone. La informeremo prima di revocare la limitazione.',
  objection:
    'Abbiamo registrato la sua opposizione (o la revoca del suo consenso) e interrotto il trattamento interessato, ad esempio l’invio di e-mail promozionali. ' +
    'Ciò non pregiudica la liceità del trattamento effettuato in precedenza.',
  optOut: 'Abbiamo registrato la sua richiesta. Non vendiamo né condividiamo informazioni personali; la sua scelta resta comunque registrata e sarà rispettata anche in futuro.',
  noData: [
    'Abbiamo cercato nei nostri sistemi dati collegati alle informazioni della sua richiesta: non conserviamo alcun dato personale che la riguardi.',
    'La sua richiesta è quindi conclusa.'
  ],
  extension: {
    notice: (d) => `Ci serve più tempo per gestire la sua richiesta: prorogheremo quindi il termine e le risponderemo entro il ${d}.`,
    reason: (r) => `Il motivo: ${r}`,
    closing: 'La ringraziamo per la comprensione. La ricontatteremo non appena la sua richiesta sarà stata evasa, se possibile prima.'
  },
  denial: {
    intro: 'Purtroppo non possiamo dare seguito alla sua richiesta, per il seguente motivo:',
    reasons: {
      identity_not_verified:
        'Non siamo riusciti a verificare con sufficiente certezza che la richiesta provenga da lei. Per proteggere i suoi dati, li comunichiamo, modifichiamo o cancelliamo solo dopo aver confermato la sua identità.',
      agent_not_authorised: 'La richiesta è stata presentata per suo conto da un’altra persona, senza un’autorizzazione da lei firmata.',
      manifestly_unfounded: 'La richiesta è manifestamente infondata.',
      excessive: 'La richiesta è eccessiva, in particolare perché ripetuta a breve distanza di tempo.',
      legal_obligation_to_retain: 'Obblighi legali di conservazione, ad esempio in materia fiscale, ci impongono di conservare questi dati.',
      legal_claims: 'Questi dati ci servono per accertare, esercitare o difendere un diritto in sede giudiziaria.',
      rights_of_others: 'Darvi seguito lederebbe i diritti e le libertà di altre persone.',
      right_does_not_apply: 'Il diritto esercitato non si applica al trattamento in questione.'
    },
    detail: (d) => `Ulteriori dettagli: ${d}`,
    review: 'Se non è d’accordo con questa decisione o desidera fornirci ulteriori informazioni, risponda a questa e-mail e riesamineremo la sua richiesta.',
    complaint:
      'Ha inoltre il diritto di proporre reclamo a un’autorità di controllo per la protezione dei dati, in particolare nello Stato membro dell’UE in cui risiede o lavora, ' +
      'e di proporre ricorso giurisdizionale (articoli 12, paragrafo 4, 77 e 79 del GDPR).'
  }
}

const PHRASES: Record<Language, Phrases> = { en, de, fr, es, nl, it }

// ---------------------------------------------------------------------------------------------
// Building a message: blocks first, then text and HTML from the same blocks.

type Block = { kind: 'paragraph'; text: string } | { kind: 'list'; items: string[] } | { kind: 'code'; text: string }

const paragraph = (text: string): Block => ({ kind: 'paragraph', text })

interface Formats {
  date(date: Date): string
  dateTime(date: Date): string
  count(n: number): string
  plural(n: number): 'one' | 'other'
  list(items: string[]): string
}

function formatsFor(language: Language): Formats {
  const date = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' })
  const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' })
  const number = new Intl.NumberFormat(language)
  const plural = new Intl.PluralRules(language)
  const list = new Intl.ListFormat(language, { type: 'conjunction' })
  return {
    date: (d) => date.format(d),
    dateTime: (d) => `${dateTime.format(d)} UTC`,
    count: (n) => number.format(n),
    plural: (n) => (plural.select(n) === 'one' ? 'one' : 'other'),
    list: (items) => list.format(items)
  }
}

/** Renders `template` in `language` as a subject line (starting with `[request id]`), plain text and HTML. */
export function renderMessage(template: MessageTemplate, language: Language): RenderedMessage {
  const phrases = PHRASES[language]
  const blocks = [paragraph(phrases.greeting), ...bodyOf(template, phrases, formatsFor(language)), paragraph(phrases.reference(template.requestId)), paragraph(phrases.signOff)]
  const subject = `[${template.requestId}] ${phrases.subjects[template.kind]}`.replace(/[\r\n]+/g, ' ')
  return { subject, text: toText(blocks), html: toHtml(blocks, language, subject) }
}

function bodyOf(template: MessageTemplate, p: Phrases, f: Formats): Block[] {
  switch (template.kind) {
    case 'acknowledgement':
      return acknowledgementBody(template, p, f)
    case 'verification_code':
      return [paragraph(p.verification.intro), { kind: 'code', text: template.code }, paragraph(p.verification.expires(f.dateTime(template.expiresAt))), paragraph(p.verification.reply), paragraph(p.verification.ignore)]
    case 'completed':
      return [paragraph(p.handled(p.requests[template.type])), ...outcomeBody(template.type, template.outcome, p, f)]
    case 'no_data':
      return p.noData.map(paragraph)
    case 'extension':
      return [paragraph(p.extension.notice(f.date(template.newDueAt))), paragraph(p.extension.reason(template.reason)), paragraph(p.extension.closing)]
    case 'denied':
      return deniedBody(template, p)
  }
}

function acknowledgementBody(template: Extract<MessageTemplate, { kind: 'acknowledgement' }>, p: Phrases, f: Formats): Block[] {
  const dueAt = f.date(template.dueAt)
  const ack = p.acknowledgement
  // An opt-out of sale or sharing needs no verification and is honoured within 15 business days (CCPA regulations §7026).
  const steps = template.type === 'ccpa_opt_out' ? [ack.noVerification, ack.optOutDeadline(dueAt)] : [ack.nextStep, ack.deadline[template.jurisdiction](dueAt)]
  return [paragraph(p.received(p.requests[template.type])), ...steps.map(paragraph), paragraph(ack.free)]
}

function outcomeBody(type: RequestType, outcome: CompletionOutcome, p: Phrases, f: Formats): Block[] {
  switch (type) {
    case 'access':
    case 'portability':
    case 'ccpa_know':
      return outcome.exportReady === true ? [paragraph(p.export.ready[type]), paragraph(p.export.delivery)] : [paragraph(p.export.pending)]
    case 'erasure':
    case 'ccpa_delete':
      return erasureBody(outcome, p, f)
    case 'rectification':
      return rectificationBody(outcome.rectifiedFields ?? [], p, f)
    case 'restriction':
      return [paragraph(p.restriction)]
    case 'objection':
      return [paragraph(p.objection)]
    case 'ccpa_opt_out':
      return [paragraph(p.optOut)]
    case 'unclassified':
      return []
  }
}

function erasureBody(outcome: CompletionOutcome, p: Phrases, f: Formats): Block[] {
  const e = p.erasure
  const reasons = [...new Set((outcome.retained ?? []).map((r) => r.reason))]
  const erased = outcome.erased
  if (erased === 0 && reasons.length > 0) return [paragraph(e.allKept), keptList(reasons, e), paragraph(e.afterwards)]
  const done = erased === undefined ? e.erased : erased === 0 ? e.nothingLeft : e.erasedFrom[f.plural(erased)](f.count(erased))
  if (reasons.length === 0) return [paragraph(done)]
  return [paragraph(done), paragraph(e.someKept), keptList(reasons, e), paragraph(e.afterwards)]
}

function keptList(reasons: string[], e: Phrases['erasure']): Block {
  const items = reasons.map((reason) => (Object.hasOwn(e.kept, reason) ? e.kept[reason as RetentionReasonCode] : e.keptOther))
  return { kind: 'list', items: [...new Set(items)] }
}

function rectificationBody(fields: string[], p: Phrases, f: Formats): Block[] {
  const r = p.rectification
  const names = [...new Set(fields.map((field) => fieldName(field, r.fieldNames)))]
  return [paragraph(names.length === 0 ? r.done : r.fields(f.list(names))), paragraph(r.followUp)]
}

/** An Odoo field name in words (`country_id` → "country"); an unknown field keeps its technical name. */
function fieldName(field: string, names: Record<FieldName, string>): string {
  const key = field.replace(/_id$/, '')
  return Object.hasOwn(names, key) ? names[key as FieldName] : field
}

function deniedBody(template: Extract<MessageTemplate, { kind: 'denied' }>, p: Phrases): Block[] {
  const d = p.denial
  const detail = template.detail?.trim()
  return [
    paragraph(d.intro),
    paragraph(d.reasons[template.reason]),
    ...(detail ? [paragraph(d.detail(detail))] : []),
    paragraph(d.review),
    // GDPR Art. 12(4): a refusal mentions the right to complain to a supervisory authority and to a judicial remedy.
    ...(template.jurisdiction === 'gdpr' ? [paragraph(d.complaint)] : [])
  ]
}

function toText(blocks: Block[]): string {
  return (
    blocks
      .map((block) => {
        switch (block.kind) {
          case 'paragraph':
            return block.text
          case 'list':
            return block.items.map((item) => `- ${item}`).join('\n')
          case 'code':
            return `    ${block.text}`
        }
      })
      .join('\n\n') + '\n'
  )
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char)
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

const lines = (text: string) => escapeHtml(text).replace(/\n/g, '<br>\n')

function toHtml(blocks: Block[], language: Language, subject: string): string {
  const body = blocks.map((block) => {
    switch (block.kind) {
      case 'paragraph':
        return `<p>${lines(block.text)}</p>`
      case 'list':
        return `<ul>\n${block.items.map((item) => `<li>${lines(item)}</li>`).join('\n')}\n</ul>`
      case 'code':
        return `<p style="font-family: monospace; font-size: 1.6em; font-weight: bold; letter-spacing: 0.2em;">${escapeHtml(block.text)}</p>`
    }
  })
  return [
    '<!DOCTYPE html>',
    `<html lang="${language}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    '<body style="font-family: sans-serif; line-height: 1.5;">',
    ...body,
    '</body>',
    '</html>',
    ''
  ].join('\n')
}
