import type { Phrases } from './phrases.ts'

export const en: Phrases = {
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
