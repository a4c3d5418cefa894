import type { Config, OdooConfig } from './config/env.ts'
import type { Clock } from './clock.ts'
import { systemClock } from './clock.ts'
import type { Logger } from './log/logger.ts'
import { createPool, inTransaction, provideDatabaseServer } from './db/database.ts'
import type { DatabaseServer, Pool } from './db/database.ts'
import { migrate } from './db/migrate.ts'
import { startJobRunner, transactionalDb } from './jobs/job-runner.ts'
import type { JobRunner } from './jobs/job-runner.ts'
import type { JobDefinition } from './jobs/job.ts'
import { createAuditTrail } from './audit/audit-trail.ts'
import type { AuditTrail } from './audit/audit-trail.ts'
import { verifyAuditChainJob } from './audit/verify-audit-chain.job.ts'
import { publishAuditHead, publishAuditHeadJob } from './audit/publish-audit-head.job.ts'
import { createApiKeys } from './auth/api-keys.ts'
import type { ApiKeys } from './auth/api-keys.ts'
import { createPiiCipher } from './crypto/pii-cipher.ts'
import type { PiiCipher } from './crypto/pii-cipher.ts'
import type { OdooGateway } from './odoo/gateway.ts'
import { odooReadiness } from './odoo/connection-check.ts'
import { createChannelClassifier } from './mirror/channels.ts'
import { createOrderSync } from './mirror/order-sync.ts'
import type { OrderSync } from './mirror/order-sync.ts'
import { createSyncRuns } from './mirror/sync-runs.ts'
import type { SyncRuns } from './mirror/sync-runs.ts'
import { createSyncCoordinator } from './mirror/sync-coordinator.ts'
import type { RunSync } from './mirror/sync-coordinator.ts'
import { reconcileDeletedRecords } from './mirror/reconcile.ts'
import { reconcileJob, SYNC_QUEUE, SYNC_RECORD_QUEUE, syncJob, syncRecordJob } from './mirror/mirror-jobs.ts'
import { createOrderViews } from './mirror/order-views.ts'
import { createPolicyStore } from './retention/policy-store.ts'
import type { PolicyStore } from './retention/policy-store.ts'
import { createHolds, holdStore } from './retention/holds.ts'
import type { SealedStore } from './crypto/data-rotation.ts'
import { foldLegacyContactPii, mirrorContactStore } from './mirror/rotate-data-key.ts'
import { exportStore, requestStore } from './rights/sealed-request-data.ts'
import { outboxStore } from './mail/outbox.ts'
import { inboundStore } from './intake/sealed-inbound-data.ts'
import type { Holds } from './retention/holds.ts'
import { createRetentionPlanner } from './retention/retention-planner.ts'
import { createRedactionBacklog } from './retention/redaction-backlog.ts'
import type { RedactionBacklog } from './retention/redaction-backlog.ts'
import type { RetentionPlanner } from './retention/retention-planner.ts'
import { companyPartnersMemo, redactPartners } from './retention/redaction.ts'
import type { RedactionCause, RedactionReport } from './retention/redaction.ts'
import { queueRedactionJob, redactJob, sweepDuePartners, sweepJob } from './retention/retention-jobs.ts'
import { countDueContacts, drainDueContacts } from './retention/redaction-drain.ts'
import { takeRetentionSnapshot } from './retention/retention-history.ts'
import { retentionSnapshotJob } from './retention/retention-snapshot.job.ts'
import { createRightsService } from './rights/rights-service.ts'
import type { RightsService } from './rights/rights-service.ts'
import { destroyExpiredExports, purgeClosedRequestRecords } from './rights/record-retention.ts'
import { destroyExpiredExportsJob, purgeClosedRecordsJob } from './rights/record-retention-jobs.ts'
import { receiveMail } from './intake/intake-service.ts'
import { addressOf, createSmtpSender } from './mail/smtp-sender.ts'
import { deliverOutboxMessage } from './mail/outbox-delivery.ts'
import { enqueueMailDelivery, mailSendJob, mailSweepJob, sweepQueuedMail } from './mail/outbox-jobs.ts'
import { buildApp } from './http/app.ts'
import { createRateLimits } from './http/rate-limit/rate-limits.ts'
import type { RateLimits } from './http/rate-limit/rate-limits.ts'
import { createMetrics } from './metrics/metrics.ts'
import type { App, AppDeps } from './http/app.ts'
import type { Metrics } from './metrics/metrics.ts'
import { SERVICE_VERSION } from './version.ts'

