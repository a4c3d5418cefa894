import t from 'tap'
import { readFileSync } from 'node:fs'
import { Validator } from '@seriousme/openapi-schema-validator'
import { z } from 'zod'
import { generateOpenApiDocument } from '../src/http/openapi-document.ts'
import { capturedLogger } from './support/logs.ts'

const { log } = capturedLogger()
// Generated once, as `npm run openapi` does: zod's schema registry is process-wide, so a second
// generation in the same process lists shared components in another order.
const generated = generateOpenApiDocument(log)

/** The part of an OpenAPI document this file checks: each path's operations. */
const operationsByPathSchema = z.object({
  paths: z.record(z.string(), z.record(z.string(), z.object({ summary: z.string().optional(), tags: z.array(z.string()).optional(), security: z.array(z.unknown()).optional(), responses: z.record(z.string(), z.unknown()) })))
})

await t.test('the generated document is valid OpenAPI 3.1', async (t) => {
  const document = z.record(z.string(), z.unknown()).parse(JSON.parse(await generated))
  const validator = new Validator()
  const result = await validator.validate(document)
  t.same(result.errors ?? [], [], 'no schema errors')
  t.equal(result.valid, true)
  t.equal(validator.version, '3.1')
})

await t.test('the committed openapi/openapi.json is what the code generates', async (t) => {
  const committed = readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8')
  t.equal(committed, await generated, 'run `npm run openapi` after changing a route')
})

await t.test('every operation is documented, and every protected one declares the API key and its errors', async (t) => {
  const document = operationsByPathSchema.parse(JSON.parse(await generated))
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation }))
  )
  t.ok(operations.length > 20)
  for (const { name, operation } of operations) {
    t.ok(operation.summary && operation.tags?.length, `${name} has a summary and a tag`)
    // Odoo's webhook and ForwardEmail's authenticate with a token in the path and a signature.
    if (name.includes('/v1/') && !name.includes('/webhook/') && !name.includes('/intake/')) {
      t.same(operation.security, [{ apiKey: [] }], `${name} needs an API key`)
      t.ok(operation.responses['401'] && operation.responses['403'], `${name} documents 401 and 403`)
    }
  }
})
