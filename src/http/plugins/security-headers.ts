import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'

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
 * sniffing, no referrer, and the policy above.
 */
export const securityHeaders = fp(
  async (app) => {
    await app.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
      frameguard: { action: 'deny' }
    })
  },
  { name: 'security-headers' }
)
