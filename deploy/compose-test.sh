#!/usr/bin/env bash
# The product run for real with docker compose, checked as an operator would check it. Called by
# .ci/run; runs alone too (as root, or as a user who may use docker): bash deploy/compose-test.sh
#
#  1. the engine: installs docker.io (and debootstrap) when root and missing, starts dockerd with no
#     bridge network when it is not running; Compose v2 from Debian trixie's package, kept in
#     /var/cache/cprh-compose-test (bookworm's docker-compose 1.29 cannot read the secrets);
#  2. local base images (Debian, Node, Redis, RabbitMQ: deploy/compose-test/local-images.sh), kept
#     by name across runs; the product image built from the Dockerfile with them (layer cache kept);
#  3. the real docker-compose.yml plus deploy/compose-test/docker-compose.test.yml (local images,
#     host network on 127.21.0.1 with ports of its own) brought up, then the checks below;
#  4. down -v at the end, whatever happened: no container, volume or network is left.
#
# Prints one line per check ("compose-test: ok <check>" / "compose-test: FAIL <check>: why") and
# last "compose-test: N passed, M failed". Where the engine cannot start it prints one line,
# "compose-test: skipped: <why>", and exits 0. Exit 1 when a check failed.
set -uo pipefail
cd "$(dirname "$0")/.."

PROJECT=cprh-compose-test
ADDR=127.21.0.1
REDIS_PORT=21379
BOARD_PORT=21300
POLLER_METRICS=21465
COMPOSE_VERSION=2.26.1
COMPOSE_CACHE=/var/cache/cprh-compose-test
IMAGE=cpr-haendelser:local
APPS=(simulator poller worker board receiver webhooks)
SERVICES=(redis rabbitmq "${APPS[@]}")
LOGS=$(mktemp -d /tmp/cprh-compose-test.XXXXXX)
passed=0
failed=0

say() { echo "compose-test: $*"; }
ok() {
  passed=$((passed + 1))
  say "ok $*"
}
fail() {
  failed=$((failed + 1))
  say "FAIL $*"
}
check() { # NAME COMMAND...: ok when the command succeeds, else FAIL with its last output line
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then ok "$name"; else fail "$name: $(echo "$out" | tail -1)"; fi
}
finish() {
  if [ "$failed" -eq 0 ]; then
    rm -rf "$LOGS"
    say "$passed passed, $failed failed"
    exit 0
  fi
  say "$passed passed, $failed failed (logs in $LOGS)"
  exit 1
}
skip() {
  say "skipped: $*"
  rm -rf "$LOGS"
  exit 0
}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

