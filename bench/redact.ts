/**
 * Redaction throughput of worker processes: N contacts due at once, redacted by one worker process,
 * then N others by two worker processes on the same database; prints contacts/s of each, their
 * ratio, the time of the two-worker phase, the CPU seconds of every process, and proves that no
 * contact was written twice, that each due one is scrubbed in the mirror and audited exactly once.
 *   node bench/redact.ts [--contacts 100000] [--batch 100] [--latency 0] [--concurrency 2]
 *
 * - Odoo is the simulator in its own process with `--odoo-cost`: each answer waits for the server
 *   time real Odoo 18 takes for the call (a res.partner write of n: 110 + 0.7·n ms; a read of n:
 *   0.4·n ms; a search: 40 ms; anything else: 4 ms), plus `--latency`. The cost is a plain delay,
 *   so concurrent calls overlap freely: an Odoo with as many workers as calls in flight. The figures
 *   are those of a service for which Odoo is not the bottleneck; one real Odoo process serialises
 *   its calls (about 300 contacts/s with batches of 100, issue #18).
 * - The contacts: the simulator generates enough orders for 2·N of them (its clock a year behind,
 *   so all are due), and the service's own first sync mirrors them (not a bulk load: this takes
 *   about a minute for N = 100,000, reported but not part of the figures).
 * - Both phases redact N: the bench alternates the eligible contacts between them and, writing its
 *   own database, moves the due time of every contact not in the running phase a thousand years on
 *   (and back for phase 2), so each phase starts with exactly its N contacts due, at once.
 * - Workers are real `privacy-bridge serve --role worker` processes with REDACTION_CONCURRENCY
 *   (`--concurrency`) and REDACTION_BATCH_SIZE (`--batch`); the bench runs the sweeper (the service's
 *   parts, in this process, working no jobs) and measures from the sweep until none of the phase's
 *   contacts is left due. That includes pg-boss handing the jobs to the workers (polling every 2 s).
 * - CPU seconds: each worker process, the simulator, and every PostgreSQL process of the machine
 *   (which other work on a shared machine adds to).
 * Uses DATABASE_URL's server when set, an embedded PostgreSQL otherwise.
 */
import { parseArgs } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { createLogger } from '../src/log/logger.ts'
import { createPool } from '../src/db/database.ts'
import type { Pool } from '../src/db/database.ts'
import { createOdooGateway } from '../src/odoo/gateway.ts'
import { createServiceParts, jobDefinitions } from '../src/service.ts'
import { startJobRunner } from '../src/jobs/job-runner.ts'
import { systemClock } from '../src/clock.ts'
import { benchConfig, cpuSpent, describeMachine, measure, postgresCpu, processCpu, startServiceProcess, startSimulatorProcess, withBenchDatabase } from './support.ts'
import type { ServiceProcess, SimulatorProcess } from './support.ts'

const { values } = parseArgs({
  options: { contacts: { type: 'string', default: '100000' }, batch: { type: 'string', default: '100' }, latency: { type: 'string', default: '0' }, concurrency: { type: 'string', default: '2' } }
})
const contacts = Number(values.contacts)
const batch = Number(values.batch)
const latencyMs = Number(values.latency)
const concurrency = Number(values.concurrency)
const log = createLogger({ level: 'warn' })
/**
 * No sync, reconciliation, sweep or snapshot on a schedule, in any process (pg-boss keeps one
 * schedule per queue, whoever registered it): a sync would plan the due times the bench moved.
 */
const NEVER = '0 0 1 1 *'
const QUIET_SCHEDULES = { SYNC_CRON: NEVER, RECONCILE_CRON: NEVER, RETENTION_SWEEP_CRON: NEVER, RETENTION_SNAPSHOT_CRON: NEVER, MAIL_SWEEP_CRON: NEVER }
/** Orders the simulator generates per eligible contact (about 0.85 contacts per order), with a margin. */
const ORDERS_PER_CONTACT = 1.25
const logLineSchema = z.object({ msg: z.string().optional(), redacted: z.number().optional() }).loose()
const writesSchema = z.object({ writes: z.record(z.string(), z.number()) })