/**
 * Every place personal data is sealed, in the order a key rotation takes them: holds first, while
 * the contacts still carry the indexes an old hold knows.
 */
export const SEALED_STORES: readonly SealedStore[] = [holdStore, mirrorContactStore, requestStore, exportStore, outboxStore, inboundStore]

/** `api` serves HTTP and enqueues; `worker` runs jobs and schedules (and only health routes); `all` both. */
export type ProcessRole = 'api' | 'worker' | 'all'

export interface ServiceOptions {
  config: Config
  log: Logger
  role: ProcessRole
  connectOdoo: (config: OdooConfig, log: Logger) => OdooGateway
  clock?: Clock
  /** Extra queues, for tests that need a job of their own. */
  extraJobs?: (deps: ServiceParts) => JobDefinition[]
}

/** The domain services, built once and shared by the HTTP app, the jobs and the CLI. */
export interface ServiceParts {
  pool: Pool
  audit: AuditTrail
  apiKeys: ApiKeys
  odoo: OdooGateway
  cipher: PiiCipher
  orderSync: OrderSync
  syncRuns: SyncRuns
  runSync: RunSync
  policies: PolicyStore
  holds: Holds
  planner: RetentionPlanner
  backlog: RedactionBacklog
  redact: (partnerIds: number[], cause?: RedactionCause) => Promise<RedactionReport>
  /** The redaction redaction jobs run, batch after batch: the seller's company partners searched once a minute, not every batch. */
  redactDue: (partnerIds: number[], cause?: RedactionCause) => Promise<RedactionReport>
  sweep: () => Promise<number>
  rights: RightsService
  rateLimits: RateLimits
  clock: Clock
  log: Logger
}

export interface Service extends ServiceParts {
  app: App
  database: DatabaseServer
  jobs: JobRunner
  /** Stops HTTP, lets running jobs finish (bounded), closes the pools, stops an embedded database. */
  close(): Promise<void>
}

/** Wires the domain services over a pool, an Odoo gateway and pg-boss; used by the service and by CLI commands. */
export function createServiceParts(deps: { config: Config; pool: Pool; odoo: OdooGateway; jobs: JobRunner; clock: Clock; log: Logger }): ServiceParts {
  const { config, pool, odoo, clock, log } = deps
  const cipher = createPiiCipher({ current: config.crypto.piiKey, previous: config.crypto.previousPiiKeys })
  const audit = createAuditTrail({ pool, clock })
  const policies = createPolicyStore({ pool, clock })
  const holds = createHolds({ pool, clock, cipher })
  const dryRun = config.retention.mode === 'dry-run'
  const backlog = createRedactionBacklog({ pool, clock, cipher, approval: config.retention.backlogApproval, dryRun })
  const planner = createRetentionPlanner({ pool, policies, backlog })
  const orderSync = createOrderSync({
    pool, odoo, cipher, clock, log,
    classify: createChannelClassifier(config.mirror.channelRules),
    pageSize: config.mirror.pageSize,
    retention: planner,
    audit
  })
  const syncRuns = createSyncRuns({ pool, clock })
  const redactionDeps = { pool, odoo, audit, holds, clock, log, mode: config.retention.mode }
  const redact = (ids: number[], cause?: RedactionCause) => redactPartners(redactionDeps, ids, cause)
  const dueRedactionDeps = { ...redactionDeps, companyPartners: companyPartnersMemo(odoo) }
  return {
    pool,
    odoo,
    clock,
    log,
    cipher,
    orderSync,
    syncRuns,
    runSync: createSyncCoordinator({ pool, runs: syncRuns, sync: orderSync, log }),
    audit,
    apiKeys: createApiKeys({ pool, clock, cacheMs: config.http.authCacheMs }),
    policies,
    holds,
    planner,
    backlog,
    redact,
    redactDue: (ids, cause) => redactPartners(dueRedactionDeps, ids, cause),
    sweep: () => sweepDuePartners({ countDue: () => countDueContacts({ pool, clock, dryRun }), jobs: deps.jobs, batchSize: config.retention.batchSize }),
    rights: createRightsService({
      pool, cipher, clock, audit, odoo, sync: orderSync, holds, redact, log, config: config.rights,
      ...(mailIsSent(config) ? { enqueueMail: (db, outboxId) => enqueueMailDelivery(deps.jobs.boss, db, outboxId) } : {})
    }),
    rateLimits: createRateLimits({ pool, clock, cipher, config: config.rateLimits, cacheMs: config.http.authCacheMs })
  }
}

