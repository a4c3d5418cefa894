import { isIP } from 'node:net'
import { CronExpressionParser } from 'cron-parser'
import { z } from 'zod'
import { channelRuleSchema } from './channel-rules.ts'
import type { ChannelRule } from './channel-rules.ts'

/**
 * The whole environment the service reads, in one schema. Every variable is documented in
 * README.md and .env.example; a bad value stops start-up with one line naming it.
 */
const base64Key32 = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length === 32 && /^[A-Z0-9+/]+={0,2}$/i.test(v), {
    message: 'must be 32 bytes encoded as base64 (e.g. `openssl rand -base64 32`)'
  })

const base64Keys32 = z
  .string()
  .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
  .pipe(z.array(base64Key32))

const jsonArray = <T extends z.ZodType>(item: T) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be valid JSON' })
        return z.NEVER
      }
    })
    .pipe(z.array(item))

// Read as pg-boss's schedule() reads it (cron-parser, UTC, not strict), so that an expression this
// accepts is one pg-boss can evaluate; the parser's reason names the field at fault.
const cron = z.string().superRefine((expression, ctx) => {
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC', strict: false })
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `must be a cron expression, e.g. "*/10 * * * *" (${(error as Error).message})` })
  }
})

const positiveInt = z.coerce.number().int().positive()
const nonNegativeInt = z.coerce.number().int().nonnegative()
const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')

// Which peers may tell the client's address in X-Forwarded-For (Fastify's `trustProxy`): addresses
// and ranges, proxy-addr's names among them; rate limits count per client address. No hop count:
// Fastify 5 trusts no peer for one, since a count cannot tell the proxy from a client.
const PROXY_ADDRESS_NAMES = ['loopback', 'linklocal', 'uniquelocal']
const trustProxy = z.string().transform((value, ctx): boolean | string[] => {
  if (value === 'true' || value === 'false') return value === 'true'
  const entries = value.split(',').map((entry) => entry.trim())
  if (entries.every((entry) => PROXY_ADDRESS_NAMES.includes(entry) || isAddressOrRange(entry))) return entries
  ctx.addIssue({ code: 'custom', message: 'must be false, true, or comma-separated addresses and CIDR ranges of the proxies (or loopback, linklocal, uniquelocal)' })
  return z.NEVER
})

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/')
  const version = isIP(address)
  if (version === 0 || rest.length > 0) return false
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128))
}

