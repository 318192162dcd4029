import Redis from 'ioredis';

const DISCONNECT_TIMEOUT_MS = 200;

/**
 * A connection for writes that must fail fast when Redis is away: no offline queue (a command
 * while disconnected rejects at once) and one retry per request. The poller relies on this to
 * stop acking the moment Redis is gone. ioredis keeps reconnecting in the background.
 */
export function createProducerRedis(url: string, connectionName: string): Redis {
  const redis = new Redis(url, {
    connectionName,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // A hung server (e.g. CLIENT PAUSE) must not hang a batch forever: the caller retries.
    commandTimeout: 10000,
    lazyConnect: true,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 3000),
    // A socket that never closed (Redis gone) is destroyed after this on disconnect(), instead
    // of ioredis's default 2 s timer that keeps a stopping process (or jest) alive.
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
  });
  return redis;
}

/** A connection for BullMQ workers (blocking commands need maxRetriesPerRequest: null). */
export function createWorkerRedis(url: string, connectionName: string): Redis {
  return new Redis(url, {
    connectionName,
    maxRetriesPerRequest: null,
    lazyConnect: true,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 6), 3000),
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
  });
}
