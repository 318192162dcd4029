import { once } from 'node:events';
import type { RedisConnection as Redis } from '@cprh/pipeline';
import { withDeadline } from './with-deadline';

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Redis answers PING within `timeoutMs`: the one dependency the ops process needs.
 * A connection still (re)connecting gets until the deadline to come up, so a probe right
 * after start-up or a Redis restart does not fail for nothing.
 */
export async function checkRedis(redis: Redis, timeoutMs: number): Promise<Readiness> {
  const check = async (): Promise<string> => {
    if (redis.status === 'end') throw new Error('connection closed');
    if (redis.status !== 'ready') {
      // once() rejects on 'error', which is what we want: the connect attempt's own reason.
      await once(redis, 'ready');
    }
    return redis.ping();
  };
  try {
    const pong = await withDeadline(check(), timeoutMs, `no answer within ${timeoutMs} ms`);
    return pong === 'PONG' ? { ready: true } : { ready: false, reason: `redis: unexpected reply ${pong}` };
  } catch (err) {
    return { ready: false, reason: `redis: ${err instanceof Error ? err.message : String(err)}` };
  }
}
