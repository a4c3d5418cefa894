import type { DenialReason, Jurisdiction, RequestType } from '../request-types.ts'
import type { MessageKind, RetentionReasonCode } from '../message-templates.ts'

/*
 * What every language says: one module per language (`en.ts`, `de.ts`, …) fills this in, and
 * `../message-templates.ts` builds the messages from it. Dates, counts and lists reach a phrase
 * already formatted for its language.
 */

type ExportType = 'access' | 'portability' | 'ccpa_know'
export type FieldName = 'name' | 'email' | 'phone' | 'mobile' | 'street' | 'street2' | 'zip' | 'city' | 'state' | 'country' | 'vat' | 'company_name'

export interface Phrases {
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