# --- 1. the engine ---------------------------------------------------------------------------
# Debian's client first: another docker on the PATH may lack BuildKit support for `build`.
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=$(command -v docker || true)
apt_install() {
  { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@"; } \
    >>"$LOGS/apt.log" 2>&1
}
if [ -z "$DOCKER" ] || ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null || ! command -v curl >/dev/null; then
  if [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; then
    apt_install docker.io debootstrap curl || skip "could not install docker.io, debootstrap and curl (see $LOGS/apt.log)"
    DOCKER=/usr/bin/docker
  fi
fi
[ -n "$DOCKER" ] || skip "no container engine (docker.io) and not root to install it"
if ! $DOCKER info >/dev/null 2>&1; then
  if command -v dockerd >/dev/null && { [ "$(id -u)" -eq 0 ] || sudo -n true 2>/dev/null; }; then
    # No bridge network and no iptables: every container of the test uses the host network.
    as_root setsid dockerd --bridge=none --iptables=false >"$LOGS/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 1 60); do
      $DOCKER info >/dev/null 2>&1 && break
      sleep 1
    done
  fi
  $DOCKER info >/dev/null 2>&1 ||
    skip "the container engine cannot start here ($(grep -m1 -i -E 'error|fail' "$LOGS/dockerd.log" 2>/dev/null || echo 'dockerd is not running and cannot be started'))"
fi

# Compose v2 (>= 2.24: secrets from the environment, !reset in the override).
COMPOSE=""
if $DOCKER compose version 2>/dev/null | grep -q -E 'v?2\.(2[4-9]|[3-9][0-9])'; then
  COMPOSE="$DOCKER compose"
elif [ -x "$COMPOSE_CACHE/docker-compose-$COMPOSE_VERSION" ]; then
  COMPOSE="$COMPOSE_CACHE/docker-compose-$COMPOSE_VERSION"
else
  # Debian trixie's docker-compose package, fetched with apt through a sources list of its own.
  t=$(mktemp -d /tmp/cprh-trixie.XXXXXX)
  mkdir -p "$t/lists/partial" "$t/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" >"$t/sources.list"
  aptopts=(-o "Dir::Etc::SourceList=$t/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$t/lists" -o "Dir::Cache=$t/cache" -o "Dir::Cache::Archives=$t/archives")
  if (cd "$t" && apt-get "${aptopts[@]}" update -qq && apt-get "${aptopts[@]}" download docker-compose) >>"$LOGS/apt.log" 2>&1 &&
    dpkg-deb -x "$t"/docker-compose_*.deb "$t/x" && as_root mkdir -p "$COMPOSE_CACHE" &&
    as_root cp "$t/x/usr/libexec/docker/cli-plugins/docker-compose" "$COMPOSE_CACHE/docker-compose-$COMPOSE_VERSION"; then
    COMPOSE="$COMPOSE_CACHE/docker-compose-$COMPOSE_VERSION"
  fi
  rm -rf "$t"
fi
if [ -z "$COMPOSE" ]; then
  fail "Compose v2 available: could not fetch Debian trixie's docker-compose (see $LOGS/apt.log)"
  finish
fi
compose() { BOARD_PASSWORD="$BOARD_PASSWORD" $COMPOSE -p "$PROJECT" -f docker-compose.yml -f deploy/compose-test/docker-compose.test.yml "$@"; }
BOARD_PASSWORD=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')

# --- 2. images -------------------------------------------------------------------------------
if ! bash deploy/compose-test/local-images.sh "$DOCKER" >"$LOGS/local-images.log" 2>&1; then
  fail "local base images: $(tail -1 "$LOGS/local-images.log")"
  finish
fi
build_start=$(date +%s)
if DOCKER_BUILDKIT=1 $DOCKER build --network host --build-arg NODE_IMAGE=cprh-local/node:20 \
  --build-arg RUNTIME_IMAGE=cprh-local/debian:bookworm -t "$IMAGE" . >"$LOGS/build.log" 2>&1; then
  size=$($DOCKER image inspect -f '{{.Size}}' "$IMAGE")
  ok "product image builds ($(($(date +%s) - build_start)) s, $((size / 1000000)) MB)"
else
  fail "product image builds: $(grep -m1 -i error "$LOGS/build.log" || tail -1 "$LOGS/build.log")"
  finish
fi
check "image holds no TypeScript, tsx, jest or package manager" \
  $DOCKER run --rm --network none --entrypoint sh "$IMAGE" /app/deploy/image-contents-check.sh
user=$($DOCKER image inspect -f '{{.Config.User}}' "$IMAGE")
if [ -n "$user" ] && [ "$user" != root ] && [ "$user" != 0 ]; then ok "image runs as non-root user $user"; else fail "image runs as non-root user: User is '${user}'"; fi

# --- 3. the stack ----------------------------------------------------------------------------
down_all() { compose down -v --remove-orphans --timeout 30 >>"$LOGS/compose.log" 2>&1; }
trap 'down_all' EXIT
down_all # a previous run that was killed

cid() { compose ps -q "$1" 2>/dev/null | head -1; }
health() { $DOCKER inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$(cid "$1")" 2>/dev/null; }
wait_healthy() { # SECONDS SERVICE...: every one healthy
  local deadline=$(($(date +%s) + $1)) s all
  shift
  while :; do
    all=1
    for s in "$@"; do [ "$(health "$s")" = healthy ] || all=0; done
    [ $all -eq 1 ] && return 0
    [ "$(date +%s)" -ge $deadline ] && break
    sleep 3
  done
  for s in "$@"; do [ "$(health "$s")" = healthy ] || echo "$s: $(health "$s")"; done
  return 1
}
redis_cmd() { compose exec -T redis redis-cli -h "$ADDR" -p "$REDIS_PORT" "$@"; }
stream_length() { redis_cmd XLEN cpr:events | tr -dc '0-9'; }
wait_for() { # SECONDS COMMAND...: until the command succeeds
  local deadline=$(($(date +%s) + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -ge $deadline ] && return 1
    sleep 2
  done
}

up_start=$(date +%s)
if ! compose up -d --no-build >>"$LOGS/compose.log" 2>&1; then
  fail "docker compose up: $(grep -i -m1 error "$LOGS/compose.log" || tail -1 "$LOGS/compose.log")"
  compose logs --no-color >"$LOGS/stack.log" 2>&1
  finish
fi
if out=$(wait_healthy 300 "${SERVICES[@]}"); then
  ok "every service healthy: ${SERVICES[*]} ($(($(date +%s) - up_start)) s after up)"
else
  fail "every service healthy: $(echo "$out" | tr '\n' ' ')"
fi

# Start-to-ready and RSS of each app process (for the README; printed, not checked).
for s in "${APPS[@]}"; do
  c=$(cid "$s")
  started=$($DOCKER inspect -f '{{.State.StartedAt}}' "$c")
  ready=$($DOCKER logs "$c" 2>&1 | grep -m1 "\"msg\":\"$s ready\"" | sed -E 's/.*"time":([0-9]+).*/\1/')
  # The node process (the container's init is its parent); VmRSS in kB.
  rss=$($DOCKER exec "$c" sh -c 'for p in /proc/[0-9]*; do case "$(tr "\0" " " <$p/cmdline 2>/dev/null)" in node\ *dist/main.js*) grep VmRSS $p/status ;; esac; done' | awk '{print int($2/1024)}' | head -1)
  if [ -n "$ready" ]; then
    ms=$(node -e 'console.log(Number(process.argv[2]) - Date.parse(process.argv[1]))' "$started" "$ready" 2>/dev/null)
    say "figure $s: start-to-ready ${ms:-?} ms, RSS ${rss:-?} MB"
  fi
done

# The simulator's demo events reach the stream.
demo_deadline=$(($(date +%s) + 90))
len=0
while [ "$(date +%s)" -lt $demo_deadline ]; do
  len=$(stream_length)
  [ "${len:-0}" -gt 0 ] && break
  sleep 3
done
if [ "${len:-0}" -gt 0 ]; then ok "the simulator's demo events reach the stream cpr:events ($len so far)"; else fail "the simulator's demo events reach the stream: cpr:events is empty after 90 s"; fi

# The board: 401 without credentials, 200 with them.
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$@"; }
anon=$(code "http://$ADDR:$BOARD_PORT/")
authed=$(code -u "ops:$BOARD_PASSWORD" "http://$ADDR:$BOARD_PORT/")
if [ "$anon" = 401 ] && [ "$authed" = 200 ]; then ok "board: 401 without credentials, 200 with them"; else fail "board: $anon without credentials, $authed with them (want 401, 200)"; fi

# Operator commands in the containers.
check "docker compose exec worker cprh dlq list" compose exec -T worker cprh dlq list
check "docker compose exec poller cprh kombit check" compose exec -T poller cprh kombit check

# A worker whose process is killed (-9) is restarted, and nothing is lost: with the demo feed
# paused, every message the poller acked upstream is in the stream once the inbox has drained.
inbox_busy() { # waiting + active + delayed + prioritized jobs of the inbox
  local n=0 k
  for k in wait active paused; do n=$((n + $(redis_cmd LLEN "cprh:inbox:$k" | tr -dc '0-9'))); done
  for k in delayed prioritized; do n=$((n + $(redis_cmd ZCARD "cprh:inbox:$k" | tr -dc '0-9'))); done
  echo $n
}
acked() { curl -s --max-time 5 "http://$ADDR:$POLLER_METRICS/metrics" | sed -n -E 's/^cprh_messages_acked_upstream_total\{channel="pull",tenant="default"\} ([0-9]+)$/\1/p'; }
worker=$(cid worker)
restarts_before=$($DOCKER inspect -f '{{.RestartCount}}' "$worker")
pid=$($DOCKER inspect -f '{{.State.Pid}}' "$worker")
as_root kill -9 "$pid"
restarted() { [ "$($DOCKER inspect -f '{{.RestartCount}}' "$worker")" -gt "$restarts_before" ]; }
if wait_for 60 restarted &&
  wait_healthy 120 worker >/dev/null; then
  ok "worker killed (kill -9 of its main process) is restarted and healthy again"
else
  fail "worker killed is restarted: restarts $($DOCKER inspect -f '{{.RestartCount}}' "$worker"), $(health worker)"
fi
compose pause simulator >>"$LOGS/compose.log" 2>&1
# The poller's batch in hand settles, then the inbox drains (stalled jobs of the killed worker
# come back after BullMQ's stall check).
sleep 5
drain_deadline=$(($(date +%s) + 150))
while [ "$(inbox_busy)" != 0 ] && [ "$(date +%s)" -lt $drain_deadline ]; do sleep 3; done
a=$(acked)
len=$(stream_length)
failed_jobs=$(redis_cmd ZCARD cprh:inbox:failed | tr -dc '0-9')
if [ -n "$a" ] && [ "$a" -gt 0 ] && [ "$a" = "$len" ] && [ "${failed_jobs:-0}" = 0 ]; then
  ok "nothing lost: $a messages acked upstream, $len events in the stream, no failed jobs"
else
  fail "nothing lost: acked ${a:-?}, stream ${len:-?}, inbox busy $(inbox_busy), failed jobs ${failed_jobs:-?}"
fi
compose unpause simulator >>"$LOGS/compose.log" 2>&1

# down, then up: the data survive in the volumes (the stream, the simulator's dev PKI).
first_id=$(redis_cmd XRANGE cpr:events - + COUNT 1 | head -1)
ca_before=$(compose exec -T simulator sha256sum /app/certs/dev/ca.crt | cut -c1-64)
len_before=$(stream_length)
compose down --timeout 30 >>"$LOGS/compose.log" 2>&1
compose up -d --no-build >>"$LOGS/compose.log" 2>&1
if wait_healthy 300 "${SERVICES[@]}" >/dev/null; then
  first_after=$(redis_cmd XRANGE cpr:events - + COUNT 1 | head -1)
  ca_after=$(compose exec -T simulator sha256sum /app/certs/dev/ca.crt | cut -c1-64)
  len_after=$(stream_length)
  if [ -n "$first_id" ] && [ "$first_id" = "$first_after" ] && [ "${len_after:-0}" -ge "${len_before:-1}" ] && [ "$ca_before" = "$ca_after" ]; then
    ok "down then up: the stream ($len_before events, same first entry) and the dev PKI survive; all healthy again"
  else
    fail "down then up: first entry '$first_id' -> '$first_after', length $len_before -> $len_after, CA same: $([ "$ca_before" = "$ca_after" ] && echo yes || echo no)"
  fi
else
  fail "down then up: not every service healthy again"
fi

# down -v leaves nothing of the project.
compose logs --no-color >"$LOGS/stack.log" 2>&1
down_all
trap - EXIT
left=$(
  $DOCKER ps -aq --filter "label=com.docker.compose.project=$PROJECT"
  $DOCKER volume ls -q --filter "label=com.docker.compose.project=$PROJECT"
  $DOCKER network ls -q --filter "label=com.docker.compose.project=$PROJECT"
)
if [ -z "$left" ]; then ok "down -v leaves no container, volume or network"; else fail "down -v left: $(echo "$left" | tr '\n' ' ')"; fi
finish
