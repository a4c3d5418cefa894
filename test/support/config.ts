import { loadConfig } from '../../src/config/env.ts'
import type { Config } from '../../src/config/env.ts'

export const TEST_PII_KEY = Buffer.alloc(32, 42).toString('base64')

/** A configuration read through the real schema, as the service reads its environment. */
export function testConfig(env: Record<string, string>): Config {
  return loadConfig({
    PII_ENCRYPTION_KEY: TEST_PII_KEY,
    ODOO_URL: 'http://127.0.0.1:9',
    ODOO_DB: 'shop',
    ODOO_USERNAME: 'admin',
    ODOO_API_KEY: 'unused',
    ODOO_TIMEOUT_MS: '1000',
    ODOO_RETRIES: '0',
    LOG_LEVEL: 'silent',
    PORT: '0',
    // Most tests redact an old shop's contacts at once; the backlog's own tests set the default.
    RETENTION_BACKLOG_APPROVAL: 'never',
    // Most tests verify and fulfil with one agent's key; the approval's own tests set RIGHTS_APPROVAL.
    RIGHTS_APPROVAL: 'none',
    ...env
  })
}
