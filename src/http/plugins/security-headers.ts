import fp from 'fastify-plugin'
import helmet from 'helmet'

/**
 * The one Content-Security-Policy of every response. The API answers JSON, and the only page is
 * Swagger UI at `/docs`, which loads its scripts, styles and the document from this origin and
 * draws its logo and icons from `data:` URLs; nothing else is allowed (checked in headless
 * Chromium by test/http.docs-browser.test.ts). No `upgrade-insecure-requests`: TLS ends at the
 * reverse proxy, and over plain HTTP (a local trial, a probe) it would break the page's requests.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"]
}

/**
 * helmet's headers on every response, problem details and 404s included: HSTS (a year, browsers
 * keep it only from an HTTPS answer, so it takes effect behind a TLS proxy), no framing, no MIME
 * sniffing, no referrer, and the policy above. helmet's middleware is built once: @fastify/helmet
 * built it again for every request, parsing the policy each time.
 */
export const securityHeaders = fp(
  (app, _options, done) => {
    const setHeaders = helmet({ contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY }, frameguard: { action: 'deny' } })
    app.addHook('onRequest', (request, reply, next) => {
      setHeaders(request.raw, reply.raw, (error) => {
        next(error as Error | undefined)
      })
    })
    done()
  },
  { name: 'security-headers' }
)
