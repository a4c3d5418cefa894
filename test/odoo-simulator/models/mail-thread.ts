import type { FieldDef, RecordSource, Row } from '../schema.ts'

/** Chatter messages of a record: mail.message rows pointing at it by (model, res_id). */
export function threadMessageIds(source: RecordSource, model: string, resId: number): number[] {
  const ids: number[] = []
  for (const message of source.rows('mail.message')) {
    if (message.model === model && message.res_id === resId) ids.push(message.id)
  }
  return ids.sort((a, b) => b - a)
}

/** The message_ids field every mail.thread model has. */
export function messageIdsRefinement(model: string): Partial<FieldDef> {
  return { compute: (row: Row, source: RecordSource) => threadMessageIds(source, model, row.id) }
}
