import type { EventEmitter } from 'node:events';
import { once } from 'node:events';
import { withDeadline } from './with-deadline';
import type { Readiness } from './readiness-checks';

/** What a readiness probe needs of a Redis connection (single node or cluster client). */
export interface PingableRedis extends EventEmitter {
  readonly status: string;
  ping(): Promise<string>;
}

/**
 * Redis answers PING within `timeoutMs`. A connection still (re)connecting gets until the deadline
 * to come up, so a probe right after start-up or a Redis restart does not fail for nothing.
 */
export async function redisReadiness(redis: PingableRedis, timeoutMs: number): Promise<Readiness> {
  const check = async (): Promise<string> => {
    if (redis.status === 'end') throw new Error('connection closed');
    if (redis.status !== 'ready') {
      // once() rejects on 'error', which is what we want: the connect attempt's own reason.
      await once(redis, 'ready');
    }
    return redis.ping();
  };
  try {
    const pong = await withDeadline(check(), timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
    return pong === 'PONG' ? { ready: true } : { ready: false, reason: `redis: unexpected reply ${pong}` };
  } catch (err) {
    return { ready: false, reason: `redis: ${err instanceof Error ? err.message : String(err)}` };
  }
}
