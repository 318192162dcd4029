# Test-only stand-in for rabbitmq:3.13-management-alpine: Debian bookworm's rabbitmq-server with
# the management plugin, logging to stdout.
ARG DEBIAN_IMAGE=cprh-local/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends rabbitmq-server \
  && rm -rf /var/lib/apt/lists/* \
  && rabbitmq-plugins enable --offline rabbitmq_management
ENV RABBITMQ_LOGS=-
USER rabbitmq
CMD ["/usr/lib/rabbitmq/bin/rabbitmq-server"]
