import { z } from 'zod'

/**
 * admin: configuration, keys, policies. agent: rights requests and masked order views.
 * auditor: read-only audit trail and reports.
 */
export const roleSchema = z.enum(['admin', 'agent', 'auditor']).meta({ id: 'Role', description: 'What a key may do.' })
export type Role = z.infer<typeof roleSchema>
