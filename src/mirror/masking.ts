/**
 * What an agent sees of a person in lists and summaries: enough to recognise the right customer,
 * not enough to copy their data (`j***@e***.com`, `+49 *** *** 12`, `J.`).
 */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.trim().split('@')
  const dot = domain.lastIndexOf('.')
  const host = dot > 0 ? domain.slice(0, dot) : domain
  const tld = dot > 0 ? domain.slice(dot) : ''
  return `${initial(local)}***@${initial(host)}***${tld}`
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  if (digits.length <= 4) return '***'
  const prefix = phone.trim().startsWith('+') ? `+${digits.slice(0, 2)} ` : ''
  return `${prefix}*** *** ${digits.slice(-2)}`
}

/** Each word of a name reduced to its first letter: `Jane Doe` → `J. D.`. */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => `${initial(word)}.`)
    .join(' ')
}

/** Street, zip, city: only whether something is held. */
export function maskText(value: string): string {
  return value.trim() ? '***' : ''
}

// The first character as a reader sees it: a letter with its combining accents, a whole emoji.
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

function initial(text: string): string {
  return graphemes.segment(text).containing(0)?.segment ?? ''
}
