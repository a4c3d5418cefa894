// The privacy desk in a real browser (issue #16): Debian's Chromium driven by playwright-core
// against the whole service listening on a real port, the Odoo simulator and a real SMTP server.
// Three people work one after the other, each in their own browser context (their own
// sessionStorage): agent Anna, agent Ben (the second person of an erasure), admin Ada.
import { createHmac } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import t from 'tap'
import type { Test } from 'tap'
import { chromium } from 'playwright-core'
import { CHROMIUM, CHROMIUM_ARGS, CHROMIUM_MISSING, RECORD_CSP_VIOLATIONS } from './support/chromium.ts'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { build } from 'vite'
import { createPrivacyBridgeClient } from '../src/client/index.ts'
import type { ApiSchema, PrivacyBridgeClient } from '../src/client/index.ts'
import { takeRetentionSnapshot } from '../src/retention/retention-history.ts'
import { REDACTED_NAME } from '../src/mirror/odoo-records.ts'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { simulator } from './support/simulator.ts'
import { smtpServer } from './support/smtp.ts'
import type { TestSmtp } from './support/smtp.ts'
import { fixedClock } from './support/clock.ts'
import { until } from './support/until.ts'
import type { OdooSimulator } from './odoo-simulator/index.ts'

/** Every page of the console, photographed by this test (git-ignored; README's two are copied to docs/console/). */
const SCREENSHOTS = new URL('../screenshots/console/', import.meta.url)
const NOW = '2026-11-23T10:00:00Z'
const WEBHOOK_KEY = 'fe-webhook-key-0123456789abcdef'
const VIEWER = { timezoneId: 'Europe/Berlin', locale: 'en-GB' }
const number = new Intl.NumberFormat('en-GB')

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const AXE_RUN = `axe.run(document, { resultTypes: ['violations'] }).then((result) => result.violations
  .filter((v) => v.impact === 'serious' || v.impact === 'critical')
  .map((v) => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`

interface Shop {
  /** A finished customer's address, who writes to the privacy address. */
  customerEmail: string
  erasedPartnerId: number
  erasedEmail: string
  heldPartnerId: number
  correctedPartnerId: number
  correctedEmail: string
}

interface Desk {
  ctx: TestService
  sim: OdooSimulator
  shop: Shop
  smtp: TestSmtp
  base: string
  browser: Browser
  keys: { anna: string; ben: string; ada: string }
  as: (key: string) => PrivacyBridgeClient
  /** Every page visited, with what axe found serious or critical there. */
  audited: Map<string, string[]>
  cspViolations: string[]
  pageErrors: string[]
}

