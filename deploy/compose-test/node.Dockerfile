# Test-only stand-in for node:20-bookworm-slim (nothing can be pulled on the CI machine): Debian
# bookworm with this machine's own node and npm, and its CA bundle (the package registries are
# reached through a CA the machine trusts and a fresh image does not).
ARG DEBIAN_IMAGE=cprh-local/debian:bookworm
FROM ${DEBIAN_IMAGE}
COPY ca-bundle.crt /usr/local/share/ca-certificates/cprh-host-bundle.crt
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
  && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
  && node --version
ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/cprh-host-bundle.crt
CMD ["node"]
