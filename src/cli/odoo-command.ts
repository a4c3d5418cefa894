import type { Command } from 'commander'
import { checkOdooConnection, formatOdooCheckReport } from '../odoo/connection-check.ts'
import { createOdooGateway } from '../odoo/gateway.ts'
import { commandLogger, readConfig } from './context.ts'

export function registerOdooCommands(program: Command): void {
  program
    .command('odoo')
    .description('Odoo connection tools')
    .command('check')
    .description('print the Odoo server version, the protocol chosen, the user, and whether each needed right is present; exits 1 if not')
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
}
