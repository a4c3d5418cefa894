import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'
import { startOdooSimulator } from './odoo-simulator/index.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const checker = resolve(root, process.env.ODOO_CONTRACT_CHECK ?? '../shared/tools/odoo-contract-check')
const run = promisify(execFile)

// the database names of the recorded servers
const DATABASES = { 16: 'shop16', 17: 'shop17', 18: 'shop', 19: 'shop19' } as const

/** The exit code and report of a checker that found a difference, or of one that could not start. */
function failedRun(error: unknown): { code: number; stdout: string } {
  if (!(error instanceof Error)) return { code: -1, stdout: String(error) }
  return {
    code: 'code' in error && typeof error.code === 'number' ? error.code : -1,
    stdout: 'stdout' in error && typeof error.stdout === 'string' ? error.stdout : String(error)
  }
}

for (const version of [16, 17, 18, 19] as const) {
  await t.test(`the simulator answers every recorded Odoo ${version} exchange in the same shape`, { skip: existsSync(checker) ? false : `no contract checker at ${checker} (set ODOO_CONTRACT_CHECK)` }, async (t) => {
    const sim = await startOdooSimulator({ version, db: DATABASES[version], orders: 300 })
    t.teardown(() => sim.close())
    const args = [checker, sim.url, '--version', String(version), '--db', sim.db, '--login', sim.login, '--key', sim.apiKey, '--password', sim.password]
    const outcome = await run('python3', args).then(({ stdout }) => ({ code: 0, stdout }), failedRun)
    t.equal(outcome.code, 0, outcome.stdout)
    t.match(outcome.stdout, new RegExp(`(\\d+) of \\1 exchanges match the real Odoo ${version}`))
  })
}