if (!existsSync(CHROMIUM)) {
  if (process.env.CI === 'true') t.fail(CHROMIUM_MISSING)
  else t.plan(0, CHROMIUM_MISSING)
} else {
  await t.test('the privacy desk, worked by two agents and an admin in Chromium', async (t) => {
    const desk = await setUp(t)
    const { erasureId, emailRequestId, rectificationId, pastIds } = await seedRequests(desk)

    await t.test('agent Anna triages an e-mail, verifies the requester by code, fulfils the access request and downloads the export once', async (t) => {
      const page = await signIn(desk, t, desk.keys.anna, { wrongKeyFirst: true })
      t.same(await menu(page), ['Inbox'], "an agent's menu is the inbox alone")
      await look(desk, page, 'inbox')
      const firstRow = page.locator('table.inbox tbody tr').first()
      t.match(await firstRow.textContent(), /overdue by/, 'the most urgent request comes first, with its countdown')

      await page.getByRole('link', { name: 'Overdue' }).click()
      await page.getByRole('link', { name: 'Unclassified' }).click()
      await look(desk, page, 'inbox-unclassified')
      const row = page.locator(`tr[data-request="${emailRequestId}"]`)
      t.match(await row.textContent(), /Unclassified.*Received.*23 Nov 2026, 11:00.*23 Dec 2026, 11:00.*23 Dec 2026, 10:00 UTC.*30 d 0 h left.*by e-mail/, 'dates in the viewer\'s zone (Berlin), the deadline in UTC too')

      // The keyboard reaches the request and opens it; the page then starts at its heading.
      await tabToLink(page, emailRequestId)
      await page.keyboard.press('Enter')
      await page.getByRole('heading', { level: 1, name: `Request ${emailRequestId}` }).waitFor()
      // The focus moves in an effect after the page renders: give it that moment before looking.
      await page.waitForFunction("document.activeElement?.tagName === 'H1'", undefined, { timeout: 2000 }).catch(() => undefined)
      t.equal(await page.evaluate('document.activeElement.textContent'), `Request ${emailRequestId}`, 'the focus moves to the new page\'s heading')
      await look(desk, page, 'request-unclassified')

      await page.getByLabel('Type', { exact: true }).selectOption('access')
      await page.getByRole('button', { name: 'Set type' }).click()
      await expectNotice(page, 'The type is now Access (GDPR Art. 15).')

      await page.getByRole('button', { name: "Look up the subject's contacts" }).click()
      const contacts = page.locator('section[aria-labelledby="subject-heading"] tbody tr')
      await contacts.first().waitFor()
      t.match(await contacts.first().textContent(), /\*\*\*.*same e-mail/, 'contacts masked, with how each was found')

      const mailsBefore = desk.smtp.received.length
      await page.getByRole('button', { name: 'Send a code' }).click()
      await expectNotice(page, 'A code was sent to the requester.')
      const code = await codeMailed(desk.smtp, mailsBefore, desk.shop.customerEmail)
      await page.getByLabel('6-digit code').fill('000000')
      await page.getByRole('button', { name: 'Check the code' }).click()
      await expectProblem(page, /Wrong code\. The code does not match \(4 attempts left\)\./)
      await page.getByLabel('6-digit code').fill(code)
      await page.getByRole('button', { name: 'Check the code' }).click()
      await expectNotice(page, 'The code matches: the requester is verified.')

      await page.getByRole('button', { name: 'Prepare the export' }).click()
      await expectNotice(page, 'The fulfilment: done.')
      await look(desk, page, 'request-completed')
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the export (once)' }).click()])
      t.equal(download.suggestedFilename(), `${emailRequestId}-export.json`)
      const bundle: unknown = JSON.parse(readFileSync(await download.path(), 'utf8'))
      t.match(bundle, { requestId: emailRequestId, contacts: [{}], ordersCsv: String })
      await expectNotice(page, /Downloaded\. The service destroyed its copy/)

      await page.reload()
      await page.getByRole('button', { name: 'Download the export (once)' }).click()
      await expectProblem(page, /Gone\. .*(downloaded|expired)/i)
      t.equal((await desk.as(desk.keys.anna).GET('/v1/requests/{id}/export', { params: { path: { id: emailRequestId } } })).response.status, 410, 'the API refuses a second download too')

      // The erasure was verified by code beforehand: its fulfilment waits for a second person.
      await page.goto(`${desk.base}/console/#/requests/${erasureId}`)
      await page.getByRole('button', { name: "Erase the subject's data" }).click()
      await expectNotice(page, /The fulfilment waits for a second person's approval/)
      await look(desk, page, 'request-awaiting-approval')
      t.equal(await page.getByRole('button', { name: /^Approve/ }).count(), 0, 'Anna cannot approve her own erasure')
      await page.context().close()
    })

    await t.test('agent Anna corrects an address, extends a deadline, refuses a request, closes a withdrawn one and asks to verify one manually', async (t) => {
      const page = await signIn(desk, t, desk.keys.anna)
      const open = async (id: string) => {
        await page.goto(`${desk.base}/console/#/requests/${id}`)
        await page.getByRole('heading', { level: 1, name: `Request ${id}` }).waitFor()
        await page.locator('.loading').first().waitFor({ state: 'detached' })
      }
      await open(rectificationId)
      await page.getByLabel('City').fill('Lübeck')
      await page.getByLabel('Street', { exact: true }).fill('Breite Straße 12')
      await page.getByRole('button', { name: 'Write the corrections to Odoo' }).click()
      await expectNotice(page, 'The fulfilment: done.')
      t.match(desk.sim.store.get('res.partner', desk.shop.correctedPartnerId), { city: 'Lübeck', street: 'Breite Straße 12' }, 'the corrected values are in Odoo')

      await open(pastIds['p.dubois@example.fr'] as string)
      await page.getByLabel(/^New deadline \(your time, Europe\/Berlin\)/).fill('2027-01-20T12:00')
      await page.getByLabel('Reason (sent to the requester)', { exact: true }).fill('The objection covers orders on three marketplaces.')
      await page.getByRole('button', { name: 'Extend' }).click()
      await expectNotice(page, 'The deadline is now 20 Jan 2027, 11:00 UTC; the requester was told.')
      await look(desk, page, 'request-extended')

      await open(pastIds['o.rossi@example.it'] as string)
      await page.getByLabel(/^Reason \(sent to the requester, with/).selectOption('excessive')
      await page.getByLabel('Details (optional)').fill('The same request was answered on 2 November.')
      await page.getByRole('button', { name: 'Refuse the request' }).click()
      await expectNotice(page, 'The request is refused; the requester was told why.')

      await open(pastIds['casey.lee@example.com'] as string)
      await page.getByRole('button', { name: 'Close as withdrawn' }).click()
      await expectNotice(page, 'The request is closed as withdrawn.')

      await open(pastIds['lena.schulz@example.de'] as string)
      await page.getByLabel(/^How the identity was established/).fill('Called back the number on the order; she confirmed the delivery address.')
      await page.getByRole('button', { name: 'Verify manually' }).click()
      await expectNotice(page, /^The manual verification waits for a second person's approval/)
      const states = await Promise.all(Object.values(pastIds).map(async (id) => (await desk.as(desk.keys.anna).GET('/v1/requests/{id}', { params: { path: { id } } })).data?.state))
      t.same(states, ['received', 'withdrawn', 'received', 'received', 'withdrawn', 'denied'], 'what the API says of each')
      await page.context().close()
    })

    await t.test('agent Ben approves the erasure Anna asked for', async (t) => {
      const page = await signIn(desk, t, desk.keys.ben)
      await page.getByRole('link', { name: 'Awaiting approval' }).click()
      await look(desk, page, 'inbox-awaiting-approval')
      await page.getByRole('link', { name: erasureId }).click()
      await page.getByRole('button', { name: 'Approve the fulfilment (Erasure (Art. 17))' }).click()
      await expectNotice(page, 'Approved: the fulfilment (Erasure (Art. 17)) took effect.')
      const request = await desk.as(desk.keys.ben).GET('/v1/requests/{id}', { params: { path: { id: erasureId } } })
      t.equal(request.data?.state, 'completed')
      t.equal(desk.sim.store.get('res.partner', desk.shop.erasedPartnerId)?.name, REDACTED_NAME, 'the subject is redacted in Odoo')
      await page.context().close()
    })

    await t.test('admin Ada sees the numbers the API gives, approves the backlog, places a hold and changes a policy', async (t) => {
      const admin = desk.as(desk.keys.ada)
      const page = await signIn(desk, t, desk.keys.ada)
      t.same(await menu(page), ['Inbox', 'Compliance', 'Holds', 'Policies', 'Sync runs', 'Audit trail', 'API keys'])
      await page.getByRole('heading', { level: 1, name: 'Compliance' }).waitFor()
      await look(desk, page, 'dashboard-before-approval')
      await sameFiguresAsTheApi(t, page, admin)
      const waiting = (await admin.GET('/v1/retention/backlog')).data?.channels.reduce((sum, c) => sum + c.contacts, 0) ?? 0
      t.ok(waiting > 0, 'the first sync left contacts waiting for approval')

      await page.getByRole('button', { name: `Approve redaction of all ${number.format(waiting)} contacts` }).click()
      await expectNotice(page, /^Approved: .*redactions queued\.$/)
      await until(async () => (await admin.GET('/v1/retention/report')).data?.channels.every((c) => c.overdue === 0), { what: 'the approved backlog to be redacted', timeoutMs: 90_000 })
      await takeRetentionSnapshot({ pool: desk.ctx.pool, clock: desk.ctx.clock })
      await page.reload()
      await page.getByTestId('overdue-status').waitFor()
      t.equal(await page.getByTestId('overdue-status').textContent(), 'Overdue: 0. Every contact due is redacted, on hold or not due yet.', 'overdue reads 0')
      await sameFiguresAsTheApi(t, page, admin)
      await look(desk, page, 'dashboard')

      await page.getByRole('link', { name: 'Holds', exact: true }).click()
      await look(desk, page, 'holds-empty')
      const held = desk.shop.heldPartnerId
      await page.getByLabel('What to hold').selectOption('partner')
      await page.getByLabel('Odoo id').fill(String(held))
      await page.getByLabel(/^Reason/).fill('Chargeback dispute 2026-114')
      await page.getByRole('button', { name: 'Place the hold' }).click()
      await expectNotice(page, `Hold placed on contact ${held}.`)
      await page.locator('tr[data-hold]').first().waitFor()
      await page.getByLabel('What to hold').selectOption('email')
      await page.getByLabel('E-mail address').fill('tax.audit@example.com')
      await page.getByLabel(/^Reason/).fill('Tax audit 2026')
      await page.getByRole('button', { name: 'Place the hold' }).click()
      await expectNotice(page, /^Hold placed on e-mail t\*+@/)
      await until(async () => (await page.locator('tr[data-hold]').count()) === 2, { what: 'both holds to be listed' })
      await look(desk, page, 'holds')
      await page.locator('tr[data-hold]', { hasText: 'Tax audit 2026' }).getByRole('button', { name: 'Release' }).click()
      await expectNotice(page, 'Released: whatever it kept and is due is queued for redaction.')
      const holds = (await admin.GET('/v1/holds', { params: { query: { active: 'true' } } })).data?.items ?? []
      t.match(holds, [{ subjectType: 'partner', subject: String(held), reason: 'Chargeback dispute 2026-114' }], 'one hold placed and kept, the other released')

      await page.getByRole('link', { name: 'Policies' }).click()
      await look(desk, page, 'policies')
      await page.locator('tr[data-policy="amazon"]').getByRole('button', { name: /Edit/ }).click()
      await page.getByLabel(/^Days kept after it/).fill('10')
      t.ok(await page.getByRole('button', { name: 'Save the policy' }).isDisabled(), 'a policy is saved only once previewed')
      await page.getByRole('button', { name: 'Preview the change' }).click()
      await page.getByTestId('policy-preview').waitFor()
      const preview = (await admin.POST('/v1/retention/policies/{channel}/preview', { params: { path: { channel: 'amazon' } }, body: { clockEvent: 'shipped', periodDays: 10, fields: ['name', 'street', 'street2', 'zip', 'city', 'email', 'phone', 'mobile'] } })).data
      const shown = await page.getByTestId('policy-preview').locator('tbody tr').allTextContents()
      t.same(shown, [
        `Past due (redacted at once, or waiting in the backlog)${number.format(preview?.dueNow.current ?? -1)}${number.format(preview?.dueNow.proposed ?? -1)}`,
        `Due within 7 days${number.format(preview?.dueNext7Days.current ?? -1)}${number.format(preview?.dueNext7Days.proposed ?? -1)}`,
        `Due within 30 days${number.format(preview?.dueNext30Days.current ?? -1)}${number.format(preview?.dueNext30Days.proposed ?? -1)}`
      ], "the preview shows the API's figures")
      await look(desk, page, 'policies-preview')
      await page.getByRole('button', { name: 'Save the policy' }).click()
      await expectNotice(page, /^Saved as version 1: \d+ orders recomputed\.$/)
      t.match((await admin.GET('/v1/retention/policies')).data?.items.find((p) => p.channel === 'amazon'), { version: 1, periodDays: 10, clockEvent: 'shipped' })

      await page.getByRole('link', { name: 'Sync runs' }).click()
      await page.locator('tr[data-run]').first().waitFor()
      await look(desk, page, 'sync-runs')
      await page.getByRole('link', { name: 'Audit trail' }).click()
      await page.getByTestId('last-check').waitFor()
      const lastCheck = (await admin.GET('/v1/audit/verification')).data?.lastCheck
      t.match(await page.getByTestId('last-check').textContent(), lastCheck === null ? /^Not checked yet/ : /^Last check/, 'the page opens on the nightly check\'s verdict')
      await page.getByRole('button', { name: 'Check the whole chain now' }).click()
      await page.getByTestId('chain-status').waitFor()
      const verdict = (await admin.GET('/v1/audit/verify')).data
      t.equal(await page.getByTestId('chain-status').textContent(), `The chain is intact: ${number.format(verdict?.entries ?? -1)} entries, each covering the one before.`)
      await look(desk, page, 'audit')
      await page.getByRole('link', { name: 'API keys' }).click()
      await page.getByLabel('Whose key (a name)').fill('privacy officer')
      await page.getByLabel('Role').selectOption('auditor')
      await page.getByRole('button', { name: 'Create the key' }).click()
      await expectNotice(page, /^Key [0-9a-f]{12} created for privacy officer\.$/)
      t.match(await page.getByRole('status').filter({ hasText: 'Copy the key now' }).locator('output').textContent(), /^pbk_[0-9a-f]{12}_/, 'the new key is shown once')
      await look(desk, page, 'api-keys')
      await page.context().close()
    })

    t.same([...desk.audited.entries()].filter(([, violations]) => violations.length > 0), [], `axe finds no serious or critical violation on any of the ${desk.audited.size} pages`)
    t.same(desk.cspViolations, [], 'no Content-Security-Policy violation on any page')
    t.same(desk.pageErrors, [], 'no script error on any page')
  })
}

async function setUp(t: Test): Promise<Desk> {
  // Before the service starts: it serves /console only if it finds the build when it starts.
  await consoleBuilt()
  const clock = fixedClock(NOW)
  const smtp = await smtpServer(t)
  const sim = await simulator(t, { orders: 60, now: () => clock.now() })
  const ctx = await startTestService(t, {
    odoo: sim,
    clock,
    role: 'all',
    // Every contact already past due at the first sync waits for an admin (the backlog).
    env: { FORWARDEMAIL_WEBHOOK_KEY: WEBHOOK_KEY, SMTP_URL: smtp.url, MAIL_FROM: 'Privacy <privacy@shop.example>', RETENTION_BACKLOG_APPROVAL: 'always', RIGHTS_APPROVAL: 'erasure' }
  })
  await ctx.service.runSync({ trigger: 'cli', requestedBy: 'test' })
  // The daily snapshots of the week before, as the snapshot job would have taken them.
  for (let day = 7; day >= 1; day--) await takeRetentionSnapshot({ pool: ctx.pool, clock: fixedClock(new Date(Date.parse(NOW) - day * 86_400_000)) })
  const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' })
  const key = async (name: string, role: 'agent' | 'admin') => (await ctx.service.apiKeys.create({ name, role })).secret
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  t.teardown(() => browser.close())
  mkdirSync(SCREENSHOTS, { recursive: true })
  return {
    ctx,
    sim,
    shop: await customers(ctx, sim),
    smtp,
    base,
    browser,
    keys: { anna: await key('Anna (agent)', 'agent'), ben: await key('Ben (agent)', 'agent'), ada: await key('Ada (admin)', 'admin') },
    as: (apiKey) => createPrivacyBridgeClient({ baseUrl: base, apiKey }),
    audited: new Map(),
    cspViolations: [],
    pageErrors: []
  }
}

/** `npm run build` builds the console into dist/console, which the service serves; so does this test, to test the current sources. */
async function consoleBuilt(): Promise<void> {
  await build({ configFile: new URL('../console/vite.config.ts', import.meta.url).pathname, logLevel: 'warn' })
}

/** Customers of the simulated shop with nothing open: one writes in, one asks for erasure, one is held. */
async function customers(ctx: TestService, sim: OdooSimulator): Promise<Shop> {
  const rows = (
    await ctx.pool.query<{ odoo_id: number }>(
      `SELECT p.odoo_id FROM mirror_partners p WHERE p.type = 'contact' AND p.email_index IS NOT NULL AND NOT p.is_user AND NOT p.is_company_partner AND p.redacted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM mirror_orders o WHERE p.odoo_id IN (o.partner_id, o.partner_invoice_id, o.partner_shipping_id) AND o.state <> 'cancel' AND o.completed_at IS NULL)
        ORDER BY p.odoo_id LIMIT 4`
    )
  ).rows
  const [writer, erased, held, corrected] = rows.map((row) => row.odoo_id)
  if (writer === undefined || erased === undefined || held === undefined || corrected === undefined) throw new Error('the generated shop has too few finished customers')
  const email = (id: number) => String(sim.store.get('res.partner', id)?.email)
  return { customerEmail: email(writer), erasedPartnerId: erased, erasedEmail: email(erased), heldPartnerId: held, correctedPartnerId: corrected, correctedEmail: email(corrected) }
}

/**
 * Requests of the past weeks (some overdue, one closed), an e-mail the intake cannot classify, and
 * an erasure verified by code: all through the typed client, as any integrator would.
 */
async function seedRequests(desk: Desk): Promise<{ emailRequestId: string; erasureId: string; rectificationId: string; pastIds: Record<string, string> }> {
  const anna = desk.as(desk.keys.anna)
  const past: [string, 'access' | 'erasure' | 'rectification' | 'objection' | 'ccpa_know', string][] = [
    ['2026-10-05T08:30:00Z', 'access', 'marta.kowalski@example.org'],
    ['2026-10-14T15:10:00Z', 'erasure', 'j.smith@example.co.uk'],
    ['2026-10-29T09:00:00Z', 'rectification', 'lena.schulz@example.de'],
    ['2026-11-09T11:45:00Z', 'objection', 'p.dubois@example.fr'],
    ['2026-11-18T17:20:00Z', 'ccpa_know', 'casey.lee@example.com'],
    ['2026-11-20T07:05:00Z', 'access', 'o.rossi@example.it']
  ]
  const pastIds: Record<string, string> = {}
  for (const [receivedAt, type, email] of past) {
    const created = await anna.POST('/v1/requests', { body: { type, email, receivedAt } })
    if (!created.data) throw new Error(`seeding a request: ${JSON.stringify(created.error)}`)
    pastIds[email] = created.data.id
    if (email.startsWith('j.smith')) await anna.POST('/v1/requests/{id}/withdraw', { params: { path: { id: created.data.id } } })
  }

  const fixture = JSON.parse(readFileSync(new URL('./fixtures/forwardemail-webhook.json', import.meta.url), 'utf8')) as ApiSchema<'ForwardEmailMessageInput'>
  const message = {
    ...fixture,
    messageId: '<console-test-1@example.net>',
    from: { value: [{ address: desk.shop.customerEmail, name: '' }], text: desk.shop.customerEmail },
    subject: 'A question about my order',
    text: 'Hello,\n\ncould you please get back to me about what you keep?\n\nThanks',
    html: '<p>Hello,</p><p>could you please get back to me about what you keep?</p><p>Thanks</p>',
    attachments: [],
    date: NOW,
    session: { ...fixture.session, sender: desk.shop.customerEmail, arrivalDate: NOW, arrivalTime: Date.parse(NOW) }
  }
  const delivered = await createPrivacyBridgeClient({ baseUrl: desk.base }).POST('/v1/intake/forwardemail', {
    body: message,
    headers: { 'x-webhook-signature': createHmac('sha256', WEBHOOK_KEY).update(JSON.stringify(message)).digest('hex') }
  })
  if (delivered.data?.status !== 'accepted') throw new Error(`the intake refused the message: ${JSON.stringify(delivered.error)}`)
  const triage = (await anna.GET('/v1/requests', { params: { query: { type: 'unclassified' } } })).data?.items ?? []
  const emailRequestId = triage[0]?.id
  if (!emailRequestId) throw new Error('the e-mail opened no unclassified request')

  const verifiedByCode = async (type: 'erasure' | 'rectification', email: string): Promise<string> => {
    const request = (await anna.POST('/v1/requests', { body: { type, email } })).data
    if (!request) throw new Error(`the ${type} request was refused`)
    const before = desk.smtp.received.length
    await anna.POST('/v1/requests/{id}/verification', { params: { path: { id: request.id } } })
    const code = await codeMailed(desk.smtp, before, email)
    const verified = await anna.POST('/v1/requests/{id}/verification/confirm', { params: { path: { id: request.id } }, body: { code } })
    if (verified.data?.state !== 'verified') throw new Error(`verifying the ${type}: ${JSON.stringify(verified.error)}`)
    return request.id
  }
  return { emailRequestId, erasureId: await verifiedByCode('erasure', desk.shop.erasedEmail), rectificationId: await verifiedByCode('rectification', desk.shop.correctedEmail), pastIds }
}

/** The one-time code of the first verification mail to `to` that reached the SMTP server after the first `after` mails. */
async function codeMailed(smtp: TestSmtp, after: number, to: string): Promise<string> {
  const mail = await until(() => smtp.received.slice(after).find((m) => m.to.includes(to) && /Subject: .*verification code/i.test(m.raw)), { what: `the verification code mailed to the requester`, timeoutMs: 30_000 })
  // The text part: quoted-printable soft line breaks undone, the code on its own after the intro.
  const text = mail.raw.replace(/=\r?\n/g, '')
  const code = /one-time code:\s+(\d{6})\b/.exec(text)?.[1]
  if (!code) throw new Error(`no code in the mail: ${text.slice(0, 2000)}`)
  return code
}

async function signIn(desk: Desk, t: Test, key: string, options: { wrongKeyFirst?: boolean } = {}): Promise<Page> {
  const context: BrowserContext = await desk.browser.newContext({ ...VIEWER, viewport: { width: 1280, height: 900 } })
  t.teardown(() => context.close())
  await context.clock.setFixedTime(new Date(NOW))
  await context.addInitScript({ content: RECORD_CSP_VIOLATIONS })
  const page = await context.newPage()
  page.on('pageerror', (error) => desk.pageErrors.push(error.message))
  page.on('console', (message) => {
    // The browser logs every 4xx of the API as a failed resource; the pages say why in words instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) desk.pageErrors.push(message.text())
  })
  await page.goto(`${desk.base}/console/`)
  await page.getByRole('heading', { level: 1, name: 'Privacy desk' }).waitFor()
  if (!desk.audited.has('sign-in')) await look(desk, page, 'sign-in')
  if (options.wrongKeyFirst) {
    await page.getByLabel('API key').fill(`${key.slice(0, -4)}AAAA`)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expectProblem(page, /^Unauthorized\. The API key is unknown or revoked\./)
    await page.getByLabel('API key').fill('')
    await page.locator('h1').focus()
  }
  // By keyboard: the key field is the first stop, Enter submits.
  await page.keyboard.press('Tab')
  await page.keyboard.type(key)
  await page.keyboard.press('Enter')
  await page.locator('header.top').waitFor()
  t.equal(await page.evaluate("sessionStorage.getItem('privacy-desk.api-key')"), key, 'the key is kept in sessionStorage')
  t.equal(await page.evaluate('localStorage.length'), 0, 'and nowhere else')
  return page
}

async function menu(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()
}

/** Waits for the page to finish loading, checks it with axe and the CSP record, and photographs it. */
async function look(desk: Desk, page: Page, name: string): Promise<void> {
  await page.locator('main h1').waitFor()
  await until(async () => (await page.locator('.loading').count()) === 0, { what: `${name} to finish loading` })
  await page.evaluate(AXE_SOURCE)
  desk.audited.set(name, await page.evaluate<string[]>(AXE_RUN))
  desk.cspViolations.push(...(await page.evaluate<string[]>('window.cspViolations')))
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname, fullPage: true })
}

/** Presses Tab until the link with this text has the focus: it is reachable by keyboard. */
async function tabToLink(page: Page, text: string): Promise<void> {
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press('Tab')
    if ((await page.evaluate("document.activeElement.tagName + ' ' + document.activeElement.textContent")) === `A ${text}`) return
  }
  throw new Error(`the keyboard never reached the link ${text}`)
}

