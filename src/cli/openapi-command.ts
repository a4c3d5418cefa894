import { writeFileSync } from 'node:fs'
import type { Command } from 'commander'
import { generateOpenApiDocument } from '../http/openapi-document.ts'
import { createLogger } from '../log/logger.ts'

export function registerOpenApiCommand(program: Command): void {
  program
    .command('openapi')
    .description('print the OpenAPI 3.1 document generated from the routes (or write it to a file)')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (options: { out?: string }) => {
      const document = await generateOpenApiDocument(createLogger({ level: 'warn', destination: process.stderr }))
      if (options.out) writeFileSync(options.out, document)
      else process.stdout.write(document)
    })
}
