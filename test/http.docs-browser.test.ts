import { existsSync } from 'node:fs'
import t from 'tap'
import { chromium } from 'playwright-core'
import { CHROMIUM, CHROMIUM_ARGS, CHROMIUM_MISSING, RECORD_CSP_VIOLATIONS } from './support/chromium.ts'
import type { Browser } from 'playwright-core'
import { buildTestApp } from './support/app.ts'

if (!existsSync(CHROMIUM)) {
  // CI must run this check; a developer's machine without Chromium may go without it.
  if (process.env.CI === 'true') t.fail(CHROMIUM_MISSING)
  else t.plan(0, CHROMIUM_MISSING)
} else {
  await t.test('Swagger UI works under the Content-Security-Policy in headless Chromium', async (t) => {
    const { app } = await buildTestApp(t)
    const address = await app.listen({ port: 0, host: '127.0.0.1' })
    const operations = Object.values((app.swagger() as { paths: Record<string, object> }).paths).reduce((count, methods) => count + Object.keys(methods).length, 0)

    // Playwright gives the browser a fresh temporary profile (--user-data-dir) and removes it.
    const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    t.teardown(() => browser.close())
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
    await page.addInitScript({ content: RECORD_CSP_VIOLATIONS })

    const response = await page.goto(`${address}/docs`)
    t.equal(response?.status(), 200)
    t.match(response?.headers()['content-security-policy'], /default-src 'self'/, 'the page is served under the policy')

    await page.locator('.opblock').first().waitFor()
    t.equal(await page.locator('.opblock').count(), operations, 'every operation of the document is listed')

    const live = page.locator('.opblock', { has: page.locator('.opblock-summary-path', { hasText: /^\/health\/live$/ }) })
    await live.locator('.opblock-summary').click()
    await live.locator('.try-out__btn').click()
    await live.locator('.execute').click()
    const status = live.locator('.live-responses-table .response .response-col_status')
    await status.waitFor()
    t.equal((await status.textContent())?.trim(), '200', 'an operation expands and "Try it out" reaches the API')

    t.same(await page.evaluate('window.cspViolations'), [], 'no Content-Security-Policy violations')
    t.same(errors, [], 'no errors in the console')
  })
}
