import type { DueslagConnection } from '@cprh/kombit';
import { addReadinessCheck, metrics } from '@cprh/runtime';
import type { RedisConnection as Redis } from '@cprh/pipeline';

/**
 * The poller's part of the process endpoint: `/readyz` needs the broker channel and the inbox's
 * Redis connection, and each lost channel counts as an AMQP reconnect. Returns the undo for stop.
 */
export function observePoller(source: DueslagConnection, redis: Redis): () => void {
  const onLost = (_ch: unknown, reason: string): void => {
    metrics.amqpReconnects.inc({ reason });
  };
  source.on('lost', onLost);
  const removeCheck = addReadinessCheck('poller', async () => {
    const brokerUp = source.channel !== undefined;
    metrics.upstreamUp.set({ channel: 'pull' }, brokerUp ? 1 : 0);
    if (!brokerUp) return { ready: false, reason: 'no channel to the AMQP broker (reconnecting)' };
    if (redis.status !== 'ready') return { ready: false, reason: `redis connection ${redis.status}` };
    return { ready: true };
  });
  return () => {
    source.off('lost', onLost);
    removeCheck();
  };
}
