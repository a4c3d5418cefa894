/**
 * How Odoo reads the addresses in an e-mail field, for computed fields such as
 * `res.partner.email_normalized`: `odoo/tools/mail.py` (`email_split_tuples`, `email_split`,
 * `email_normalize`) over Python's `email.utils.getaddresses`, whose parser
 * (`email._parseaddr.AddrlistClass`, Python 3.11) is ported here line by line. Python's newer
 * strict mode (3.13, backported to some 3.12 builds) refuses some malformed fields that this
 * parser reads; well-formed fields parse the same under both.
 */
import { isAscii as isAsciiBytes } from 'node:buffer'

/** `tools.email_normalize(text, strict)`: the first address found, ASCII local part and domain lower-cased; false when none. */
export function emailNormalize(text: string | false, options: { strict: boolean }): string | false {
  const emails = emailSplit(text)
  if (emails.length === 0 || (options.strict && emails.length !== 1)) return false
  const address = emails[0] as string
  const at = address.lastIndexOf('@')
  const local = address.slice(0, Math.max(at, 0))
  const domain = address.slice(at + 1)
  // Python's str.rpartition('@') always finds one here: email_split keeps only addresses with an '@'.
  return `${isAscii(local) ? local.toLowerCase() : local}@${domain.toLowerCase()}`
}

/** `tools.email_split(text)`: the addresses found in a field. */
export function emailSplit(text: string | false): string[] {
  return emailSplitTuples(text).map(([, email]) => email)
}

// tools.email_re: what Odoo falls back to when the parser returns a bare '@domain'.
const EMAIL_RE = /[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}/g

function emailSplitTuples(text: string | false): [string, string][] {
  if (!text) return []
  let pairs = getaddresses(text).filter(([, email]) => email && email.includes('@'))
  // Odoo's corner case for '@gmail.com'-like results: it searches the text for addresses instead.
  if (pairs.some(([, email]) => email.startsWith('@'))) {
    const found = (text.match(EMAIL_RE) ?? []).filter((email) => !email.startsWith('@'))
    if (found.length > 0) pairs = found.map((email) => ['', email])
  }
  return pairs.map(parseBasedOnSpaces)
}

/** 'name email@domain.com' (no angle brackets) parses as one address with a space: Odoo reparses it with commas. */
function parseBasedOnSpaces(pair: [string, string]): [string, string] {
  const [name, email] = pair
  if (name || !email || !email.includes(' ')) return pair
  const names: string[] = []
  let found: string | false = false
  for (const [, inner] of getaddresses(email.replaceAll(' ', ','))) {
    if (inner && !inner.includes('@')) names.push(inner)
    if (inner && inner.includes('@')) found = inner
  }
  return found ? [names.join(' '), found] : pair
}

// Python's str.isascii(): any other character takes a byte above 127 in UTF-8.
const isAscii = (text: string): boolean => isAsciiBytes(Buffer.from(text))

/** `email.utils.getaddresses([field])`: (real name, address) pairs; ('', '') for what does not parse. */
export function getaddresses(field: string): [string, string][] {
  return field ? new AddressParser(field).addressList() : []
}

const SPECIALS = '()<>@,:;."[]'
const LWS = ' \t'
const CR = '\r\n'
const FWS = LWS + CR
const ATOM_ENDS = SPECIALS + LWS + CR
// RFC 2822 allows '.' in phrases (obs-phrase).
const PHRASE_ENDS = ATOM_ENDS.replace('.', '')

// Specials are all ASCII, so walking UTF-16 units finds the same boundaries as Python's code points.
class AddressParser {
  private pos = 0
  private comments: string[] = []
  private readonly field: string

  constructor(field: string) {
    this.field = field
  }

  private get char(): string {
    return this.field[this.pos] ?? ''
  }

  // A method, not a getter: TypeScript would take a getter's value as fixed while the parser moves on.
  private atEnd(): boolean {
    return this.pos >= this.field.length
  }

  addressList(): [string, string][] {
    const result: [string, string][] = []
    while (!this.atEnd()) {
      const address = this.address()
      if (address.length > 0) result.push(...address)
      else result.push(['', ''])
    }
    return result
  }

  /** Skips white space and collects comments; returns the white space skipped (without CR/LF). */
  private skipSpace(): string {
    let ws = ''
    while (!this.atEnd()) {
      if ((LWS + '\n\r').includes(this.char)) {
        if (!'\n\r'.includes(this.char)) ws += this.char
        this.pos += 1
      } else if (this.char === '(') {
        this.comments.push(this.comment())
      } else {
        break
      }
    }
    return ws
  }

