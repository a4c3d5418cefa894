import type { Command } from 'commander'
import { Option } from 'commander'
import { createApiKeys } from '../auth/api-keys.ts'
import type { ApiKey } from '../auth/api-keys.ts'
import { roleSchema } from '../auth/roles.ts'
import { createAuditTrail } from '../audit/audit-trail.ts'
import { systemClock } from '../clock.ts'
import { createPiiCipher } from '../crypto/pii-cipher.ts'
import cliProgress from 'cli-progress'
import { findStaleData, rotateSealedData } from '../crypto/data-rotation.ts'
import type { StaleReport } from '../crypto/data-rotation.ts'
import { SEALED_STORES } from '../service.ts'
import { commandLogger, readConfig, UsageError, withDatabase } from './context.ts'

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('manage API keys (admin, agent, auditor)')

  keys
    .command('create')
    .description('create an API key; the key is printed once and only its hash is stored')
    .addOption(new Option('--role <role>', 'what the key may do').choices(roleSchema.options).makeOptionMandatory())
    .requiredOption('--name <name>', 'who or what uses the key, e.g. support-desk')
    .option('--json', 'print JSON')
    .action(async (options: { role: ApiKey['role']; name: string; json?: boolean }) => {
      const config = readConfig()
      const created = await withDatabase(config, commandLogger(config), async (pool) => {
        const key = await createApiKeys({ pool, clock: systemClock }).create({ name: options.name, role: options.role })
        await createAuditTrail({ pool, clock: systemClock }).record({ actor: 'system', action: 'api_key.created', subject: { type: 'api_key', id: key.id }, details: { role: key.role, via: 'cli' } })
        return key
      })
      if (options.json) console.log(JSON.stringify({ id: created.id, name: created.name, role: created.role, key: created.secret }))
      else console.log(`Created ${created.role} key ${created.id} (${created.name}). Store it now, it is not shown again:\n\n  ${created.secret}\n`)
    })

  keys
    .command('list')
    .description('list API keys without their secrets')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const config = readConfig()
      const all = await withDatabase(config, commandLogger(config), (pool) => createApiKeys({ pool, clock: systemClock }).list())
      if (options.json) {
        console.log(JSON.stringify(all))
        return
      }
      if (all.length === 0) {
        console.log('No API keys yet: create one with `privacy-bridge keys create --role admin --name NAME`.')
        return
      }
      for (const key of all) {
        console.log([key.id, key.role.padEnd(7), key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active'.padEnd(32), key.name].join('  '))
      }
    })

  keys
    .command('revoke')
    .description('revoke an API key by id')
    .argument('<id>', 'the key id shown by `keys list`')
    .action(async (id: string) => {
      const config = readConfig()
      const revoked = await withDatabase(config, commandLogger(config), async (pool) => {
        const key = await createApiKeys({ pool, clock: systemClock }).revoke(id)
        if (key) await createAuditTrail({ pool, clock: systemClock }).record({ actor: 'system', action: 'api_key.revoked', subject: { type: 'api_key', id }, details: { via: 'cli' } })
        return key
      })
      if (!revoked) throw new UsageError(`No API key has the id ${id}.`)
      console.log(`Revoked key ${revoked.id} (${revoked.name}).`)
    })

  keys
    .command('rotate-data')
    .description('re-encrypt every sealed value and rebuild every blind index under PII_ENCRYPTION_KEY (older keys listed in PII_PREVIOUS_KEYS); resumable')
    .option('--check', 'change nothing: list what is still under an old key; exits 1 unless nothing is')
    .option('--json', 'print JSON')
    .action(async (options: { check?: boolean; json?: boolean }) => {
      const config = readConfig()
      const cipher = createPiiCipher({ current: config.crypto.piiKey, previous: config.crypto.previousPiiKeys })
      const log = commandLogger(config)
      if (options.check) {
        const report = await withDatabase(config, log, (pool) => findStaleData({ pool, cipher }, SEALED_STORES))
        if (options.json) console.log(JSON.stringify(report))
        else printStaleReport(report)
        if (!report.clean) process.exitCode = 1
        return
      }
      const bar = !options.json && process.stdout.isTTY ? new cliProgress.SingleBar({ format: '{store} {bar} {value}/{total}', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined
      let shown: string | undefined
      const result = await withDatabase(config, log, async (pool) => {
        const resealed = await rotateSealedData({ pool, cipher }, SEALED_STORES, (progress) => {
          if (!bar) return
          if (shown !== progress.store) {
            if (shown !== undefined) bar.stop()
            bar.start(progress.total, progress.done, { store: progress.store.padEnd(16) })
            shown = progress.store
          } else bar.update(progress.done)
          bar.setTotal(progress.total)
        })
        bar?.stop()
        await createAuditTrail({ pool, clock: systemClock }).record({ actor: 'system', action: 'pii.rekeyed', details: { resealed, keyId: cipher.currentKeyId, via: 'cli' } })
        return { resealed, check: await findStaleData({ pool, cipher }, SEALED_STORES) }
      })
      if (options.json) {
        console.log(JSON.stringify({ keyId: cipher.currentKeyId, ...result }))
        return
      }
      console.log(`Re-encrypted under key ${cipher.currentKeyId}: ${Object.entries(result.resealed).map(([store, n]) => `${store} ${n}`).join(', ')}.`)
      if (result.check.clean) console.log('Nothing is left under an older key: the keys in PII_PREVIOUS_KEYS can be removed.')
      else printStaleReport(result.check)
    })
}

function printStaleReport(report: StaleReport): void {
  console.log(`Current key: ${report.currentKeyId}`)
  for (const store of report.stores) {
    const stale = Object.entries(store.staleByKey)
    console.log(`  ${store.name.padEnd(16)} ${stale.length === 0 ? 'all under the current key' : stale.map(([key, n]) => `${n} under key ${key}`).join(', ')}`)
    if (store.stranded) console.log(`  ${''.padEnd(16)} ${store.stranded.count} ${store.stranded.why}`)
  }
  console.log(report.clean ? 'Older keys are no longer needed.' : 'Keep the older keys in PII_PREVIOUS_KEYS until this is clean (run `keys rotate-data`).')
}