async function expectNotice(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('.notice', { hasText: text }).first().waitFor({ timeout: 30_000 })
}

async function expectProblem(page: Page, text: RegExp): Promise<void> {
  await page.locator('.problem', { hasText: text }).first().waitFor({ timeout: 30_000 })
}

/** Every figure of the dashboard's table is the API's, channel by channel and in total. */
async function sameFiguresAsTheApi(t: Test, page: Page, admin: PrivacyBridgeClient): Promise<void> {
  await page.getByTestId('report').waitFor()
  const report = (await admin.GET('/v1/retention/report')).data
  if (!report) throw new Error('no report')
  const shown = await page.evaluate(`Object.fromEntries([...document.querySelectorAll('[data-testid=report] tr[data-channel]')].map((row) =>
    [row.getAttribute('data-channel'), Object.fromEntries([...row.querySelectorAll('td[data-figure]')].map((cell) => [cell.getAttribute('data-figure'), cell.textContent]))]))`)
  const figures = ['contactsWithPii', 'ordersWithPii', 'dueNext7Days', 'overdue', 'redacted', 'onHold', 'failed', 'awaitingApproval'] as const
  const expected: Record<string, Record<string, string>> = Object.fromEntries(report.channels.map((c) => [c.channel, Object.fromEntries(figures.map((f) => [f, number.format(c[f])]))]))
  expected.total = Object.fromEntries(figures.map((f) => [f, number.format(report.channels.reduce((sum, c) => sum + c[f], 0))]))
  t.same(shown, expected, "the dashboard's figures are the API's")
}
