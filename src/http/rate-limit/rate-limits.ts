import { normalizeIP } from '@fastify/rate-limit'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Clock } from '../../clock.ts'
import type { RateLimitConfig } from '../../config/env.ts'
import type { PiiCipher } from '../../crypto/pii-cipher.ts'
import type { Pool } from '../../db/database.ts'
import { createReadCache } from '../../db/read-cache.ts'
import { domainError } from '../../errors/catalogue.ts'
import { currentWindow, takeSlot } from './rate-limit-store.ts'
import type { WindowState } from './rate-limit-store.ts'

const FIFTEEN_MINUTES = 15 * 60_000
const ONE_HOUR = 60 * 60_000

interface Limit {
  name: string
  /** 0: the limit is off. */
  max: number
  windowMs: number
  /** The start of the 429's detail: what there was too much of. */
  refusal: string
}

/**
 * The API's rate limits, counted in PostgreSQL so that they hold across every API process on the
 * database. Each refusal is a 429 problem (`urn:problem:rate-limited`) with `Retry-After` in seconds.
 */
export interface RateLimits {
  /** A failed authentication counts against the client address; past the limit the answer is 429 instead of 401. */
  countAuthFailure(request: FastifyRequest, reply: FastifyReply): Promise<void>
  /**
   * After a key was accepted: an address past its limit is refused all the same, so that a guess
   * beyond the limit learns nothing, right or wrong. Successful authentications count for nothing.
   */
  refuseFailingAddress(request: FastifyRequest, reply: FastifyReply): Promise<void>
  /** One POST of a code, counted per client address and per request. */
  countCodeConfirmation(request: FastifyRequest, reply: FastifyReply, requestId: string): Promise<void>
  /** One webhook delivery, counted per sender (by blind index), or per client address when it names none. */
  countIntakeMessage(request: FastifyRequest, reply: FastifyReply, sender: string | null): Promise<void>
}

export interface RateLimitDeps {
  pool: Pool
  clock: Clock
  cipher: Pick<PiiCipher, 'blindIndex' | 'fingerprint'>
  config: RateLimitConfig
  /**
   * How long an address's failed authentications, as read from PostgreSQL, are trusted by the
   * check every successful call makes: an address that goes over the limit on another process is
   * refused here within this time (failures themselves are always counted in PostgreSQL).
   */
  cacheMs?: number
}

export function createRateLimits(deps: RateLimitDeps): RateLimits {
  const { pool, clock, cipher, config } = deps
  const failures = createReadCache<WindowState | null>({ ttlMs: deps.cacheMs ?? 0, maxEntries: 10_000 })
  const authFailures: Limit = { name: 'auth-failures-per-address', max: config.authFailures, windowMs: FIFTEEN_MINUTES, refusal: 'Too many failed authentications from this address' }
  const confirmationsPerAddress: Limit = { name: 'code-confirmations-per-address', max: config.codeConfirmations, windowMs: FIFTEEN_MINUTES, refusal: 'Too many code confirmations from this address' }
  const confirmationsPerRequest: Limit = { name: 'code-confirmations-per-request', max: config.codeConfirmations, windowMs: FIFTEEN_MINUTES, refusal: 'Too many code confirmations for this request' }
  const intakePerSender: Limit = { name: 'intake-per-sender', max: config.intakePerSender, windowMs: ONE_HOUR, refusal: 'Too many messages from this sender' }

  // Client addresses are personal data: counters keep a keyed hash. IPv6 addresses count per /64,
  // the block one subscriber is given, as @fastify/rate-limit groups them.
  const addressKey = (request: FastifyRequest) => counterKey(normalizeIP(request.ip))
  const counterKey = (address: string) => `address:${cipher.fingerprint(`client-address:${address}`)}`

  async function take(reply: FastifyReply, limit: Limit, key: string): Promise<void> {
    if (limit.max === 0) return
    const now = clock.now()
    const counter = { limit: limit.name, key }
    if (await takeSlot(pool, counter, limit.max, now, limit.windowMs)) return
    refuse(reply, limit, (await currentWindow(pool, counter, now))?.resetsAt, now)
  }

  // The cache is keyed by the address itself, in this process's memory only, so that a cached answer costs no keyed hash.
  async function countAuthFailure(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const address = normalizeIP(request.ip)
    try {
      await take(reply, authFailures, counterKey(address))
    } finally {
      failures.forget(address)
    }
  }

  async function refuseFailingAddress(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (authFailures.max === 0) return
    const address = normalizeIP(request.ip)
    const now = clock.now()
    const window = await failures.read(address, () => currentWindow(pool, { limit: authFailures.name, key: counterKey(address) }, now))
    if (window && window.hits >= authFailures.max && window.resetsAt > now) refuse(reply, authFailures, window.resetsAt, now)
  }

  return {
    countAuthFailure,
    refuseFailingAddress,
    async countCodeConfirmation(request, reply, requestId) {
      await take(reply, confirmationsPerAddress, addressKey(request))
      await take(reply, confirmationsPerRequest, requestId)
    },
    async countIntakeMessage(request, reply, sender) {
      const index = sender ? cipher.blindIndex('email', sender) : null
      await take(reply, intakePerSender, index ? `sender:${index}` : addressKey(request))
    }
  }
}

function refuse(reply: FastifyReply, limit: Limit, resetsAt: Date | undefined, now: Date): never {
  // The window may have ended between the refused hit and this read: then try again at once.
  const seconds = resetsAt ? Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000)) : 1
  void reply.header('retry-after', String(seconds))
  throw domainError('rate_limited', limit.refusal, seconds)
}
