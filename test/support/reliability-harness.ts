import type { Test } from 'tap'
import { createPrivacyBridgeClient } from '../../src/client/index.ts'
import type { Pool } from '../../src/db/database.ts'
import type { OdooSimulator } from '../odoo-simulator/index.ts'
import type { ControlledClock } from './clock.ts'
import { TEST_PII_KEY } from './config.ts'
import { startCli } from './cli.ts'
import { freePort } from './database.ts'
import { until } from './until.ts'

/** A cron expression that does not fire while a test runs (1 January, midnight). */
export const NEVER = '0 0 1 1 *'

/** The wall clock, shaped as the tests' controllable clock: services started with it see real time. */
export function realClock(): ControlledClock {
  return { now: () => new Date(), set: () => undefined, advance: () => undefined }
}

/** The environment of a `privacy-bridge` process talking to `sim`, with schedules that stay quiet unless overridden. */
export async function serviceEnv(sim: OdooSimulator, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    HOST: '127.0.0.1',
    PORT: String(await freePort()),
    PII_ENCRYPTION_KEY: TEST_PII_KEY,
    ODOO_URL: sim.url,
    ODOO_DB: sim.db,
    ODOO_USERNAME: sim.login,
    ODOO_API_KEY: sim.apiKey,
    ODOO_TIMEOUT_MS: '10000',
    ODOO_RETRY_BASE_MS: '20',
    SYNC_CRON: NEVER,
    RECONCILE_CRON: NEVER,
    RETENTION_SWEEP_CRON: NEVER,
    // The suite redacts an old shop at once; the backlog has its own tests.
    RETENTION_BACKLOG_APPROVAL: 'never',
    SWAGGER_UI: 'false',
    LOG_LEVEL: 'info',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...extra
  }
}

export type ServiceProcess = ReturnType<typeof startCli> & {
  name: string
  port: number
  /** Throws, quoting the process's fatal log line, if it has exited. */
  assertRunning(): void
}

/**
 * `privacy-bridge serve --role <role>` as a real child process, resolved once its health route
 * answers. Killed (SIGKILL) when the test ends if it is still running.
 */
export async function startServiceProcess(t: Test, name: string, role: 'api' | 'worker' | 'all', env: Record<string, string>): Promise<ServiceProcess> {
  let exited = false
  const cli = startCli(['serve', '--role', role], env)
  const child: ServiceProcess = Object.assign(cli, {
    name,
    port: Number(env.PORT),
    assertRunning() {
      if (!exited) return
      const fatal = cli.output.stdout.split('\n').filter((line) => /"level":(50|60)/.test(line) && !line.includes('request failed') && !line.includes('pg-boss error')).slice(-3)
      throw new Error(`${name} exited (${cli.exitCode ?? cli.signalCode}): ${fatal.join(' ').slice(0, 3000) || cli.output.stderr.slice(-2000)}`)
    }
  })
  child.once('exit', () => (exited = true))
  t.teardown(() => {
    if (!exited) child.kill('SIGKILL')
  })
  await until(async () => {
    child.assertRunning()
    const answer = await createPrivacyBridgeClient({ baseUrl: `http://127.0.0.1:${child.port}` }).GET('/health/live', { signal: AbortSignal.timeout(2000) }).catch(() => undefined)
    return answer?.response.ok
  }, { what: `${name} to answer /health/live`, timeoutMs: 30_000, intervalMs: 200 })
  return child
}

/** The JSON log lines a process wrote to stdout. */
export function logLines(child: ServiceProcess): Array<Record<string, unknown>> {
  return child.output.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** How many contacts this process's redaction jobs redacted, from its own logs. */
export function redactedByProcess(child: ServiceProcess): number {
  return logLines(child)
    .filter((line) => line.msg === 'redaction job done')
    .reduce((sum, line) => sum + Number(line.redacted ?? 0), 0)
}

/** Ordinary customer contacts (not users, not the seller's company) that hold personal data, mirrored. */
export async function customerContacts(pool: Pool, limit: number): Promise<number[]> {
  const rows = await pool.query<{ odoo_id: number }>(
    `SELECT odoo_id FROM mirror_partners
      WHERE NOT is_user AND NOT is_company_partner AND holds_pii AND redacted_at IS NULL AND deleted_at IS NULL
      ORDER BY odoo_id LIMIT $1`,
    [limit]
  )
  return rows.rows.map((r) => r.odoo_id)
}

/** Makes contacts due a day ago, as after downtime; the sweeper (or a worker) then queues them. */
export async function makeDue(pool: Pool, partnerIds: readonly number[]): Promise<void> {
  await pool.query(
    `UPDATE mirror_partners SET retention_due_at = now() - interval '1 day', redaction_fields = '{name,street,email,phone}' WHERE odoo_id = ANY($1::int[])`,
    [partnerIds]
  )
}

/** Contacts that are due and neither redacted nor refused: what is still to do. */
export async function outstanding(pool: Pool): Promise<number[]> {
  const rows = await pool.query<{ odoo_id: number }>(
    `SELECT odoo_id FROM mirror_partners WHERE retention_due_at <= now() AND redacted_at IS NULL AND redaction_failure IS NULL ORDER BY odoo_id`
  )
  return rows.rows.map((r) => r.odoo_id)
}

/** `partner.redacted` audit entries per contact id. */
export async function redactionAuditCounts(pool: Pool): Promise<Map<number, number>> {
  const rows = await pool.query<{ id: string; n: number }>(
    `SELECT subject_id AS id, count(*)::int AS n FROM audit_log WHERE action = 'partner.redacted' GROUP BY subject_id`
  )
  return new Map(rows.rows.map((r) => [Number(r.id), r.n]))
}

/** Contact ids in every redaction write Odoo received, one entry per time a contact was written. */
export function partnerWrites(sim: OdooSimulator): number[] {
  return sim.calls.filter((call) => call.model === 'res.partner' && call.method === 'write').flatMap((call) => call.ids ?? [])
}

/** Ids that occur more than once. */
export function repeated(ids: readonly number[]): number[] {
  const seen = new Set<number>()
  const twice = new Set<number>()
  for (const id of ids) (seen.has(id) ? twice : seen).add(id)
  return [...twice].sort((a, b) => a - b)
}

/** The state of every redaction job, counted. */
export async function redactionJobStates(pool: Pool): Promise<Record<string, number>> {
  const rows = await pool.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM pgboss.job WHERE name = 'retention-redact' GROUP BY state`)
  return Object.fromEntries(rows.rows.map((r) => [r.state, r.n]))
}

/** Redaction jobs running or ready to run (jobs waiting for a later due date are not counted). */
export async function pendingRedactionJobs(pool: Pool): Promise<number> {
  const rows = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'retention-redact' AND (state = 'active' OR (state IN ('created', 'retry') AND start_after <= now()))`
  )
  return rows.rows[0]?.n ?? 0
}
