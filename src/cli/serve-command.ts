import type { Command } from 'commander'
import { Option } from 'commander'
import { createLogger } from '../log/logger.ts'
import { createOdooGateway } from '../odoo/gateway.ts'
import { serve } from '../server.ts'
import type { ProcessRole } from '../service.ts'
import { readConfig } from './context.ts'

export function registerServeCommand(program: Command): void {
  program
    .command('serve', { isDefault: true })
    .description('run the service: HTTP API, job workers and schedules (or one of them with --role)')
    .addOption(new Option('--role <role>', 'api: HTTP only; worker: jobs and schedules only; all: both').choices(['api', 'worker', 'all']).default('all'))
    .action(async (options: { role: ProcessRole }) => {
      const config = readConfig()
      const log = createLogger({ level: config.log.level })
      await serve({ config, log, role: options.role, connectOdoo: (odooConfig, odooLog) => createOdooGateway(odooConfig, { log: odooLog }) })
    })
}
