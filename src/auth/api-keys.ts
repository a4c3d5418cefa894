import { hash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Clock } from '../clock.ts'
import type { Pool } from '../db/database.ts'
import { createReadCache } from '../db/read-cache.ts'
import type { Role } from './roles.ts'

export interface ApiKey {
  id: string
  name: string
  role: Role
  createdAt: Date
  revokedAt: Date | null
}

export interface CreatedApiKey extends ApiKey {
  /** The full key: shown once, never stored. */
  secret: string
}

export interface ApiKeys {
  create(input: { name: string; role: Role }): Promise<CreatedApiKey>
  authenticate(presented: string): Promise<ApiKey | undefined>
  list(): Promise<ApiKey[]>
  revoke(id: string): Promise<ApiKey | undefined>
}

// `pbk_<id>_<secret>`: the id finds the row, the secret is compared as a hash in constant time.
const KEY_PATTERN = /^pbk_([0-9a-f]{12})_([\w-]{43})$/

/**
 * `cacheMs`: how long a key read from the database is trusted without reading it again (0: never).
 * A revocation through this object takes effect at once; one made by another process (another API
 * replica, `privacy-bridge keys revoke`) within `cacheMs`.
 */
export function createApiKeys(deps: { pool: Pool; clock: Clock; cacheMs?: number }): ApiKeys {
  const { pool, clock } = deps
  // Only keys found enter, so the cache holds at most as many entries as there are keys.
  const activeKeys = createReadCache<KeyRow | undefined>({ ttlMs: deps.cacheMs ?? 0, maxEntries: 10_000, keep: (row) => row !== undefined })

  async function create(input: { name: string; role: Role }): Promise<CreatedApiKey> {
    const id = randomBytes(6).toString('hex')
    const secretPart = randomBytes(32).toString('base64url')
    const result = await pool.query<KeyRow>(
      'INSERT INTO api_keys (id, name, role, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [id, input.name, input.role, hashSecret(secretPart), clock.now()]
    )
    return { ...toApiKey(firstRow(result.rows)), secret: `pbk_${id}_${secretPart}` }
  }

  async function authenticate(presented: string): Promise<ApiKey | undefined> {
    const match = KEY_PATTERN.exec(presented)
    if (!match) return undefined
    const [, id, secretPart] = match as unknown as [string, string, string]
    const row = await activeKeys.read(id, () => readActiveKey(id))
    if (!row || !timingSafeEqual(row.secret_hash, hashSecret(secretPart))) return undefined
    return toApiKey(row)
  }

  async function readActiveKey(id: string): Promise<KeyRow | undefined> {
    const result = await pool.query<KeyRow>('SELECT * FROM api_keys WHERE id = $1 AND revoked_at IS NULL', [id])
    return result.rows[0]
  }

  async function list(): Promise<ApiKey[]> {
    const result = await pool.query<KeyRow>('SELECT * FROM api_keys ORDER BY created_at, id')
    return result.rows.map(toApiKey)
  }

  async function revoke(id: string): Promise<ApiKey | undefined> {
    const result = await pool.query<KeyRow>(
      'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING *',
      [id, clock.now()]
    )
    activeKeys.forget(id)
    return result.rows[0] ? toApiKey(result.rows[0]) : undefined
  }

  return { create, authenticate, list, revoke }
}

// The secret is 256 random bits, so a fast hash is enough: there is nothing to brute-force.
function hashSecret(secret: string): Buffer {
  return hash('sha256', secret, 'buffer')
}

interface KeyRow {
  id: string
  name: string
  role: Role
  secret_hash: Buffer
  created_at: Date
  revoked_at: Date | null
}

function firstRow(rows: KeyRow[]): KeyRow {
  const row = rows[0]
  if (!row) throw new Error('INSERT … RETURNING returned no row')
  return row
}

function toApiKey(row: KeyRow): ApiKey {
  return { id: row.id, name: row.name, role: row.role, createdAt: row.created_at, revokedAt: row.revoked_at }
}
