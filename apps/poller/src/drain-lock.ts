import { randomUUID } from 'node:crypto';
import type { RedisConnection as Redis } from '@cprh/pipeline';

export const DRAIN_LOCK_RENEW_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
export const DRAIN_LOCK_RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** The lock of one dueslag's drains, beside its tick queue's keys (`prefix`: QUEUE_PREFIX). */
export function drainLockKey(prefix: string, tickQueue: string): string {
  return `${prefix}:${tickQueue}:drain-lock`;
}

/**
 * "No tick starts while one runs", across every poller of a dueslag: BullMQ hands a due tick to any
 * idle poller even while another is still draining. The holder renews the lock while it drains;
 * a poller that dies leaves it to expire after `ttlMs`.
 */
export class DrainLock {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly ttlMs = 10_000,
  ) {}

  /** Runs `fn` holding the lock; undefined (without running it) when another poller holds it. */
  async withLock<T>(fn: () => Promise<T>): Promise<T | undefined> {
    const token = randomUUID();
    const ok = await this.redis.set(this.key, token, 'PX', this.ttlMs, 'NX');
    if (ok !== 'OK') return undefined;
    // A failed renewal (Redis away) only risks a second drain elsewhere: harmless, as the broker
    // gives each message to one consumer.
    const timer = setInterval(() => {
      this.redis.eval(DRAIN_LOCK_RENEW_LUA, 1, this.key, token, String(this.ttlMs)).catch(() => undefined);
    }, this.ttlMs / 3);
    try {
      return await fn();
    } finally {
      clearInterval(timer);
      await this.redis.eval(DRAIN_LOCK_RELEASE_LUA, 1, this.key, token).catch(() => undefined);
    }
  }
}
