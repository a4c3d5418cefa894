import t from 'tap'
import { startTestService } from './support/app.ts'
import type { TestService } from './support/app.ts'
import { fixedClock } from './support/clock.ts'
import type { Json } from './support/json.ts'
import { isoWeekLabel, isoWeekStart } from '../src/rights/request-stats.ts'
import type { RequestStats } from '../src/rights/request-stats.ts'
import type { RequestView } from '../src/rights/request-view.ts'
import type { Problem } from '../src/http/schemas/problem.ts'

async function open(ctx: TestService, at: string, email: string): Promise<string> {
  ctx.clock.set(at)
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/requests', headers: ctx.auth.agent, payload: { type: 'access', email } })
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`)
  return res.json<Pick<RequestView, 'id'>>().id
}

async function close(ctx: TestService, at: string, id: string, how: 'withdraw' | 'deny'): Promise<void> {
  ctx.clock.set(at)
  const res = await ctx.app.inject({ method: 'POST', url: `/v1/requests/${id}/${how}`, headers: ctx.auth.agent, payload: how === 'deny' ? { reason: 'manifestly_unfounded' } : {} })
  if (res.statusCode !== 200) throw new Error(`${how}: ${res.statusCode} ${res.body}`)
}

await t.test('ISO weeks start on Monday (UTC) and belong to the year of their Thursday', (t) => {
  const label = (at: string) => isoWeekLabel(isoWeekStart(new Date(at)))
  t.equal(isoWeekStart(new Date('2026-12-09T12:00:00Z')).toISOString(), '2026-12-07T00:00:00.000Z')
  t.equal(isoWeekStart(new Date('2026-12-13T23:59:59Z')).toISOString(), '2026-12-07T00:00:00.000Z', 'Sunday ends the week')
  t.equal(label('2026-12-09T12:00:00Z'), '2026-W50')
  t.equal(label('2023-01-01T12:00:00Z'), '2022-W52', 'a Sunday 1 January is in the last week of the year before')
  t.equal(label('2025-12-31T12:00:00Z'), '2026-W01', 'a Wednesday 31 December can be in week 1 of the next year')
  t.equal(label('2026-12-31T12:00:00Z'), '2026-W53', '2026 has 53 weeks (it starts on a Thursday)')
  t.equal(label('2021-01-03T12:00:00Z'), '2020-W53')
  t.end()
})

await t.test('per week: requests received, closed, and those whose deadline passed while they were open', async (t) => {
  const ctx = await startTestService(t, { clock: fixedClock('2026-11-02T10:00:00Z') })
  // GDPR: one calendar month from receipt.
  const late = await open(ctx, '2026-11-02T10:00:00Z', 'ann@example.com') // due 2 December, still open: overdue in W49
  const withdrawn = await open(ctx, '2026-11-03T10:00:00Z', 'bob@example.com') // withdrawn in W46, before its deadline
  const closedLate = await open(ctx, '2026-11-04T10:00:00Z', 'cid@example.com') // due 4 December, withdrawn 8 December: overdue in W49, closed in W50
  const denied = await open(ctx, '2026-11-10T10:00:00Z', 'dee@example.com') // denied in W47
  await close(ctx, '2026-11-11T10:00:00Z', withdrawn, 'withdraw')
  await close(ctx, '2026-11-18T10:00:00Z', denied, 'deny')
  await close(ctx, '2026-12-08T10:00:00Z', closedLate, 'withdraw')
  await open(ctx, '2026-12-08T11:00:00Z', 'eve@example.com') // due in January
  ctx.clock.set('2026-12-09T12:00:00Z')

  const res = await ctx.app.inject({ url: '/v1/requests/stats?weeks=7', headers: ctx.auth.agent })
  t.equal(res.statusCode, 200)
  const stats = res.json<Json<RequestStats>>()
  t.equal(stats.asOf, '2026-12-09T12:00:00.000Z')
  t.same(
    stats.weeks.map(({ week, opened, closed, overdue }) => [week, opened, closed, overdue]),
    [
      ['2026-W44', 0, 0, 0],
      ['2026-W45', 3, 0, 0],
      ['2026-W46', 1, 1, 0],
      ['2026-W47', 0, 1, 0],
      ['2026-W48', 0, 0, 0],
      ['2026-W49', 0, 0, 2],
      ['2026-W50', 1, 1, 0]
    ]
  )
  t.equal(stats.weeks[0]?.startsAt, '2026-10-26T00:00:00.000Z')
  const listed = (await ctx.app.inject({ url: '/v1/requests?overdue=true', headers: ctx.auth.agent })).json<{ items: Pick<RequestView, 'id'>[] }>()
  t.same(listed.items.map((item) => item.id), [late], "of W49's two, the one still open is what `overdue=true` lists")
  const byDefault = (await ctx.app.inject({ url: '/v1/requests/stats', headers: ctx.auth.admin })).json<Json<RequestStats>>()
  t.equal(byDefault.weeks.length, 12, '12 weeks unless asked')
  t.equal(byDefault.weeks.at(-1)?.week, '2026-W50', 'the current week last')
})

await t.test('agents, admins and auditors read the stats; a caller without a key may not', async (t) => {
  const ctx = await startTestService(t)
  for (const role of ['agent', 'admin', 'auditor'] as const) t.equal((await ctx.app.inject({ url: '/v1/requests/stats', headers: ctx.auth[role] })).statusCode, 200, role)
  t.equal((await ctx.app.inject({ url: '/v1/requests/stats' })).statusCode, 401)
})

await t.test('weeks must be a whole number from 1 to 104', async (t) => {
  const ctx = await startTestService(t)
  for (const weeks of ['0', '105', '1.5', 'many', '']) {
    const res = await ctx.app.inject({ url: `/v1/requests/stats?weeks=${weeks}`, headers: ctx.auth.agent })
    t.equal(res.statusCode, 400, `weeks=${weeks}`)
    t.match(res.json<Problem>(), { type: 'urn:problem:validation', errors: [{ path: 'querystring.weeks' }] }, `weeks=${weeks}`)
  }
  t.equal((await ctx.app.inject({ url: '/v1/requests/stats?weeks=104', headers: ctx.auth.agent })).statusCode, 200)
})
