import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { buildTestApp } from './support/app.ts'

/** A console as Vite builds it: the page, and assets named by their content. */
function builtConsole(t: Parameters<typeof buildTestApp>[0]): string {
  const dir = mkdtempSync(join(tmpdir(), 'console-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }); })
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Privacy desk</title><script type="module" src="/console/assets/index-abc123.js"></script>')
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("desk")')
  return dir
}

await t.test('the console is served at /console/ under the Content-Security-Policy, its page revalidated and its assets cached for good', async (t) => {
  const { app } = await buildTestApp(t, { consoleDir: builtConsole(t) })
  const page = await app.inject({ url: '/console/' })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  t.match(page.body, /Privacy desk/)
  t.match(page.headers['content-security-policy'], /script-src 'self'/)
  t.match(page.headers['content-security-policy'], /script-src-attr 'none'/)
  t.equal(page.headers['cache-control'], 'no-cache')
  const asset = await app.inject({ url: '/console/assets/index-abc123.js' })
  t.equal(asset.statusCode, 200)
  t.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable')
  const bare = await app.inject({ url: '/console' })
  t.equal(bare.statusCode, 301)
  t.equal(bare.headers.location, '/console/')
  t.equal((await app.inject({ url: '/console/nothing.js' })).statusCode, 404)
  t.notMatch(JSON.stringify(app.swagger()), /console/, 'the console is no operation of the API')
})

await t.test('without a build, /console says how to build it', async (t) => {
  const { app } = await buildTestApp(t, { consoleDir: join(tmpdir(), 'no-console-here') })
  for (const url of ['/console', '/console/']) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 404, url)
    t.match(res.json(), { type: 'urn:problem:not-found', detail: /npm run build/ })
  }
})
