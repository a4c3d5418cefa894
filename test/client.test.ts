import t from 'tap'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createPrivacyBridgeClient } from '../src/client/index.ts'
import { buildTestApp } from './support/app.ts'

const repo = fileURLToPath(new URL('..', import.meta.url))

await t.test('the client sends the API key as a bearer token, to the base URL with its path prefix', async (t) => {
  const seen: Request[] = []
  const fetch = (request: Request) => {
    seen.push(request)
    return Promise.resolve(Response.json({ status: 'live' }))
  }
  const withKey = createPrivacyBridgeClient({ baseUrl: 'https://bridge.example.com/privacy/', apiKey: 'pbk_secret', fetch, headers: { 'x-request-id': 'desk-1' } })
  const { data } = await withKey.GET('/health/live')
  t.same(data, { status: 'live' })
  t.equal(seen[0]?.url, 'https://bridge.example.com/privacy/health/live')
  t.equal(seen[0]?.headers.get('authorization'), 'Bearer pbk_secret')
  t.equal(seen[0]?.headers.get('x-request-id'), 'desk-1')
  await createPrivacyBridgeClient({ baseUrl: 'https://bridge.example.com', fetch }).GET('/health/live')
  t.equal(seen[1]?.headers.get('authorization'), null, 'no key, no header')
})

// What an integrator gets: the package's `exports` point at the compiled client and its
// declarations, built with the build's own compiler options; a TypeScript program imports
// `odoo-privacy-bridge/client`, type-checks against it, and calls the running service.
await t.test('an integrator imports odoo-privacy-bridge/client from the built package, typed, and calls the API with it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'pb-client-'))
  t.teardown(() => {
    rmSync(dir, { recursive: true, force: true })
  })
  const installed = join(dir, 'node_modules', 'odoo-privacy-bridge')
  mkdirSync(installed, { recursive: true })
  copyFileSync(join(repo, 'package.json'), join(installed, 'package.json'))
  symlinkSync(join(repo, 'node_modules', 'openapi-fetch'), join(dir, 'node_modules', 'openapi-fetch'))
  writeFileSync(join(dir, 'tsconfig.build.json'), JSON.stringify({
    extends: join(repo, 'tsconfig.build.json'),
    compilerOptions: { rootDir: join(repo, 'src'), outDir: join(installed, 'dist'), sourceMap: false, typeRoots: [join(repo, 'node_modules', '@types')] },
    include: [],
    files: [join(repo, 'src', 'client', 'index.ts')]
  }))
  t.equal(tsc(join(dir, 'tsconfig.build.json')), '', 'the client builds as `npm run build` builds it')

  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
  writeFileSync(join(dir, 'check.ts'), `
import { createPrivacyBridgeClient } from 'odoo-privacy-bridge/client'
import type { ApiSchema } from 'odoo-privacy-bridge/client'

export async function check(baseUrl: string, apiKey: string): Promise<{ channels: string[]; refused: number }> {
  const client = createPrivacyBridgeClient({ baseUrl, apiKey })
  const { data, error } = await client.GET('/v1/retention/report')
  if (error) throw new Error(error.detail)
  const report: ApiSchema<'RetentionReport'> = data
  // @ts-expect-error: the API has no such route, and the types know it
  await client.GET('/v1/no-such-route')
  const { response } = await client.POST('/v1/keys', { body: { name: 'integrator', role: 'admin' } })
  return { channels: report.channels.map((channel) => channel.channel), refused: response.status }
}
`)
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023', 'dom'], types: [], strict: true, skipLibCheck: false, outDir: 'out' },
    files: ['check.ts']
  }))
  t.equal(tsc(join(dir, 'tsconfig.json')), '', "the integrator's program type-checks against the package's declarations")

  const ctx = await buildTestApp(t)
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  const { check } = (await import(pathToFileURL(join(dir, 'out', 'check.js')).href)) as { check: (baseUrl: string, apiKey: string) => Promise<{ channels: string[]; refused: number }> }
  const result = await check(`http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`, ctx.auth.auditor.authorization.replace('Bearer ', ''))
  t.same(result, { channels: ['amazon', 'tiktok_shop', 'etsy', 'shopify', 'ebay', 'bol', 'other'], refused: 403 })
})

/** Runs the project's TypeScript compiler on a tsconfig; its diagnostics, empty when it compiled. */
function tsc(project: string): string {
  const run = spawnSync(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { encoding: 'utf8' })
  return `${run.stdout}${run.stderr}`.trim()
}
