import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fp from 'fastify-plugin'
import fastifyStatic from '@fastify/static'
import { domainError } from '../../errors/catalogue.ts'

/**
 * Where `npm run build` puts the privacy desk (console/, built by Vite): `dist/console` of the
 * package, the same folder whether the service runs from src/ (dev, tests) or from dist/.
 */
export const CONSOLE_DIR = fileURLToPath(new URL('../../../dist/console/', import.meta.url))

/**
 * The privacy desk at `/console/`: static files, no key needed to load them (every call they make
 * to the API takes one), under the same Content-Security-Policy as every response. Vite names its
 * assets by their content, so they are cached for good; the page itself is revalidated, so a new
 * build is seen at the next load.
 */
export const consoleUi = fp<{ dir: string }>(
  async (app, { dir }) => {
    if (!existsSync(join(dir, 'index.html'))) {
      app.log.warn({ dir }, 'the console is not built: /console answers 404 until `npm run build` has run')
      const notBuilt = () => Promise.reject(domainError('not_found', 'The console is not built: run `npm run build`.'))
      app.get('/console', { schema: { hide: true } }, notBuilt)
      app.get('/console/*', { schema: { hide: true } }, notBuilt)
      return
    }
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/console/',
      decorateReply: false,
      cacheControl: false,
      setHeaders: (reply, path) => {
        void reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache')
      }
    })
    app.get('/console', { schema: { hide: true } }, (_request, reply) => reply.redirect('/console/', 301))
  },
  { name: 'console' }
)