  private address(): [string, string][] {
    this.comments = []
    this.skipSpace()
    const oldPos = this.pos
    const oldComments = this.comments
    const phrases = this.phraseList()
    this.skipSpace()
    let result: [string, string][] = []
    if (this.atEnd()) {
      if (phrases.length > 0) result = [[this.comments.join(' '), phrases[0] as string]]
    } else if ('.@'.includes(this.char)) {
      this.pos = oldPos
      this.comments = oldComments
      const spec = this.addrSpec()
      result = [[this.comments.join(' '), spec]]
    } else if (this.char === ':') {
      // a group: its members are the addresses
      this.pos += 1
      while (!this.atEnd()) {
        this.skipSpace()
        if (!this.atEnd() && this.field[this.pos] === ';') {
          this.pos += 1
          break
        }
        result = [...result, ...this.address()]
      }
    } else if (this.char === '<') {
      const route = this.routeAddr()
      const name = phrases.join(' ')
      result = [[this.comments.length > 0 ? `${name} (${this.comments.join(' ')})` : name, route]]
    } else if (phrases.length > 0) {
      result = [[this.comments.join(' '), phrases[0] as string]]
    } else if (SPECIALS.includes(this.char)) {
      this.pos += 1
    }
    this.skipSpace()
    if (!this.atEnd() && this.char === ',') this.pos += 1
    return result
  }

  private routeAddr(): string {
    let expectRoute = false
    this.pos += 1
    this.skipSpace()
    let spec = ''
    while (!this.atEnd()) {
      if (expectRoute) {
        this.domain()
        expectRoute = false
      } else if (this.char === '>') {
        this.pos += 1
        break
      } else if (this.char === '@') {
        this.pos += 1
        expectRoute = true
      } else if (this.char === ':') {
        this.pos += 1
      } else {
        spec = this.addrSpec()
        this.pos += 1
        break
      }
      this.skipSpace()
    }
    return spec
  }

  private addrSpec(): string {
    const parts: string[] = []
    const dropTrailingSpace = () => {
      if (parts.length > 0 && !(parts.at(-1) as string).trim()) parts.pop()
    }
    this.skipSpace()
    while (!this.atEnd()) {
      let preserveSpace = true
      if (this.char === '.') {
        dropTrailingSpace()
        parts.push('.')
        this.pos += 1
        preserveSpace = false
      } else if (this.char === '"') {
        parts.push(`"${this.quote().replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`)
      } else if (ATOM_ENDS.includes(this.char)) {
        dropTrailingSpace()
        break
      } else {
        parts.push(this.atom(ATOM_ENDS))
      }
      const ws = this.skipSpace()
      if (preserveSpace && ws) parts.push(ws)
    }
    if (this.atEnd() || this.char !== '@') return parts.join('')
    parts.push('@')
    this.pos += 1
    this.skipSpace()
    const domain = this.domain()
    // an invalid domain makes the whole address empty rather than a bare local part
    return domain ? parts.join('') + domain : ''
  }

  private domain(): string {
    const parts: string[] = []
    while (!this.atEnd()) {
      if (LWS.includes(this.char)) {
        this.pos += 1
      } else if (this.char === '(') {
        this.comments.push(this.comment())
      } else if (this.char === '[') {
        parts.push(`[${this.delimited('[', ']\r', false)}]`)
      } else if (this.char === '.') {
        this.pos += 1
        parts.push('.')
      } else if (this.char === '@') {
        // bpo-34155: a second '@' (`a@malicious.org@important.com`) is no domain at all
        return ''
      } else if (ATOM_ENDS.includes(this.char)) {
        break
      } else {
        parts.push(this.atom(ATOM_ENDS))
      }
    }
    return parts.join('')
  }

  private delimited(begin: string, ends: string, allowComments: boolean): string {
    if (this.char !== begin) return ''
    let text = ''
    let quoted = false
    this.pos += 1
    while (!this.atEnd()) {
      if (quoted) {
        text += this.char
        quoted = false
      } else if (ends.includes(this.char)) {
        this.pos += 1
        break
      } else if (allowComments && this.char === '(') {
        text += this.comment()
        continue
      } else if (this.char === '\\') {
        quoted = true
      } else {
        text += this.char
      }
      this.pos += 1
    }
    return text
  }

  private quote(): string {
    return this.delimited('"', '"\r', false)
  }

  private comment(): string {
    return this.delimited('(', ')\r', true)
  }

  private atom(ends: string): string {
    let atom = ''
    while (!this.atEnd() && !ends.includes(this.char)) {
      atom += this.char
      this.pos += 1
    }
    return atom
  }

  private phraseList(): string[] {
    const phrases: string[] = []
    while (!this.atEnd()) {
      if (FWS.includes(this.char)) this.pos += 1
      else if (this.char === '"') phrases.push(this.quote())
      else if (this.char === '(') this.comments.push(this.comment())
      else if (PHRASE_ENDS.includes(this.char)) break
      else phrases.push(this.atom(PHRASE_ENDS))
    }
    return phrases
  }
}