const envSchema = z
  .object({
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: z.coerce.number({ error: 'must be a number' }).int().min(0).max(65535).default(8080),
    METRICS_TOKEN: z.string().min(16, { message: 'must be at least 16 characters (e.g. `openssl rand -hex 16`)' }).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
    DATABASE_POOL_MAX: positiveInt.default(10),
    DATA_DIR: z.string().min(1).default('.data'),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(54329),
    PII_ENCRYPTION_KEY: base64Key32,
    PII_PREVIOUS_KEYS: base64Keys32.optional(),
    SHUTDOWN_TIMEOUT_MS: positiveInt.default(30_000),
    ODOO_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL of the Odoo server' }),
    ODOO_DB: z.string().min(1),
    ODOO_USERNAME: z.string().min(1),
    ODOO_API_KEY: z.string().min(1).optional(),
    ODOO_PASSWORD: z.string().min(1).optional(),
    ODOO_PROTOCOL: z.enum(['auto', 'jsonrpc', 'xmlrpc', 'json2']).default('auto'),
    ODOO_TIMEOUT_MS: positiveInt.default(30_000),
    ODOO_MAX_CONCURRENCY: positiveInt.default(4),
    ODOO_RETRIES: nonNegativeInt.default(4),
    ODOO_RETRY_BASE_MS: positiveInt.default(500),
    SWAGGER_UI: flag.default(true),
    TRUST_PROXY: trustProxy.default(false),
    ODOO_WEBHOOK_TOKEN: z.string().min(24, { message: 'must be at least 24 characters (e.g. `openssl rand -hex 24`)' }).optional(),
    PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be the http(s) URL at which Odoo reaches the service' }).optional(),
    ODOO_ADMIN_API_KEY: z.string().min(1).optional(),
    SYNC_CRON: cron.default('*/10 * * * *'),
    SYNC_PAGE_SIZE: z.coerce.number().int().min(10).max(5000).default(500),
    RECONCILE_CRON: cron.default('40 2 * * *'),
    CHANNEL_RULES: jsonArray(channelRuleSchema).optional(),
    RETENTION_MODE: z.enum(['enforce', 'dry-run']).default('enforce'),
    REDACTION_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
    REDACTION_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
    RETENTION_SWEEP_CRON: cron.default('*/5 * * * *'),
    RETENTION_SNAPSHOT_CRON: cron.default('55 23 * * *'),
    RETENTION_BACKLOG_APPROVAL: z
      .union([z.enum(['always', 'never']), z.coerce.number().int().min(0).max(1_000_000)], { message: 'must be always, never or a number of contacts' })
      .default(25),
    RIGHTS_DEFAULT_JURISDICTION: z.enum(['gdpr', 'ccpa', 'other']).default('gdpr'),
    RIGHTS_OTHER_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    RIGHTS_TARGET_BUSINESS_DAYS: z.coerce.number().int().min(1).max(60).default(7),
    RIGHTS_EXPORT_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(72),
    RIGHTS_CODE_TTL_MINUTES: z.coerce.number().int().min(5).max(1440).default(30),
    RIGHTS_CODE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
    RIGHTS_ODOO_TAGS: flag.default(true),
    RIGHTS_RECORD_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(1095),
    RIGHTS_MAX_SUBJECT_CONTACTS: z.coerce.number().int().min(1).max(1000).default(20),
    RIGHTS_APPROVAL: z.enum(['none', 'erasure', 'all']).default('erasure'),
    FORWARDEMAIL_WEBHOOK_KEY: z.string().min(16, { message: 'must be the webhook key from ForwardEmail (at least 16 characters)' }).optional(),
    INTAKE_ALLOW_UNSIGNED: flag.default(false),
    INTAKE_BODY_LIMIT_BYTES: z.coerce.number().int().min(65_536).max(209_715_200).default(26_214_400),
    INTAKE_KEEP_ATTACHMENTS: flag.default(false),
    INTAKE_ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1).max(52_428_800).default(5_242_880),
    SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
    MAIL_SWEEP_CRON: cron.default('* * * * *'),
    MAIL_FROM: z.string().regex(/^(.*<)?[^\s@<>]+@[^\s@<>]+>?$/, { message: 'must be an address, e.g. "Privacy <privacy@shop.example>"' }).optional(),
    AUTH_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    RATE_LIMIT_AUTH_FAILURES: nonNegativeInt.default(20),
    RATE_LIMIT_CODE_CONFIRMATIONS: nonNegativeInt.default(10),
    RATE_LIMIT_INTAKE_PER_SENDER: nonNegativeInt.default(30)
  })
  .refine((env) => env.ODOO_API_KEY !== undefined || env.ODOO_PASSWORD !== undefined, {
    path: ['ODOO_API_KEY'],
    message: 'is required (or set ODOO_PASSWORD)'
  })
  .refine((env) => env.SMTP_URL === undefined || env.MAIL_FROM !== undefined, { path: ['MAIL_FROM'], message: 'is required when SMTP_URL is set' })

export type Env = z.infer<typeof envSchema>

export interface Config {
  /** `metricsToken`: the bearer token `GET /metrics` asks for; unset, the route is public. */
  /**
   * `authCacheMs`: how long an API process trusts what it read of a key and of an address's failed
   * authentications: how late it sees a revocation, or an address going over its limit, elsewhere.
   */
  http: { host: string; port: number; swaggerUi: boolean; trustProxy: Env['TRUST_PROXY']; metricsToken: string | undefined; authCacheMs: number }
  log: { level: Env['LOG_LEVEL'] }
  database: { url: string | undefined; poolMax: number; dataDir: string; embeddedPort: number }
  crypto: { piiKey: Buffer; previousPiiKeys: Buffer[] }
  mirror: MirrorConfig
  retention: RetentionConfig
  rights: RightsConfig
  mail: MailConfig
  rateLimits: RateLimitConfig
  shutdownTimeoutMs: number
  odoo: OdooConfig
  /** `privacy-bridge odoo setup` only: an Odoo administrator's API key, used for that command and never kept. */
  odooSetup: { adminApiKey: string | undefined }
}