console.log(`bench/redact: ${contacts} contacts per phase, batches of ${batch}, REDACTION_CONCURRENCY ${concurrency}, simulator with Odoo's cost per call + ${latencyMs} ms, on ${describeMachine()}`)
const sim = await startSimulatorProcess({ orders: Math.ceil(2 * contacts * ORDERS_PER_CONTACT), latencyMs, daysBehind: 365, odooCost: true, debugEndpoints: true })
try {
  await withBenchDatabase(log, async (url) => {
    const config = benchConfig(url, sim, { REDACTION_BATCH_SIZE: String(batch), ...QUIET_SCHEDULES })
    const pool = createPool(url, 4, log)
    const odoo = createOdooGateway(config.odoo, { log })
    const jobs = await startJobRunner({ databaseUrl: url, log, work: false })
    const parts = createServiceParts({ config, pool, odoo, jobs, clock: systemClock, log })
    await jobs.register(jobDefinitions(parts, config, jobs))

    const synced = await measure(() => parts.runSync({ trigger: 'cli', requestedBy: 'bench' }))
    const eligible = (await pool.query<{ odoo_id: number }>(
      `SELECT odoo_id FROM mirror_partners WHERE retention_due_at <= now() AND redacted_at IS NULL AND redaction_fields IS NOT NULL AND NOT is_user AND NOT is_company_partner
        ORDER BY odoo_id LIMIT $1`,
      [2 * contacts]
    )).rows.map((r) => r.odoo_id)
    if (eligible.length < 2 * contacts) throw new Error(`the simulator's shop has ${eligible.length} contacts to redact, not ${2 * contacts}: raise ORDERS_PER_CONTACT`)
    console.log(`first sync (setup, not measured below): ${eligible.length} contacts to redact mirrored in ${(synced.ms / 1000).toFixed(1)} s`)
    const phases = [eligible.filter((_, i) => i % 2 === 0), eligible.filter((_, i) => i % 2 === 1)] as const
    await pool.query(`UPDATE mirror_partners SET retention_due_at = retention_due_at + interval '1000 years' WHERE retention_due_at IS NOT NULL AND NOT (odoo_id = ANY($1::int[]))`, [phases[0]])
    await pool.query('VACUUM ANALYZE mirror_partners')

    const workerEnv = {
      DATABASE_URL: url, PII_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      ODOO_URL: sim.url, ODOO_DB: sim.db, ODOO_USERNAME: sim.login, ODOO_API_KEY: sim.apiKey,
      REDACTION_BATCH_SIZE: String(batch), REDACTION_CONCURRENCY: String(concurrency), RETENTION_BACKLOG_APPROVAL: 'never',
      ...QUIET_SCHEDULES,
      SWAGGER_UI: 'false', LOG_LEVEL: 'info'
    }
    const runPhase = async (workerCount: number, ids: readonly number[]) => {
      const workers = await Promise.all(Array.from({ length: workerCount }, () => startServiceProcess('worker', workerEnv)))
      try {
        const figures = await timeRedaction(pool, sim, workers, ids, () => parts.sweep())
        await Promise.all(workers.map((w) => w.stop()))
        return { ...figures, perWorker: workers.map(redactedByProcess) }
      } finally {
        await Promise.all(workers.map((w) => w.stop()))
      }
    }
    const one = await runPhase(1, phases[0])
    printPhase('one worker ', one)
    await pool.query(`UPDATE mirror_partners SET retention_due_at = retention_due_at - interval '1000 years' WHERE odoo_id = ANY($1::int[])`, [phases[1]])
    await pool.query('VACUUM ANALYZE mirror_partners')
    const two = await runPhase(2, phases[1])
    printPhase('two workers', two)
    console.log(`ratio        two workers redact ${(two.perSecond / one.perSecond).toFixed(2)}× the contacts/s of one (goal ≥ 1.7 where Odoo is not the bottleneck)`)
    console.log(`100k goal    the two-worker phase took ${(two.ms / 1000).toFixed(1)} s for ${two.contacts} contacts (goal ≤ 300 s for 100,000)`)
    await proveExactlyOnce(pool, sim, eligible)

    await jobs.stop(5000)
    await odoo.close()
    await pool.end()
  })
} finally {
  sim.stop()
}

interface PhaseFigures {
  contacts: number
  ms: number
  firstRedactionMs: number
  perSecond: number
  /** From the first contact redacted to the last, without the wait for pg-boss to hand out the jobs. */
  steadyPerSecond: number
  cpu: string
}

