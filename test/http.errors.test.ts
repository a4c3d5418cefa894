import t from 'tap'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import tseslint from 'typescript-eslint'
import { DomainError, domainError, ERROR_CATALOGUE, isDomainError } from '../src/errors/catalogue.ts'
import type { ErrorCode } from '../src/errors/catalogue.ts'
import { problemType, toProblem } from '../src/http/problems.ts'
import { OdooError } from '../src/odoo/errors.ts'

const codes = Object.keys(ERROR_CATALOGUE) as ErrorCode[]

await t.test('every catalogue entry has a snake_case code, a 4xx or 5xx status and a title', (t) => {
  for (const code of codes) {
    const { status, title } = ERROR_CATALOGUE[code]
    t.match(code, /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/, code)
    t.ok(Number.isInteger(status) && status >= 400 && status <= 599, `${code}: status ${status}`)
    t.ok(title.trim().length > 0, `${code}: title`)
  }
  t.end()
})

await t.test('each code is its own problem type', (t) => {
  const types = codes.map(problemType)
  t.equal(new Set(types).size, codes.length)
  t.equal(problemType('verification_code_wrong'), 'urn:problem:verification-code-wrong')
  t.end()
})

await t.test('toProblem turns a domain error into the problem details of its catalogue entry', (t) => {
  t.same(toProblem(domainError('verification_code_wrong', 2), 'req-1'), {
    type: 'urn:problem:verification-code-wrong',
    title: 'Wrong code',
    status: 422,
    detail: 'The code does not match (2 attempts left).',
    requestId: 'req-1'
  })
  t.end()
})

await t.test('a conflict carries the transitions its state allows, and only when it names them', (t) => {
  t.same(toProblem(domainError('conflict', 'A request in state completed cannot deny.', ['withdraw']), 'req-2'), {
    type: 'urn:problem:conflict',
    title: 'Conflict',
    status: 409,
    detail: 'A request in state completed cannot deny.',
    requestId: 'req-2',
    allowed: ['withdraw']
  })
  t.notOk('allowed' in toProblem(domainError('conflict', 'The request has no type yet.'), 'req-3'))
  t.end()
})

await t.test("Odoo's failures become 503 when worth retrying and 502 otherwise, at the edge", (t) => {
  t.match(toProblem(new OdooError('unavailable', 'Odoo did not answer'), 'r'), { type: 'urn:problem:odoo-unavailable', status: 503, detail: 'Odoo did not answer; try again shortly.' })
  t.match(toProblem(new OdooError('access', 'AccessError on res.partner.write'), 'r'), { type: 'urn:problem:odoo', status: 502, detail: 'AccessError on res.partner.write' })
  t.end()
})

await t.test('anything else is a 500 that tells nothing of what was thrown', (t) => {
  t.same(toProblem(new Error('password=hunter2'), 'r'), {
    type: 'urn:problem:internal',
    title: 'Internal Server Error',
    status: 500,
    detail: 'An unexpected error occurred; it has been logged with this request id.',
    requestId: 'r'
  })
  t.end()
})

await t.test('isDomainError tells a domain error apart, by code when codes are given', (t) => {
  const expired = domainError('verification_code_expired')
  t.ok(expired instanceof DomainError)
  t.ok(isDomainError(expired))
  t.ok(isDomainError(expired, 'verification_code_wrong', 'verification_code_expired'))
  t.notOk(isDomainError(expired, 'verification_code_wrong'))
  t.notOk(isDomainError(new Error('verification_code_expired')))
  t.end()
})

await t.test('every problem type the OpenAPI document names is a catalogue code', (t) => {
  const document = readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8')
  const named = new Set([...document.matchAll(/urn:problem:([a-z0-9-]+)/g)].map((match) => match[1]))
  t.ok(named.size > 5, 'the document names problem types')
  const known = new Set(codes.map(problemType))
  t.same([...named].filter((type) => !known.has(`urn:problem:${type}`)), [])
  t.end()
})

await t.test('lint refuses a domain module that imports from an http/ folder', async (t) => {
  // The probes are not files of the TypeScript project, so typed rules cannot run on them; the import rule needs no types.
  const eslint = new ESLint({ cwd: fileURLToPath(new URL('..', import.meta.url)), overrideConfig: tseslint.configs.disableTypeChecked })
  const lint = async (filePath: string, source: string) => (await eslint.lintText(source, { filePath }))[0]?.messages.map((message) => message.ruleId) ?? []
  t.same(await lint('src/rights/probe.ts', "import { toProblem } from '../http/problems.ts'\nexport const probe = toProblem\n"), ['no-restricted-imports'])
  t.same(await lint('src/intake/probe.ts', "import { forwardEmailRoute } from './http/forwardemail-route.ts'\nexport const probe = forwardEmailRoute\n"), ['no-restricted-imports'])
  t.same(await lint('src/rights/http/probe.ts', "import { toProblem } from '../../http/problems.ts'\nexport const probe = toProblem\n"), [])
})
