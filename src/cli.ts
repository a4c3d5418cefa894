#!/usr/bin/env node
import { Command } from 'commander'
import { SERVICE_VERSION } from './version.ts'
import { loadEnvFile, UsageError } from './cli/context.ts'
import { EmbeddedPostgresError } from './db/embedded-postgres.ts'
import { registerServeCommand } from './cli/serve-command.ts'
import { registerDatabaseCommands } from './cli/database-commands.ts'
import { registerKeysCommands } from './cli/keys-command.ts'
import { registerOpenApiCommand } from './cli/openapi-command.ts'
import { registerOdooCommands } from './cli/odoo-command.ts'
import { registerSyncCommand } from './cli/sync-command.ts'
import { registerRetentionCommands } from './cli/retention-command.ts'
import { registerDemoCommand } from './cli/demo-command.ts'

const program = new Command('privacy-bridge')
  .description('Odoo privacy bridge: order mirror, retention and data-subject rights for a self-hosted Odoo')
  .version(SERVICE_VERSION)
  .showHelpAfterError()

registerServeCommand(program)
registerDatabaseCommands(program)
registerKeysCommands(program)
registerOdooCommands(program)
registerSyncCommand(program)
registerRetentionCommands(program)
registerDemoCommand(program)
registerOpenApiCommand(program)

loadEnvFile()
try {
  await program.parseAsync()
} catch (error) {
  // Problems the user can fix are one line on stderr, never a stack trace.
  const known = error instanceof UsageError || error instanceof EmbeddedPostgresError
  console.error(known ? error.message : `privacy-bridge: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = error instanceof UsageError ? 2 : 1
}
