import type { RedisConnection as Redis } from './redis-connections';
import type { Logger } from 'pino';

/**
 * ioredis emits an `error` for every failed reconnect; log the first of an outage as a warning and
 * the rest at debug, and say when the connection is back.
 */
export function logRedisErrors(redis: Redis, log: Logger, what: string): void {
  let down = false;
  redis.on('error', (err: Error) => {
    if (!down) log.warn({ err: err.message, connection: what }, 'Redis connection error');
    else log.debug({ err: err.message, connection: what }, 'Redis still unavailable');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info({ connection: what }, 'Redis connection is back');
    down = false;
  });
}
