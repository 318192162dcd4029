import type { RedisConnection as Redis } from '@cprh/pipeline';
import type { Config } from '@cprh/config';
import { checkInboxMoving } from '@cprh/pipeline';
import { redisReadiness, type Readiness } from '@cprh/runtime';

/** The board's /readyz: Redis answers, and the inbox is not wedged (READY_STALL_SECONDS). */
export async function boardReadiness(
  redis: Redis,
  partitions: readonly Config['pipeline'][],
  stallSeconds: number,
  timeoutMs: number,
): Promise<Readiness> {
  const r = await redisReadiness(redis, timeoutMs);
  if (!r.ready) return r;
  // Every partition's inbox (one with PARTITIONS=1).
  for (const pipeline of partitions) {
    const moving = await checkInboxMoving(redis, pipeline, stallSeconds);
    if (!moving.ready) return moving;
  }
  return { ready: true };
}