/** Mail goes out only with an SMTP server and a sender address; without them it waits in the outbox. */
function mailIsSent(config: Config): boolean {
  return config.mail.smtpUrl !== undefined && config.mail.from !== undefined
}

function mailJobs(parts: ServiceParts, config: Config, jobs: JobRunner): JobDefinition[] {
  const { smtpUrl, from, sweepCron } = config.mail
  if (smtpUrl === undefined || from === undefined) return []
  const { pool, cipher, clock, audit, log } = parts
  const sender = createSmtpSender({ url: smtpUrl, from, log })
  return [
    mailSendJob({ deliver: (outboxId) => deliverOutboxMessage({ pool, cipher, clock, sender, audit, log }, outboxId), log }),
    mailSweepJob({ sweep: () => sweepQueuedMail({ pool, boss: jobs.boss }), cron: sweepCron, log })
  ] as JobDefinition[]
}

export function jobDefinitions(parts: ServiceParts, config: Config, jobs: JobRunner): JobDefinition[] {
  const { log } = parts
  return [
    ...mailJobs(parts, config, jobs),
    verifyAuditChainJob({ audit: parts.audit, log }),
    publishAuditHeadJob({ audit: parts.audit, log }),
    syncJob({ runSync: parts.runSync, config: config.mirror, log }),
    syncRecordJob({ sync: parts.orderSync, log }),
    reconcileJob({ reconcile: () => reconcileDeletedRecords(parts), config: config.mirror, log }),
    redactJob({
      drain: (claim) => drainDueContacts({ ...parts, redact: parts.redactDue, dryRun: config.retention.mode === 'dry-run', batchSize: config.retention.batchSize, afterBatch: () => publishAuditHead({ audit: parts.audit, log }) }, claim),
      queueSuccessor: (slot) => queueRedactionJob(jobs, slot),
      concurrency: config.retention.concurrency,
      log
    }),
    sweepJob({ sweep: parts.sweep, backlog: parts.backlog, cron: config.retention.sweepCron, log }),
    retentionSnapshotJob({ snapshot: () => takeRetentionSnapshot(parts), cron: config.retention.snapshotCron, log }),
    destroyExpiredExportsJob({ destroy: () => destroyExpiredExports(parts), log }),
    purgeClosedRecordsJob({ purge: () => purgeClosedRequestRecords({ ...parts, retentionDays: config.rights.recordRetentionDays }), log })
  ] as JobDefinition[]
}

/** What the HTTP app is built from, besides the service's parts: the configuration and this process's own pieces. */
export interface AppWiring {
  config: Config
  parts: ServiceParts
  /** A worker serves only the health routes. */
  role: ProcessRole
  /**
   * Where the API enqueues jobs (a requested sync, a webhook's record). Without one (an app that
   * runs no jobs, as tests of the HTTP shell build) those routes fail instead of enqueuing.
   */
  jobs: Pick<JobRunner, 'send'> | undefined
  /** This process's registry, served at `/metrics`; without one there is no `/metrics`. */
  metrics?: Metrics
}

/**
 * The HTTP app's dependencies, wired one way for the service, the OpenAPI document and the tests:
 * where they differ (no job runner, an unreachable Odoo), they differ in what they pass in.
 */
