#!/usr/bin/env bash
# Prints a fingerprint of what the product's DEFAULT names hold in the shared services: the demo
# dueslag's depth and the keys under the default Redis prefixes. .ci/run takes it before and after
# the tests: tests must use their own names, so the two must be equal.
set -uo pipefail
demo=11111111-2222-4333-8444-555555555555
depth=$(timeout 20 rabbitmqctl -q list_queues name messages 2>/dev/null | awk -v q="$demo" '$1 == q {print $2}')
echo "rabbitmq ${demo}: ${depth:-absent}"
# Vhost BF (the simulator's AMQP front relays there): a test's dueslag queues must be gone after it.
bf=$(timeout 20 rabbitmqctl -q list_queues -p BF name 2>/dev/null | tail -n +2 | sort)
echo "rabbitmq BF: $(printf '%s' "$bf" | grep -c .) queues $(printf '%s' "$bf" | sha1sum | cut -c1-12)"
for pattern in 'cprh:*' 'cprh-sim:*' 'cpr:events*' '{cprh}*' 'bull:*' '*test*'; do
  keys=$(redis-cli -h 127.0.0.1 -p 6379 --scan --pattern "$pattern" 2>/dev/null | sort)
  # Count and hash of the names: values change as the demo runs, names must not appear or vanish.
  echo "redis ${pattern}: $(printf '%s' "$keys" | grep -c . ) keys $(printf '%s' "$keys" | sha1sum | cut -c1-12)"
done
