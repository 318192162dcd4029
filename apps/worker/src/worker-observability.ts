import type { Config } from '@cprh/config';
import { checkInboxMoving } from '@cprh/pipeline';
import { addReadinessCheck } from '@cprh/runtime';
import type { RedisConnection as Redis } from '@cprh/pipeline';

/**
 * The worker's part of the process endpoint: `/readyz` needs Redis and an inbox that moves (jobs
 * waiting with none finished for READY_STALL_SECONDS is a wedge). Returns the undo for stop.
 */
export function observeWorker(
  redis: Redis,
  partitions: readonly Config['pipeline'][],
  stallSeconds: number,
): () => void {
  // One check per tenant (TENANTS_FILE), named after it, so /readyz says which tenant is stuck.
  const tenant = partitions[0]?.tenant;
  return addReadinessCheck(tenant === undefined ? 'worker' : `worker ${tenant}`, async () => {
    if (redis.status !== 'ready') return { ready: false, reason: `redis connection ${redis.status}` };
    // Every partition this process serves must move.
    for (const pipeline of partitions) {
      const r = await checkInboxMoving(redis, pipeline, stallSeconds);
      if (!r.ready) return r;
    }
    return { ready: true };
  });
}
