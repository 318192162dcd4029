#!/usr/bin/env bash
# A local Redis Cluster for tests and CI: 6 redis-server nodes on loopback (3 masters, 3 replicas),
# AOF on, a short cluster-node-timeout so a killed master's replica takes over within seconds.
#
#   deploy/redis-cluster.sh start DIR PORTBASE   nodes on PORTBASE..PORTBASE+5, data and logs in DIR;
#                                                prints the seed list (REDIS_CLUSTER_NODES) when ok
#   deploy/redis-cluster.sh restart DIR PORT     starts a node of DIR again (after a crash it rejoins,
#                                                as a replica when its master role was taken over)
#   deploy/redis-cluster.sh stop DIR             stops the nodes started in DIR and deletes DIR
#
# Never touches any other redis-server: it stops only the pids it wrote into DIR.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
usage() { echo "usage: $0 start DIR PORTBASE | restart DIR PORT | stop DIR" >&2; exit 2; }
[ -n "$cmd" ] && [ -n "$dir" ] || usage
NODE_TIMEOUT_MS=${REDIS_CLUSTER_NODE_TIMEOUT_MS:-2000}

stop() {
  [ -d "$dir" ] || return 0
  for pidfile in "$dir"/*/redis.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill -9 "$pid" 2>/dev/null || true
  done
  # Wait until they are gone (their files are open until then), then remove the directory.
  for pidfile in "$dir"/*/redis.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  rm -rf "$dir"
}

# Starts the node on port $1 with its data in DIR/$1 and records its pid there.
start_node() {
  local port=$1
  local nd="$dir/$port"
  mkdir -p "$nd"
  # Not --daemonize: the pid is ours to record and the node dies with a kill -9 of that pid.
  (cd "$nd" && exec redis-server --port "$port" --bind 127.0.0.1 --protected-mode no \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout "$NODE_TIMEOUT_MS" \
    --appendonly yes --appendfsync everysec --save "" --dir "$nd" --logfile "$nd/redis.log" \
    --maxmemory-policy noeviction --cluster-replica-validity-factor 0 \
    >/dev/null 2>&1) &
  echo $! >"$nd/redis.pid"
}

wait_ping() {
  for _ in $(seq 1 100); do
    redis-cli -p "$1" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "node 127.0.0.1:$1 did not start (see $dir/$1/redis.log)" >&2
  exit 1
}

start() {
  local base=$1
  [[ "$base" =~ ^[0-9]+$ ]] || usage
  mkdir -p "$dir"
  local seeds=()
  for i in 0 1 2 3 4 5; do
    start_node $((base + i))
    seeds+=("127.0.0.1:$((base + i))")
  done
  for s in "${seeds[@]}"; do wait_ping "${s##*:}"; done
  redis-cli --cluster create "${seeds[@]}" --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1 ||
    { echo "cluster create failed (see $dir/create.log)" >&2; exit 1; }
  # Every node must see the whole cluster as ok, and every master a replica, before tests start.
  for _ in $(seq 1 300); do
    local ok=1
    for s in "${seeds[@]}"; do
      redis-cli -p "${s##*:}" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || { ok=0; break; }
    done
    if [ $ok -eq 1 ]; then
      local replicas
      replicas=0
      for s in "${seeds[@]}"; do
        redis-cli -p "${s##*:}" info replication 2>/dev/null | grep -q '^master_link_status:up' && replicas=$((replicas + 1))
      done
      # Replicas in sync: a test's first WAIT must not fail on a replica still loading.
      [ "$replicas" -ge 3 ] && { (IFS=,; echo "${seeds[*]}"); return 0; }
    fi
    sleep 0.1
  done
  echo "cluster did not reach cluster_state:ok (see $dir/*/redis.log)" >&2
  exit 1
}

case "$cmd" in
  start) [ -n "${3:-}" ] || usage; start "$3" ;;
  restart) [[ "${3:-}" =~ ^[0-9]+$ ]] && [ -d "$dir/$3" ] || usage; start_node "$3"; wait_ping "$3" ;;
  stop) stop ;;
  *) usage ;;
esac
