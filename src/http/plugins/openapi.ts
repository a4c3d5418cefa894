import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod'
import { SECURITY_SCHEME } from './authentication.ts'

export const API_TITLE = 'Odoo Privacy Bridge API'

/** The OpenAPI 3.1 document is generated from the routes' zod schemas: there is no other source. */
export const openapi = fp<{ version: string; swaggerUi: boolean }>(
  async (app, options) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: API_TITLE,
          version: options.version,
          description:
            'Retention and data-subject rights for a self-hosted Odoo. Authenticate with an API key (`Authorization: Bearer pbk_…`); each operation lists the roles that may call it. Errors are RFC 9457 problem details.'
        },
        components: { securitySchemes: { [SECURITY_SCHEME]: { type: 'http', scheme: 'bearer', description: 'An API key created with `privacy-bridge keys create`.' } } }
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject
    })
    app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger())
    // Without the standalone top bar: its Swagger logo carries an inline <style> that the
    // Content-Security-Policy refuses, and its URL box could only load this origin's document anyway.
    if (options.swaggerUi) await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: true, layout: 'BaseLayout' } })
  },
  { name: 'openapi' }
)