export function appDependencies(wiring: AppWiring): AppDeps {
  const { config, parts } = wiring
  const { pool, clock, log, odoo } = parts
  const jobs = wiring.jobs ?? withoutJobRunner
  return {
    log,
    version: SERVICE_VERSION,
    swaggerUi: config.http.swaggerUi,
    apiKeys: parts.apiKeys,
    audit: parts.audit,
    rateLimits: parts.rateLimits,
    surface: wiring.role === 'worker' ? 'health' : 'full',
    metrics: wiring.metrics,
    trustProxy: config.http.trustProxy,
    health: {
      database: async () => {
        await pool.query('SELECT 1')
      },
      odoo: (signal) => odooReadiness(odoo, signal)
    },
    rights: { pool, clock, rights: parts.rights },
    outbox: { pool },
    intake: {
      webhookKey: config.mail.webhookKey,
      allowUnsigned: config.mail.allowUnsigned,
      bodyLimit: config.mail.bodyLimit,
      receive: (payload) =>
        receiveMail(
          { pool, cipher: parts.cipher, clock, audit: parts.audit, rights: parts.rights, log,
            config: { keepAttachments: config.mail.keepAttachments, attachmentMaxBytes: config.mail.attachmentMaxBytes, ownAddresses: ownAddresses(config.mail.from), defaultJurisdiction: config.rights.defaultJurisdiction } },
          payload
        )
    },
    retention: { pool, clock, audit: parts.audit, policies: parts.policies, holds: parts.holds, planner: parts.planner, backlog: parts.backlog, sweep: parts.sweep },
    mirror: {
      runs: parts.syncRuns,
      orders: createOrderViews({ pool, cipher: parts.cipher }),
      webhookToken: config.mirror.webhookToken,
      // The run and its job commit together: no queued run is ever left without a job.
      requestSync: (requestedBy) =>
        inTransaction(pool, async (tx) => {
          const requested = await parts.syncRuns.request('api', requestedBy, tx)
          if (requested.created) await jobs.send(SYNC_QUEUE, { v: 1, runId: requested.run.id }, { db: transactionalDb(tx) })
          return requested
        }),
      enqueueRecordSync: async (model, id) => {
        await jobs.send(SYNC_RECORD_QUEUE, { v: 1, model, id }, { singletonKey: `${model}:${id}` })
      }
    }
  }
}

const withoutJobRunner: Pick<JobRunner, 'send'> = {
  send: () => Promise.reject(new Error('this app has no job runner to enqueue with'))
}

/** The address part of MAIL_FROM (`Privacy <privacy@shop.example>`), for recognising our own mail. */
function ownAddresses(from: string | undefined): string[] {
  const address = from ? addressOf(from) : ''
  return address ? [address] : []
}

/** Where the intake is served without a key, it either refuses all mail or takes anyone's: say which. */
function warnOfUnsignedIntake(config: Config, log: Logger): void {
  if (config.mail.webhookKey !== undefined) return
  if (config.mail.allowUnsigned) log.warn('INTAKE_ALLOW_UNSIGNED is set and FORWARDEMAIL_WEBHOOK_KEY is not: the e-mail intake takes unsigned webhooks, so anyone can open requests (for local trials only)')
  else log.warn('FORWARDEMAIL_WEBHOOK_KEY is not set: the e-mail intake refuses every webhook (503) until it is')
}

/**
 * Brings the whole service up in dependency order and, if any step fails, takes down what was
 * already started. Nothing here listens: src/server.ts does, after this resolves.
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  const { config, log } = options
  const clock = options.clock ?? systemClock
  const closers: Array<() => Promise<void>> = []
  const closeAll = async () => {
    for (const close of closers.reverse().splice(0)) {
      await close().catch((error: unknown) => {
        log.error({ err: { message: (error as Error).message } }, 'shutdown step failed')
      })
    }
  }

  try {
    const database = await provideDatabaseServer(config.database, log)
    closers.push(() => database.stop())
    await migrate(database.url, log)

    const pool = createPool(database.url, config.database.poolMax, log)
    closers.push(() => pool.end())
    const odoo = options.connectOdoo(config.odoo, log)
    closers.push(() => odoo.close())
    const jobs = await startJobRunner({ databaseUrl: database.url, log, work: options.role !== 'api' })
    closers.push(() => jobs.stop(config.shutdownTimeoutMs))
    const parts = createServiceParts({ config, pool, odoo, jobs, clock, log })
    await foldLegacyContactPii({ pool, cipher: parts.cipher, log })
    await jobs.register([...jobDefinitions(parts, config, jobs), ...(options.extraJobs?.(parts) ?? [])])
    if (!mailIsSent(config)) log.warn('SMTP_URL or MAIL_FROM is not set: mail to requesters waits in the outbox until they are')
    if (options.role !== 'worker') warnOfUnsignedIntake(config, log)

    const metrics = createMetrics({ pool, clock, scrapeToken: config.http.metricsToken })
    const app = await buildApp(appDependencies({ config, parts, role: options.role, jobs, metrics }))
    closers.push(() => app.close())

    return { ...parts, app, database, jobs, close: closeAll }
  } catch (error) {
    await closeAll()
    throw error
  }
}
