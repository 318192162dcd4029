# One image for every cpr-haendelser process; docker-compose.yml picks the process with `command`.
# Two stages: `build` installs the workspace and bundles each app (pnpm run build: esbuild, one
# dist/main.js with its source map per app); the final stage holds node, the bundles and the few
# files they read at run time (WSDL, the simulator's data and dev-PKI script), and nothing else:
# no node_modules, no TypeScript, tsx, jest or package manager.
# The base images are ARGs so a machine that cannot pull them can substitute its own
# (deploy/compose-test.sh does).
ARG NODE_IMAGE=node:20-bookworm-slim
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${NODE_IMAGE} AS build
# Exactly the pnpm the lockfile was made with (package.json "packageManager").
RUN npm i -g -E pnpm@12.4.2
WORKDIR /src
ENV CI=true TURBO_TELEMETRY_DISABLED=1
# Dependencies first, from the lockfile and the package manifests alone, so a source change
# reuses this layer.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
# Dependency patches (pnpm patch) are part of the lockfile's resolution.
COPY patches ./patches
RUN pnpm fetch
COPY apps/bench/package.json apps/bench/
COPY apps/board/package.json apps/board/
COPY apps/cli/package.json apps/cli/
COPY apps/demo/package.json apps/demo/
COPY apps/poller/package.json apps/poller/
COPY apps/receiver/package.json apps/receiver/
COPY apps/simulator/package.json apps/simulator/
COPY apps/webhooks/package.json apps/webhooks/
COPY apps/worker/package.json apps/worker/
COPY packages/besked/package.json packages/besked/
COPY packages/config/package.json packages/config/
COPY packages/consumer/package.json packages/consumer/
COPY packages/errors/package.json packages/errors/
COPY packages/kombit/package.json packages/kombit/
COPY packages/pipeline/package.json packages/pipeline/
COPY packages/runtime/package.json packages/runtime/
COPY packages/testkit/package.json packages/testkit/
COPY e2e/package.json e2e/
COPY tooling/lint/package.json tooling/lint/
RUN pnpm install --frozen-lockfile --offline
COPY . .
RUN pnpm run build \
  && mkdir -p /out/apps /out/certs /out/deploy \
  && for app in board cli poller receiver simulator webhooks worker; do \
       mkdir -p /out/apps/$app && cp -r apps/$app/dist /out/apps/$app/; \
     done \
  && cp -r apps/simulator/data /out/apps/simulator/ \
  && cp -r wsdl /out/ \
  && cp certs/make-dev-certs.sh /out/certs/ \
  && cp deploy/readyz-check.cjs deploy/image-contents-check.sh /out/deploy/

FROM ${RUNTIME_IMAGE}
# openssl: the simulator makes its dev PKI with certs/make-dev-certs.sh on first start.
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssl ca-certificates \
  && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb \
  && groupadd --system --gid 10001 cprh \
  && useradd --system --uid 10001 --gid cprh --home-dir /app --no-create-home --shell /usr/sbin/nologin cprh
COPY --from=build /usr/local/bin/node /usr/local/bin/node
WORKDIR /app
COPY --from=build /out/ /app/
# `cprh` for operator commands (docker compose exec worker cprh dlq list); the simulator's dev
# PKI directory is the one place the app writes (a volume in docker-compose.yml).
RUN printf '#!/bin/sh\nexec node --enable-source-maps /app/apps/cli/dist/main.js "$@"\n' >/usr/local/bin/cprh \
  && chmod 755 /usr/local/bin/cprh \
  && mkdir -p /app/certs/dev && chown cprh:cprh /app/certs/dev \
  && sh /app/deploy/image-contents-check.sh
USER cprh
ENV NODE_ENV=production
# Each service's /readyz on its METRICS_PORT (docker-compose.yml sets it for every app service).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "/app/deploy/readyz-check.cjs"]
CMD ["cprh", "--help"]
