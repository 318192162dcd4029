# One image for every cpr-haendelser process; docker-compose.yml picks the process with `command`.
# The TypeScript sources run through tsx, as everywhere else in the repo, so there is no build step.
FROM node:20-bookworm-slim

# openssl: the simulator makes its dev PKI with certs/make-dev-certs.sh on first start.
RUN apt-get update \
  && apt-get install -y --no-install-recommends openssl ca-certificates \
  && rm -rf /var/lib/apt/lists/*

# Exactly the pnpm the lockfile was made with (package.json "packageManager").
RUN npm i -g -E pnpm@12.4.2

WORKDIR /app
RUN chown node:node /app
USER node

# Dependencies first, from the lockfile alone, so a source change does not re-download them.
COPY --chown=node:node package.json pnpm-lock.yaml pnpm-workspace.yaml ./
RUN CI=true pnpm fetch

COPY --chown=node:node . .
# tsx and the test tools are devDependencies: install all of them (tsx runs the processes).
RUN CI=true pnpm install --frozen-lockfile --offline \
  && mkdir -p certs/dev

ENV NODE_ENV=production
# docker-compose.yml sets the real command per service; this default shows the CLI's help.
CMD ["node", "--require", "tsx/cjs", "apps/cli/src/main.ts", "--help"]
