import t from 'tap'
import { runSimulation } from '../sim/run.ts'
import type { SimulationResult } from '../sim/run.ts'

/*
 * The shop's year (sim/), shortened for CI: 90 days and 3,000 orders, twice. Seed 1 starts on
 * 1 November (Black Friday, December's peak, Los Angeles's autumn change); seed 2 on 1 February
 * (29 February, both spring changes, the calendar's edge requests). The oracle checks every day;
 * any violation fails the run with the day, the contact or request, and both sides' reasoning.
 */

// Two shortened years of a whole shop: minutes, not the suite's default 180 s.
t.setTimeout(20 * 60_000)

const RUNS = [
  { seed: 1, start: '2027-11-01' },
  { seed: 2, start: '2028-02-01' }
]

function describeViolations(result: SimulationResult): string {
  return result.violations.map((v) => `${v.kind} on ${v.day}: ${v.subject}\n  oracle: ${v.oracle}\n  service: ${v.service}`).join('\n')
}

for (const run of RUNS) {
  await t.test(`90 days from ${run.start} (seed ${run.seed}): nothing kept too long, nothing erased too early, no request late`, async (t) => {
    const result = await runSimulation({ seed: run.seed, start: run.start, days: 90, orders: 3000 })
    t.equal(result.violations.length, 0, describeViolations(result))
    t.equal(result.days.length, 90, 'every day was checked')
    const { figures } = result
    t.equal(figures.orders, 3000)
    t.ok(figures.redactions > 500, `contacts redacted on time: ${figures.redactions}`)
    t.ok(figures.requests >= 30, `requests: ${figures.requests}`)
    t.equal(figures.policyChanges, 3, 'a policy shortened, one lengthened, one clock event changed')
    t.equal(figures.outages, 2, 'Odoo unreachable twice')
    t.equal(figures.workerKills, 1, 'a worker killed mid-batch')
    t.ok(figures.holds >= 3, `holds: ${figures.holds}`)
    t.ok(figures.cancelled > 0 && figures.returns > 0 && figures.multiDelivery > 0, 'cancellations, returns, deliveries on several days')
    t.ok(Object.keys(figures.requestsByLanguage).length >= 5, `languages: ${Object.keys(figures.requestsByLanguage).join(', ')}`)
  })
}
