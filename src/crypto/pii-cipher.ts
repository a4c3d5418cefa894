import { createCipheriv, createDecipheriv, createHash, createHmac, createSecretKey, hkdfSync, randomBytes } from 'node:crypto'
import type { KeyObject } from 'node:crypto'

/**
 * AES-256-GCM encryption of personal data, done by the service so the database never holds it in
 * clear. Each value carries the id of the key that sealed it, so keys can rotate: the current key
 * seals, previous keys still open, and `privacy-bridge keys rotate-data` re-seals old values.
 * The associated data binds a value to its place (`partner:42:email`): a ciphertext copied to
 * another row or column does not open.
 */
export interface PiiCipher {
  readonly currentKeyId: string
  seal(plain: string, place: string): string
  open(sealed: string, place: string): string
  /** True when the value was sealed with a key other than the current one. */
  isStale(sealed: string): boolean
  /** Keyed hashes of the normalized value, one per known key, current first (for lookups). */
  blindIndexes(kind: BlindIndexKind, value: string): string[]
  /** The keyed hash under the current key, stored beside the value; null when nothing is left after normalizing. */
  blindIndex(kind: BlindIndexKind, value: string): string | null
  /** A keyed hash of a whole record, to tell whether its content changed without storing it in clear. */
  fingerprint(content: string): string
  /** The keyed hashes of `content` under every known key, current first (to recognise one made before a rotation). */
  fingerprints(content: string): string[]
}

export type BlindIndexKind = 'email' | 'phone'

export class PiiCipherError extends Error {
  override name = 'PiiCipherError'
}

const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16

// KeyObjects, made once: handing raw buffers to every cipher and HMAC costs a key import per call.
interface Key {
  id: string
  encryption: KeyObject
  index: KeyObject
}

export function createPiiCipher(keys: { current: Buffer; previous?: readonly Buffer[] }): PiiCipher {
  const current = deriveKey(keys.current)
  const byId = new Map([current, ...(keys.previous ?? []).map(deriveKey)].map((key) => [key.id, key]))

  const ivs = createIvSource()

  function seal(plain: string, place: string): string {
    const iv = ivs()
    const cipher = createCipheriv('aes-256-gcm', current.encryption, iv)
    cipher.setAAD(Buffer.from(place))
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()])
    return [VERSION, current.id, iv.toString('base64url'), body.toString('base64url')].join('.')
  }

  function open(sealed: string, place: string): string {
    const [version, keyId, iv, body] = sealed.split('.')
    if (version !== VERSION || !keyId || !iv || !body) throw new PiiCipherError('not a sealed value')
    const key = byId.get(keyId)
    if (!key) throw new PiiCipherError(`sealed with unknown key ${keyId}: add that key to PII_PREVIOUS_KEYS`)
    const bytes = Buffer.from(body, 'base64url')
    const decipher = createDecipheriv('aes-256-gcm', key.encryption, Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(place))
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
    try {
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8')
    } catch {
      throw new PiiCipherError(`sealed value for ${place.split(':')[0]} does not authenticate (tampered or moved)`)
    }
  }

  function blindIndexUnder(key: Key, kind: BlindIndexKind, value: string): string | null {
    const normalized = normalizeForIndex(kind, value)
    return normalized ? createHmac('sha256', key.index).update(`${kind}:${normalized}`).digest('hex') : null
  }

  const fingerprintUnder = (key: Key, content: string) => createHmac('sha256', key.index).update(`record:${content}`).digest('hex')

  return {
    currentKeyId: current.id,
    seal,
    open,
    isStale: (sealed) => sealed.split('.')[1] !== current.id,
    blindIndex: (kind, value) => blindIndexUnder(current, kind, value),
    fingerprint: (content) => fingerprintUnder(current, content),
    fingerprints: (content) => [...byId.values()].map((key) => fingerprintUnder(key, content)),
    blindIndexes: (kind, value) => [...byId.values()].map((key) => blindIndexUnder(key, kind, value)).filter((h): h is string => h !== null)
  }
}

// Random 96-bit IVs drawn from a pooled buffer: one system call per 1,024 values instead of one each.
function createIvSource(): () => Buffer {
  const POOL = 1024
  let pool = randomBytes(IV_BYTES * POOL)
  let next = 0
  return () => {
    if (next === POOL) {
      pool = randomBytes(IV_BYTES * POOL)
      next = 0
    }
    const iv = pool.subarray(next * IV_BYTES, (next + 1) * IV_BYTES)
    next += 1
    return iv
  }
}

/** Separate keys for sealing and for blind indexes, derived from one configured secret. */
function deriveKey(secret: Buffer): Key {
  if (secret.length !== 32) throw new PiiCipherError('PII keys must be 32 bytes')
  return {
    id: createHash('sha256').update('odoo-privacy-bridge/key-id/').update(secret).digest('hex').slice(0, 8),
    encryption: createSecretKey(Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'odoo-privacy-bridge/pii-encryption', 32))),
    index: createSecretKey(Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'odoo-privacy-bridge/blind-index', 32)))
  }
}

/**
 * E-mail: trimmed and lower-cased. Phone: digits only, an international `00` prefix read as `+`,
 * so `+49 170 123`, `0049170123` and `+49-170-123` meet. A national number without its country
 * code (`0170 123`) is a different value: Odoo holds what the marketplace sent, usually international.
 */
export function normalizeForIndex(kind: BlindIndexKind, value: string): string {
  if (kind === 'email') return value.trim().toLowerCase()
  const digits = value.replace(/[^\d+]/g, '').replace(/^00/, '+')
  return digits.replace(/(?!^)\+/g, '').replace(/^\+/, '')
}
