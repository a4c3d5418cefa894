import { accessError } from '../errors.ts'
import { userGroupsField } from '../models/security.ts'
import type { Json } from '../python.ts'
import type { ModelDef, RecordSource, Row, Version } from '../schema.ts'
import type { ModelRegistry } from './fields.ts'

export type Operation = 'read' | 'write' | 'create' | 'unlink'

export const OPERATIONS: readonly Operation[] = ['read', 'write', 'create', 'unlink']

/** The superuser (uid 1, `__system__`) bypasses access rights, as `env.su` does. */
const SUPERUSER_UID = 1

/**
 * Odoo's access rights (ir.model.access) as stored in the simulated database, so that what an
 * admin grants or removes over RPC takes effect on the next call: a user may do an operation on a
 * model when an active row of that model grants it to one of the user's groups (implied groups
 * included) or to every user (no group). Record rules (ir.rule) are not simulated.
 */
export class AccessRules {
  readonly #version: Version
  readonly #source: RecordSource

  constructor(version: Version, source: RecordSource) {
    this.#version = version
    this.#source = source
  }

  allowed(uid: number, model: string, operation: Operation): boolean {
    if (uid === SUPERUSER_UID) return true
    const groups = this.groupsOf(uid)
    return this.#rows(model, operation).some((row) => row.group_id === false || groups.has(row.group_id as number))
  }

  /** ir.model.access.check with raise_exception: the AccessError lists the groups that may. */
  check(uid: number, def: ModelDef, operation: Operation): void {
    if (!this.allowed(uid, def.name, operation)) throw accessError(def.description, def.name, operation, this.#groupNames(def.name, operation))
  }

  /** The user's groups and, transitively, the groups they imply. */
  groupsOf(uid: number): Set<number> {
    const user = this.#source.get('res.users', uid)
    const direct = user?.[userGroupsField(this.#version)]
    const groups = new Set<number>()
    const queue = Array.isArray(direct) ? [...direct] : []
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      if (groups.has(id)) continue
      groups.add(id)
      const implied = this.#source.get('res.groups', id)?.implied_ids
      if (Array.isArray(implied)) queue.push(...implied)
    }
    return groups
  }

  #rows(model: string, operation: Operation): Row[] {
    const modelIds = new Set<number>()
    for (const row of this.#source.rows('ir.model')) if (row.model === model) modelIds.add(row.id)
    const rows: Row[] = []
    for (const row of this.#source.rows('ir.model.access')) {
      if (row.active !== false && row[`perm_${operation}`] === true && modelIds.has(row.model_id as number)) rows.push(row)
    }
    return rows
  }

  /** group_names_with_access: "Category/Name", ordered by category (none last), then name. */
  #groupNames(model: string, operation: Operation): string[] {
    const named = this.#rows(model, operation).flatMap((row) => {
      const group = typeof row.group_id === 'number' ? this.#source.get('res.groups', row.group_id) : undefined
      if (!group) return []
      const category = typeof group.category_id === 'number' ? this.#source.get('ir.module.category', group.category_id) : undefined
      return [{ category: typeof category?.name === 'string' ? category.name : null, name: String(group.name) }]
    })
    named.sort((a, b) => {
      if (a.category !== b.category) {
        if (a.category === null) return 1
        if (b.category === null) return -1
        return a.category.localeCompare(b.category, 'en')
      }
      return a.name.localeCompare(b.name, 'en')
    })
    return named.map(({ category, name }) => (category === null ? name : `${category}/${name}`))
  }
}

/**
 * The models a domain reaches through dotted paths (`mail_message_id.model`): Odoo searches each of
 * them as the caller, so the caller needs read access on them too.
 */
export function modelsTraversed(domain: Json, def: ModelDef, registry: ModelRegistry): ModelDef[] {
  if (!Array.isArray(domain)) return []
  const reached = new Map<string, ModelDef>()
  for (const leaf of domain) {
    if (!Array.isArray(leaf) || typeof leaf[0] !== 'string' || !leaf[0].includes('.')) continue
    let owner: ModelDef | undefined = def
    for (const name of leaf[0].split('.').slice(0, -1)) {
      const relation: string | undefined = owner.fields.get(name)?.relation
      owner = relation ? registry.model(relation) : undefined
      if (!owner) break
      reached.set(owner.name, owner)
    }
  }
  return [...reached.values()]
}
