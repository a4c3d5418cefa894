import type { Customer, Language, RightsType } from './shop-year.ts'
import { SHOP_ADDRESS } from './service-under-test.ts'

/** What a requester writes to the privacy address, in their own language. */
const WORDING: Record<Language, Partial<Record<RightsType, [subject: string, body: string]>> & { fallback: [string, string]; greeting: string; closing: string }> = {
  en: {
    greeting: 'Hello,', closing: 'Kind regards',
    access: ['Request for a copy of my data', 'Please send me a copy of all personal data you hold about me.'],
    portability: ['Data portability request', 'I would like to receive my personal data in a machine-readable format (data portability).'],
    rectification: ['My address is wrong', 'My address is incorrect in your records, please correct my address.'],
    erasure: ['Please delete my data', 'Please delete all my personal data and close my account.'],
    restriction: ['Restrict processing', 'Please restrict the processing of my personal data until further notice.'],
    objection: ['Objection', 'I object to the processing of my data and withdraw my consent.'],
    ccpa_know: ['CCPA request to know', 'As a California resident I request to know what personal information you collected about me (CCPA).'],
    ccpa_delete: ['CCPA deletion request', 'As a California resident I request that you delete my personal information under the CCPA.'],
    ccpa_opt_out: ['Do not sell my personal information', 'California resident here: do not sell or share my personal information (CCPA opt-out).'],
    fallback: ['Question about my order', 'I have a question about my data on my last order.']
  },
  de: {
    greeting: 'Sehr geehrte Damen und Herren,', closing: 'Mit freundlichen Grüßen',
    access: ['Auskunftsersuchen', 'ich bitte um Auskunft, welche personenbezogenen Daten Sie über mich speichern.'],
    portability: ['Datenübertragbarkeit', 'bitte übermitteln Sie mir meine Daten in einem maschinenlesbaren Format (Datenübertragbarkeit).'],
    rectification: ['Falsche Adresse', 'meine Adresse ist falsch, bitte korrigieren Sie meine Anschrift.'],
    erasure: ['Löschung meiner Daten', 'bitte löschen Sie alle meine Daten und mein Kundenkonto.'],
    restriction: ['Einschränkung der Verarbeitung', 'bitte schränken Sie die Verarbeitung meiner Daten ein.'],
    objection: ['Widerspruch', 'ich widerspreche der Verarbeitung meiner Daten und widerrufe meine Einwilligung.'],
    fallback: ['Frage zu meiner Bestellung', 'ich habe eine Frage zu meiner letzten Bestellung.']
  },
  fr: {
    greeting: 'Bonjour,', closing: 'Cordialement',
    access: ["Demande d'accès", "je souhaite obtenir une copie de mes données personnelles (droit d'accès)."],
    portability: ['Portabilité', 'je demande la portabilité de mes données dans un format lisible par machine.'],
    rectification: ['Adresse erronée', 'mon adresse est erronée, merci de corriger mes données.'],
    erasure: ['Suppression de mes données', 'merci de supprimer toutes mes données personnelles.'],
    restriction: ['Limitation du traitement', 'je demande la limitation du traitement de mes données.'],
    objection: ['Opposition', "je m'oppose au traitement de mes données et je retire mon consentement."],
    fallback: ['Question sur ma commande', "j'ai une question sur ma dernière commande."]
  },
  es: {
    greeting: 'Hola,', closing: 'Saludos',
    access: ['Derecho de acceso', 'solicito una copia de mis datos personales (derecho de acceso).'],
    portability: ['Portabilidad', 'solicito la portabilidad de mis datos en un formato legible por máquina.'],
    rectification: ['Dirección incorrecta', 'mi dirección es incorrecta, por favor rectifiquen mis datos.'],
    erasure: ['Supresión de mis datos', 'por favor eliminen todos mis datos personales.'],
    restriction: ['Limitación del tratamiento', 'solicito la limitación del tratamiento de mis datos.'],
    objection: ['Oposición', 'me opongo al tratamiento de mis datos y retiro mi consentimiento.'],
    fallback: ['Pregunta sobre mi pedido', 'tengo una pregunta sobre mi último pedido.']
  },
  nl: {
    greeting: 'Beste,', closing: 'Met vriendelijke groet',
    access: ['Inzageverzoek', 'ik wil graag inzage in de persoonsgegevens die u van mij heeft (inzageverzoek).'],
    portability: ['Dataportabiliteit', 'ik vraag om overdraagbaarheid van mijn gegevens in een machineleesbaar formaat.'],
    rectification: ['Verkeerd adres', 'mijn adres klopt niet, wilt u mijn gegevens corrigeren.'],
    erasure: ['Verwijdering van mijn gegevens', 'verwijder alstublieft al mijn persoonsgegevens.'],
    restriction: ['Beperking van de verwerking', 'ik verzoek om beperking van de verwerking van mijn gegevens.'],
    objection: ['Bezwaar', 'ik maak bezwaar tegen de verwerking van mijn gegevens en trek mijn toestemming in.'],
    fallback: ['Vraag over mijn bestelling', 'ik heb een vraag over mijn laatste bestelling.']
  },
  it: {
    greeting: 'Buongiorno,', closing: 'Cordiali saluti',
    access: ['Richiesta di accesso', 'chiedo una copia dei miei dati personali (diritto di accesso).'],
    portability: ['Portabilità', 'chiedo la portabilità dei miei dati in un formato leggibile da macchina.'],
    rectification: ['Indirizzo errato', 'il mio indirizzo è errato, vi prego di rettificare i miei dati.'],
    erasure: ['Cancellazione dei miei dati', 'vi chiedo di cancellare tutti i miei dati personali.'],
    restriction: ['Limitazione del trattamento', 'chiedo la limitazione del trattamento dei miei dati.'],
    objection: ['Opposizione', 'mi oppongo al trattamento dei miei dati e revoco il consenso.'],
    fallback: ['Domanda sul mio ordine', 'ho una domanda sul mio ultimo ordine.']
  }
}

