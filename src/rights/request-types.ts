import { z } from 'zod'

export const requestTypeSchema = z
  .enum(['access', 'portability', 'rectification', 'erasure', 'restriction', 'objection', 'ccpa_know', 'ccpa_delete', 'ccpa_opt_out', 'unclassified'])
  .meta({
    id: 'RequestType',
    description:
      'The right exercised: access (GDPR Art. 15), portability (Art. 20), rectification (Art. 16), erasure (Art. 17), restriction (Art. 18), ' +
      'objection or withdrawal of consent (Art. 21, 7(3)); under the CCPA: know (§1798.110), delete (§1798.105), opt-out of sale or sharing (§1798.120). ' +
      '`unclassified`: an e-mail the service could not classify with confidence; an agent sets the type (PATCH) before fulfilment.'
  })
export type RequestType = z.infer<typeof requestTypeSchema>

export const jurisdictionSchema = z
  .enum(['gdpr', 'ccpa', 'other'])
  .meta({ id: 'Jurisdiction', description: 'The law whose clock applies: GDPR (one month), CCPA (45 days), or other (the configured number of days).' })
export type Jurisdiction = z.infer<typeof jurisdictionSchema>

export const requestStateSchema = z
  .enum(['received', 'awaiting_verification', 'verified', 'in_progress', 'completed', 'denied', 'withdrawn'])
  .meta({
    id: 'RequestState',
    description:
      'received → awaiting_verification (code sent) → verified → in_progress → completed; any open request may be denied or withdrawn. ' +
      'completed, denied and withdrawn are final.'
  })
export type RequestState = z.infer<typeof requestStateSchema>

export const denialReasonSchema = z
  .enum(['identity_not_verified', 'agent_not_authorised', 'manifestly_unfounded', 'excessive', 'legal_obligation_to_retain', 'legal_claims', 'rights_of_others', 'right_does_not_apply'])
  .meta({
    id: 'DenialReason',
    description: [
      'Why a request is refused; the answer to the requester gives the reason in words and mentions the right to complain (GDPR Art. 12(4)).',
      'identity_not_verified: the requester could not be verified to the degree required (GDPR Art. 12(6), 11(2); CCPA regulations §7060–§7062).',
      "agent_not_authorised: an agent acting for the subject showed no signed permission (CCPA regulations §7063).",
      'manifestly_unfounded: the request is manifestly unfounded, e.g. made only to disrupt (GDPR Art. 12(5)(b)).',
      'excessive: the request is excessive, in particular repetitive (GDPR Art. 12(5)(b)).',
      'legal_obligation_to_retain: the law requires the data to be kept, e.g. tax invoices (GDPR Art. 17(3)(b); CCPA §1798.105(d)).',
      'legal_claims: the data is needed to establish, exercise or defend legal claims (GDPR Art. 17(3)(e), 18(2), 21(1)).',
      'rights_of_others: answering would adversely affect the rights and freedoms of others (GDPR Art. 15(4), 20(4)).',
      'right_does_not_apply: the right does not cover this processing, e.g. portability of data not processed on consent or contract (GDPR Art. 20(1)), objection to processing not based on Art. 6(1)(e) or (f) (Art. 21(1)).'
    ].join('\n')
  })
export type DenialReason = z.infer<typeof denialReasonSchema>

/** The jurisdiction a request type implies: the ccpa_* rights exist only under the CCPA; the others do not decide it. */
export function jurisdictionOfType(type: RequestType): Jurisdiction | null {
  return type.startsWith('ccpa_') ? 'ccpa' : null
}
