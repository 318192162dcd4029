import { DEFAULT_TENANT_ID } from '@cprh/config';
import type { DueslagConnection } from '@cprh/kombit';
import { addReadinessCheck, metrics } from '@cprh/runtime';
import type { RedisConnection as Redis } from '@cprh/pipeline';

const LABELS = { channel: 'pull', tenant: DEFAULT_TENANT_ID } as const;

/**
 * The poller's part of the process endpoint: `/readyz` needs the broker channel and the inbox's
 * Redis connection, and each lost channel counts as an AMQP reconnect. Returns the undo for stop.
 * (A TENANTS_FILE poller reports per tenant instead: tenants-readiness.ts.)
 */
export function observePoller(source: DueslagConnection, redis: Redis): () => void {
  const onLost = (_ch: unknown, reason: string): void => {
    metrics.amqpReconnects.inc({ reason, tenant: DEFAULT_TENANT_ID });
  };
  source.on('lost', onLost);
  const removeCheck = addReadinessCheck('poller', async () => {
    const brokerUp = source.channel !== undefined;
    metrics.upstreamUp.set(LABELS, brokerUp ? 1 : 0);
    metrics.tenantUp.set({ tenant: DEFAULT_TENANT_ID }, brokerUp ? 1 : 0);
    if (!brokerUp) return { ready: false, reason: 'no channel to the AMQP broker (reconnecting)' };
    if (redis.status !== 'ready') return { ready: false, reason: `redis connection ${redis.status}` };
    return { ready: true };
  });
  return () => {
    source.off('lost', onLost);
    removeCheck();
  };
}