export interface MailOptions {
  messageId: string
  at: Date
  subject?: string
  text?: string
  inReplyTo?: string
}

/** A ForwardEmail webhook payload: the message the requester sent to the privacy address. */
export function forwardEmailPayload(customer: Customer, options: MailOptions): Record<string, unknown> {
  return {
    messageId: options.messageId,
    from: { value: [{ address: customer.email, name: customer.name }], text: `${customer.name} <${customer.email}>` },
    to: { value: [{ address: SHOP_ADDRESS, name: '' }], text: SHOP_ADDRESS },
    subject: options.subject,
    text: options.text,
    date: options.at.toISOString(),
    ...(options.inReplyTo ? { inReplyTo: options.inReplyTo, references: [options.inReplyTo] } : {}),
    headerLines: [],
    recipients: [SHOP_ADDRESS],
    session: { arrivalTime: options.at.getTime(), recipient: SHOP_ADDRESS, sender: customer.email }
  }
}

/** The first message of a request. */
export function requestMail(customer: Customer, type: RightsType, messageId: string, at: Date): Record<string, unknown> {
  const wording = WORDING[customer.language]
  const [subject, body] = wording[type] ?? wording.fallback
  return forwardEmailPayload(customer, { messageId, at, subject, text: `${wording.greeting}\n\n${body}\n\n${wording.closing}\n${customer.name}\n` })
}

/** The requester's answer to a verification code mail: the code, above the quoted original. */
export function codeReply(customer: Customer, requestId: string, code: string, messageId: string, inReplyTo: string | undefined, at: Date): Record<string, unknown> {
  return forwardEmailPayload(customer, { messageId, at, subject: `Re: [${requestId}]`, text: `${code}\n\n${customer.name}\n\n> ${requestId}\n`, ...(inReplyTo ? { inReplyTo } : {}) })
}
