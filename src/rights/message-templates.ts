import type { Language } from './languages.ts'
import type { DenialReason, Jurisdiction, RequestType } from './request-types.ts'
import { PHRASES_BY_LANGUAGE } from './templates/by-language.ts'
import type { FieldName, Phrases } from './templates/phrases.ts'

/*
 * The e-mails the service sends to requesters, in six languages, as plain text and HTML. Pure:
 * no I/O, no clock. What each language says lives in `templates/`, one module per language; this
 * module chooses the phrases and renders them. A message carries ids, dates, counts and codes
 * only; the requester's own personal data (addresses, order contents) never goes into it. Every
 * message is built once as a list of blocks; the text and HTML are two renderings of the same
 * blocks, and the HTML rendering escapes every string it writes, so nothing interpolated can
 * inject markup.
 */

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
  const phrases = PHRASES_BY_LANGUAGE[language]
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
