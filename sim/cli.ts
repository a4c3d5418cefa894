import { parseArgs } from 'node:util'
import { runSimulation } from './run.ts'
import { writeReport } from './report.ts'

const { values } = parseArgs({
  options: {
    days: { type: 'string', default: '365' },
    orders: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '1' },
    start: { type: 'string', default: '2027-11-01' },
    out: { type: 'string', default: 'sim-output' },
    quiet: { type: 'boolean', default: false }
  }
})

const options = { days: Number(values.days), orders: Number(values.orders), seed: Number(values.seed), start: values.start }
if (![options.days, options.orders, options.seed].every((n) => Number.isInteger(n) && n > 0) || !/^\d{4}-\d{2}-\d{2}$/.test(options.start)) {
  console.error('usage: npm run simulate -- [--days 365] [--orders 20000] [--seed N] [--start YYYY-MM-DD] [--out DIR]')
  process.exit(2)
}
if (!process.env.DATABASE_URL) console.error('DATABASE_URL is not set: an embedded PostgreSQL is started for the run')

const result = await runSimulation({ ...options, ...(values.quiet ? {} : { progress: (line: string) => { console.error(line); } }) })
const written = await writeReport(result, values.out)
console.log(JSON.stringify({ ...result.figures, runSeconds: result.runSeconds, machine: result.machine, stoppedAt: result.stoppedAt, report: written }, null, 2))
for (const violation of result.violations) console.error(`VIOLATION ${violation.kind} on ${violation.day} (${new Date(violation.at).toISOString()}): ${violation.subject}\n  oracle:  ${violation.oracle}\n  service: ${violation.service}`)
process.exit(result.violations.length > 0 ? 1 : 0)