export interface MirrorConfig {
  syncCron: string
  reconcileCron: string
  pageSize: number
  channelRules: ChannelRule[]
  /** Secret path segment of Odoo's webhook; the webhook route refuses every call when unset. */
  webhookToken: string | undefined
  /** Where Odoo reaches the service (`PUBLIC_URL`): the base of the webhook URL `odoo setup` gives Odoo. */
  publicUrl: string | undefined
}

export interface RetentionConfig {
  /** `dry-run`: everything is computed, queued and audited as "would redact"; nothing is written to Odoo. */
  mode: 'enforce' | 'dry-run'
  batchSize: number
  /** Redaction batches one worker process runs at once (pg-boss localConcurrency of the drain jobs). */
  concurrency: number
  sweepCron: string
  /** When the day's figures of the retention report are kept for GET /v1/retention/history (UTC). */
  snapshotCron: string
  /**
   * When contacts already past due at planning wait for an admin: `always`, `never`, or when more
   * than this many would be redacted at once.
   */
  backlogApproval: 'always' | 'never' | number
}

export interface RightsConfig {
  defaultJurisdiction: 'gdpr' | 'ccpa' | 'other'
  otherDays: number
  targetBusinessDays: number
  exportTtlHours: number
  codeTtlMinutes: number
  maxCodeAttempts: number
  /** Tag restricted, objecting and opted-out contacts in Odoo, so Odoo users see it too. */
  odooTags: boolean
  /** Days after a request closes until its requester's identifiers, evidence and mail are destroyed. */
  recordRetentionDays: number
  /** More contacts than this found for a requester stop the request until an agent names the subject's. */
  maxSubjectContacts: number
  /**
   * What takes effect only once a second key approves it: nothing (`none`); every manual
   * verification and the fulfilment of erasure and CCPA delete (`erasure`); or every manual
   * verification and every fulfilment (`all`).
   */
  approval: 'none' | 'erasure' | 'all'
}

export interface MailConfig {
  webhookKey: string | undefined
  /** Without a webhook key the intake refuses every webhook, unless this is set (the demo, a local trial). */
  allowUnsigned: boolean
  bodyLimit: number
  keepAttachments: boolean
  attachmentMaxBytes: number
  /** Where outbound mail is sent through; without it, mail waits in the outbox. */
  smtpUrl: string | undefined
  from: string | undefined
  sweepCron: string
}

/** How many events each limit allows per window (0: the limit is off); the windows are fixed. */
export interface RateLimitConfig {
  /** Failed authentications per client address per 15 minutes. */
  authFailures: number
  /** Code confirmations per request, and per client address, per 15 minutes. */
  codeConfirmations: number
  /** ForwardEmail webhooks per sender per hour. */
  intakePerSender: number
}

export interface OdooConfig {
  url: string
  db: string
  username: string
  /** The API key, or the password where no key is set: Odoo accepts either in the same place. */
  secret: string
  protocol: Env['ODOO_PROTOCOL']
  timeoutMs: number
  maxConcurrency: number
  retries: number
  retryBaseMs: number
}

/** The sample key in .env.example: fine for a local trial, a warning anywhere else. */
export const SAMPLE_PII_KEY = 'bG9jYWwtdHJpYWwta2V5LXJlcGxhY2UtaW4tcHJvZCE='