/** From the sweep until none of `ids` is left due, polling the mirror; with the CPU each process spent. */
async function timeRedaction(pool: Pool, sim: SimulatorProcess, workers: ServiceProcess[], ids: readonly number[], sweep: () => Promise<number>): Promise<PhaseFigures> {
  const before = { workers: workers.map((w) => processCpu(w.pid).seconds), backends: await backendCpu(pool), postgres: postgresCpu(), sim: processCpu(sim.pid).seconds }
  const started = performance.now()
  const due = await sweep()
  if (due !== ids.length) throw new Error(`the sweeper found ${due} contacts due, not ${ids.length}`)
  let firstRedactionMs = 0
  let lastProgress = { left: ids.length, at: performance.now() }
  for (;;) {
    // Through the due-contacts index (every due contact is one of `ids`): a check of all of `ids`
    // each time cost PostgreSQL more CPU than the workers' own queries.
    const left = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM mirror_partners WHERE retention_due_at <= now() AND redacted_at IS NULL AND redaction_failure IS NULL')).rows[0]?.n ?? 0
    if (left === 0) break
    if (left < ids.length && firstRedactionMs === 0) firstRedactionMs = performance.now() - started
    if (left < lastProgress.left) lastProgress = { left, at: performance.now() }
    else if (performance.now() - lastProgress.at > 60_000) throw new Error(`no progress for a minute, ${left} contacts still due`)
    await sleep(250)
  }
  const ms = performance.now() - started
  const after = { workers: workers.map((w) => processCpu(w.pid).seconds), backends: await backendCpu(pool), postgres: postgresCpu(), sim: processCpu(sim.pid).seconds }
  const workerCpu = after.workers.map((s, i) => (s - (before.workers[i] ?? 0)).toFixed(1))
  return {
    contacts: ids.length,
    ms,
    firstRedactionMs,
    perSecond: ids.length / (ms / 1000),
    steadyPerSecond: ids.length / ((ms - firstRedactionMs) / 1000),
    cpu: `CPU s: worker${workers.length > 1 ? 's' : ''} ${workerCpu.join(' + ')}, PostgreSQL ${cpuSpent(before.postgres, after.postgres).toFixed(1)} (the machine's; this database's backends ${cpuSpent(before.backends, after.backends).toFixed(1)}), simulator ${(after.sim - before.sim).toFixed(1)}`
  }
}

/** CPU seconds so far of each PostgreSQL backend connected to the bench's database (the workers' pools, which last the phase, and the bench's cheap progress polls). */
async function backendCpu(pool: Pool): Promise<Map<number, number>> {
  const pids = (await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows
  return new Map(pids.map(({ pid }) => [pid, processCpu(pid).seconds]))
}

function printPhase(name: string, figures: PhaseFigures & { perWorker: number[] }): void {
  console.log(
    `${name}  ${figures.contacts} contacts in ${(figures.ms / 1000).toFixed(1)} s = ${Math.round(figures.perSecond)} contacts/s (first redacted after ${(figures.firstRedactionMs / 1000).toFixed(1)} s, ${Math.round(figures.steadyPerSecond)}/s from then on; ` +
      `per process ${figures.perWorker.join(' + ')}); ${figures.cpu}`
  )
}

/** How many contacts a worker's redaction jobs redacted, from its own log lines. */
function redactedByProcess(worker: ServiceProcess): number {
  return worker.stdout().split('\n').filter((line) => line.startsWith('{'))
    .map((line) => logLineSchema.parse(JSON.parse(line)))
    .filter((line) => line.msg === 'redaction job done')
    .reduce((sum, line) => sum + (line.redacted ?? 0), 0)
}

/**
 * Every contact of both phases written exactly once in Odoo (the simulator's count of write calls
 * naming each), redacted and scrubbed in the mirror, and audited by exactly one partner.redacted
 * entry; no other contact written or audited. The exit code is 1 otherwise.
 */
async function proveExactlyOnce(pool: Pool, sim: SimulatorProcess, ids: readonly number[]): Promise<void> {
  const answer = await fetch(`${sim.url}/__sim/writes?model=res.partner`)
  const { writes } = writesSchema.parse(await answer.json())
  const expected = new Set(ids)
  const twice = Object.entries(writes).filter(([, n]) => n > 1).length
  const unwritten = ids.filter((id) => writes[String(id)] !== 1).length
  const others = Object.keys(writes).filter((id) => !expected.has(Number(id))).length
  const mirror = (await pool.query<{ redacted: number; scrubbed: number }>(
    `SELECT count(*) FILTER (WHERE redacted_at IS NOT NULL)::int AS redacted,
            count(*) FILTER (WHERE redacted_at IS NOT NULL AND NOT holds_pii AND name IS NULL AND email IS NULL AND phone IS NULL AND street IS NULL AND email_index IS NULL)::int AS scrubbed
       FROM mirror_partners WHERE odoo_id = ANY($1::int[])`,
    [ids]
  )).rows[0]
  const audits = (await pool.query<{ id: string; n: number }>(`SELECT subject_id AS id, count(*)::int AS n FROM audit_log WHERE action = 'partner.redacted' GROUP BY subject_id`)).rows
  const auditedOnce = audits.filter((a) => a.n === 1 && expected.has(Number(a.id))).length
  const verdict = twice === 0 && unwritten === 0 && others === 0 && mirror?.redacted === ids.length && mirror.scrubbed === ids.length && auditedOnce === ids.length && audits.length === ids.length
  console.log(
    `exactly once ${verdict ? 'yes' : 'NO'}: of ${ids.length} contacts, Odoo wrote each once: ${ids.length - unwritten} (written twice or more: ${twice}, other contacts written: ${others}); ` +
      `redacted and scrubbed in the mirror: ${mirror?.scrubbed ?? 0}; with exactly one partner.redacted audit entry: ${auditedOnce} (contacts audited: ${audits.length})`
  )
  if (!verdict) process.exitCode = 1
}
