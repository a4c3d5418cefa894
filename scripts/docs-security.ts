// Writes the role × route table of README.md's "Security" section from the routes (run by
// `npm run docs:security`; test/docs.role-table.test.ts fails while the README differs).
import { readFileSync, writeFileSync } from 'node:fs'
import { generateOpenApiDocument } from '../src/http/openapi-document.ts'
import { renderRoleTable, withRoleTable } from '../src/http/role-table.ts'
import type { DocumentedPaths } from '../src/http/role-table.ts'
import { createLogger } from '../src/log/logger.ts'

const readmePath = new URL('../README.md', import.meta.url)
const document = JSON.parse(await generateOpenApiDocument(createLogger({ level: 'warn', destination: process.stderr }))) as DocumentedPaths
writeFileSync(readmePath, withRoleTable(readFileSync(readmePath, 'utf8'), renderRoleTable(document)))
console.log('README.md: role table written')
