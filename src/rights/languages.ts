import { z } from 'zod'

/*
 * The languages the service speaks: the language a requester writes in (detected from an e-mail,
 * or given to the API) is the language of every message sent back. Each has its phrases in
 * `templates/` and its classifier patterns in `../intake/patterns/`.
 */

export const languageSchema = z
  .enum(['en', 'de', 'fr', 'es', 'nl', 'it'])
  .meta({ id: 'Language', description: 'The language of the messages sent to the requester: English, German, French, Spanish, Dutch or Italian.' })
export type Language = z.infer<typeof languageSchema>
