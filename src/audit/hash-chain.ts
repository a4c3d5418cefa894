import { hash } from 'node:crypto'

export const GENESIS_HASH = '0'.repeat(64)

/** What an audit entry says, in the form that is hashed. */
export interface AuditFacts {
  at: Date
  actor: string
  action: string
  subjectType: string | null
  subjectId: string | null
  outcome: 'success' | 'failure' | 'denied'
  requestId: string | null
  details: Record<string, unknown>
}

/**
 * Each entry's hash covers the previous entry's hash and a canonical form of its own facts, so
 * editing, removing or reordering any row breaks every hash after it.
 */
export function computeAuditHash(prevHash: string, facts: AuditFacts): string {
  const canonical = JSON.stringify([
    prevHash,
    facts.at.toISOString(),
    facts.actor,
    facts.action,
    facts.subjectType,
    facts.subjectId,
    facts.outcome,
    facts.requestId,
    canonicalize(facts.details)
  ])
  // The one-shot hash: verifying the chain hashes every entry, and a Hash object per entry cost more than the hashing.
  return hash('sha256', canonical, 'hex')
}

// jsonb does not keep key order, so keys are sorted before hashing.
function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize)
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonicalize((value as Record<string, unknown>)[k])]))
  }
  return value
}
