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
  return addReadinessCheck('worker', async () => {
    if (redis.status !== 'ready') return { ready: false, reason: `redis connection ${redis.status}` };
    // Every partition this process serves must move.
    for (const pipeline of partitions) {
      const r = await checkInboxMoving(redis, pipeline, stallSeconds);
      if (!r.ready) return r;
    }
    return { ready: true };
  });
}
