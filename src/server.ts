import closeWithGrace from 'close-with-grace'
import { SAMPLE_PII_KEY } from './config/env.ts'
import type { Config } from './config/env.ts'
import type { Logger } from './log/logger.ts'
import { startService } from './service.ts'
import type { ProcessRole, Service, ServiceOptions } from './service.ts'

/**
 * The only place that listens and handles signals. On SIGTERM/SIGINT: stop taking HTTP requests and
 * jobs, let running jobs finish (bounded by SHUTDOWN_TIMEOUT_MS), close pools, stop an embedded
 * database. A second signal or the deadline ends the process.
 */
export async function serve(options: { config: Config; log: Logger; role: ProcessRole; connectOdoo: ServiceOptions['connectOdoo'] }): Promise<Service> {
  const { config, log } = options
  if (config.crypto.piiKey.equals(Buffer.from(SAMPLE_PII_KEY, 'base64'))) {
    log.warn('PII_ENCRYPTION_KEY is the sample key from .env.example: generate your own (`openssl rand -base64 32`) before real data arrives')
  }
  const service = await startService(options)
  // Margin over the job drain so close-with-grace does not cut a graceful shutdown short.
  const closeListeners = closeWithGrace({ delay: config.shutdownTimeoutMs + 10_000 }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'shutting down after a fatal error')
    else log.info({ signal }, 'shutting down')
    await service.close()
  })
  service.app.addHook('onClose', (_app, done) => {
    closeListeners.uninstall()
    done()
  })
  await service.app.listen({ host: config.http.host, port: config.http.port })
  log.info({ role: options.role, docs: config.http.swaggerUi ? '/docs' : undefined }, 'service ready')
  return service
}
