import type { Command } from 'commander'
import { checkOdooConnection, formatOdooCheckReport } from '../odoo/connection-check.ts'
import { createOdooGateway } from '../odoo/gateway.ts'
import { formatOdooSetupReport, OdooSetupError, setUpOdoo } from '../odoo/odoo-setup.ts'
import { commandLogger, readConfig, UsageError } from './context.ts'

export function registerOdooCommands(program: Command): void {
  const odoo = program.command('odoo').description('Odoo connection tools')

  odoo
    .command('check')
    .description('print the Odoo server version, the protocol chosen, the user, and whether each right the features need is present; exits 1 if one is missing')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const config = readConfig()
      const gateway = createOdooGateway(config.odoo, { log: commandLogger(config) })
      try {
        const report = await checkOdooConnection(gateway)
        console.log(options.json ? JSON.stringify(report) : formatOdooCheckReport(report))
        if (!report.ok) process.exitCode = 1
      } finally {
        await gateway.close()
      }
    })

  odoo
    .command('setup')
    .description(
      "with an Odoo administrator's API key: give ODOO_USERNAME a group holding exactly the rights the service uses and, on Odoo 17+, create the webhook rules; a second run changes nothing"
    )
    .option('--admin-key <key>', "an Odoo administrator's API key (default: ODOO_ADMIN_API_KEY); used for this command only, never stored")
    .option('--admin-login <login>', 'the login that key belongs to (XML-RPC and JSON-RPC need it; JSON-2 does not)', 'admin')
    .option('--dry-run', 'print every record it would create, change or delete, and change nothing')
    .option('--remove', 'take away what setup made: webhook rules, the group and its rights')
    .option('--json', 'print JSON')
    .action(async (options: { adminKey?: string; adminLogin: string; dryRun?: boolean; remove?: boolean; json?: boolean }) => {
      const config = readConfig()
      const adminKey = options.adminKey ?? config.odooSetup.adminApiKey
      if (adminKey === undefined) throw new UsageError("odoo setup needs an Odoo administrator's API key: --admin-key KEY or ODOO_ADMIN_API_KEY")
      // The administrator's gateway lives for this command only; the service's own key is not used.
      const gateway = createOdooGateway({ ...config.odoo, username: options.adminLogin, secret: adminKey }, { log: commandLogger(config) })
      try {
        const report = await setUpOdoo(gateway, {
          serviceLogin: config.odoo.username,
          webhook: { publicUrl: config.mirror.publicUrl, token: config.mirror.webhookToken },
          mode: options.dryRun ? 'dry-run' : 'apply',
          remove: options.remove ?? false
        })
        console.log(options.json ? JSON.stringify(report) : formatOdooSetupReport(report))
      } catch (error) {
        if (!(error instanceof OdooSetupError)) throw error
        console.error(error.message)
        process.exitCode = 1
      } finally {
        await gateway.close()
      }
    })
}