/** Raised when the environment is invalid; its message is the single line printed at start-up. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const present = withoutEmptyStrings(source)
  const parsed = envSchema.safeParse(present)
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, present))
  return toConfig(parsed.data)
}

// An empty variable (`FOO=` in a .env file) means "not set", as most tools treat it.
function withoutEmptyStrings(source: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(source).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''))
}

function describeIssues(error: z.ZodError, present: Record<string, string>): string {
  const parts = error.issues.map((issue) => {
    const name = issue.path.join('.')
    const message = issue.code === 'invalid_type' && !(name in present) ? 'is required' : issue.message
    return `${name} ${message}`
  })
  return `Invalid configuration: ${parts.join('; ')}`
}

function toConfig(env: Env): Config {
  return {
    http: { host: env.HOST, port: env.PORT, swaggerUi: env.SWAGGER_UI, trustProxy: env.TRUST_PROXY, metricsToken: env.METRICS_TOKEN, authCacheMs: env.AUTH_CACHE_MS },
    log: { level: env.LOG_LEVEL },
    database: { url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX, dataDir: env.DATA_DIR, embeddedPort: env.EMBEDDED_PG_PORT },
    crypto: { piiKey: Buffer.from(env.PII_ENCRYPTION_KEY, 'base64'), previousPiiKeys: (env.PII_PREVIOUS_KEYS ?? []).map((k) => Buffer.from(k, 'base64')) },
    mirror: {
      syncCron: env.SYNC_CRON,
      reconcileCron: env.RECONCILE_CRON,
      pageSize: env.SYNC_PAGE_SIZE,
      channelRules: env.CHANNEL_RULES ?? [],
      webhookToken: env.ODOO_WEBHOOK_TOKEN,
      publicUrl: env.PUBLIC_URL
    },
    retention: { mode: env.RETENTION_MODE, batchSize: env.REDACTION_BATCH_SIZE, concurrency: env.REDACTION_CONCURRENCY, sweepCron: env.RETENTION_SWEEP_CRON, snapshotCron: env.RETENTION_SNAPSHOT_CRON, backlogApproval: env.RETENTION_BACKLOG_APPROVAL },
    rights: {
      defaultJurisdiction: env.RIGHTS_DEFAULT_JURISDICTION,
      otherDays: env.RIGHTS_OTHER_DAYS,
      targetBusinessDays: env.RIGHTS_TARGET_BUSINESS_DAYS,
      exportTtlHours: env.RIGHTS_EXPORT_TTL_HOURS,
      codeTtlMinutes: env.RIGHTS_CODE_TTL_MINUTES,
      maxCodeAttempts: env.RIGHTS_CODE_MAX_ATTEMPTS,
      odooTags: env.RIGHTS_ODOO_TAGS,
      recordRetentionDays: env.RIGHTS_RECORD_RETENTION_DAYS,
      maxSubjectContacts: env.RIGHTS_MAX_SUBJECT_CONTACTS,
      approval: env.RIGHTS_APPROVAL
    },
    mail: {
      webhookKey: env.FORWARDEMAIL_WEBHOOK_KEY,
      allowUnsigned: env.INTAKE_ALLOW_UNSIGNED,
      bodyLimit: env.INTAKE_BODY_LIMIT_BYTES,
      keepAttachments: env.INTAKE_KEEP_ATTACHMENTS,
      attachmentMaxBytes: env.INTAKE_ATTACHMENT_MAX_BYTES,
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM,
      sweepCron: env.MAIL_SWEEP_CRON
    },
    rateLimits: { authFailures: env.RATE_LIMIT_AUTH_FAILURES, codeConfirmations: env.RATE_LIMIT_CODE_CONFIRMATIONS, intakePerSender: env.RATE_LIMIT_INTAKE_PER_SENDER },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    odoo: {
      url: env.ODOO_URL,
      db: env.ODOO_DB,
      username: env.ODOO_USERNAME,
      secret: (env.ODOO_API_KEY ?? env.ODOO_PASSWORD) as string,
      protocol: env.ODOO_PROTOCOL,
      timeoutMs: env.ODOO_TIMEOUT_MS,
      maxConcurrency: env.ODOO_MAX_CONCURRENCY,
      retries: env.ODOO_RETRIES,
      retryBaseMs: env.ODOO_RETRY_BASE_MS
    },
    odooSetup: { adminApiKey: env.ODOO_ADMIN_API_KEY }
  }
}
