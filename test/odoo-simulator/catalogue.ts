import { readFileSync } from 'node:fs'
import type { FieldDef, Version } from './schema.ts'

type RecordedField = [name: string, type: string, string: string, relation: string | null, required: boolean, readonly: boolean]

const cache = new Map<Version, Record<string, RecordedField[]>>()

/**
 * The fields a real Odoo of this version listed for a model (fields_get of transcripts 160/170),
 * in the order it listed them.
 */
export function recordedFields(version: Version, model: 'res.partner' | 'sale.order'): FieldDef[] {
  let catalogue = cache.get(version)
  if (!catalogue) {
    const url = new URL(`./catalogue/odoo${version}.json`, import.meta.url)
    catalogue = JSON.parse(readFileSync(url, 'utf8')) as Record<string, RecordedField[]>
    cache.set(version, catalogue)
  }
  return (catalogue[model] ?? []).map(([name, type, string, relation, required, readonly]) => ({
    name,
    type,
    string,
    required,
    readonly,
    ...(relation ? { relation } : {}),
  }))
}
