import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import { redactUrl, type Config } from '@cprh/config';

const DISCONNECT_TIMEOUT_MS = 200;

/** A single Redis or a Redis Cluster: every process talks to whichever REDIS_CLUSTER_NODES selects. */
export type RedisConnection = Redis | Cluster;

/** Where Redis is: the `redis` config section, or a bare URL (tests, tools). */
export type RedisTarget = Config['redis'] | string;

const retryStrategy = (times: number): number => Math.min(100 * 2 ** Math.min(times, 6), 3000);

/** The `redis` settings a target stands for (a bare URL is a single Redis without WAIT). */
export function redisSettingsOf(target: RedisTarget): Config['redis'] {
  if (typeof target !== 'string') return target;
  return { url: target, clusterNodes: [], minReplicasAck: 0, waitTimeoutMs: 2000 };
}

/** Where Redis is, for the one line an operator reads: the URL (no password), or the seed nodes. */
export function redisLocation(target: RedisTarget): string {
  const s = redisSettingsOf(target);
  if (s.clusterNodes.length === 0) return redactUrl(s.url);
  return `the Redis Cluster ${s.clusterNodes.map((n) => `${n.host}:${n.port}`).join(',')}`;
}

/** True when the target is a Redis Cluster. */
export function isClusterTarget(target: RedisTarget): boolean {
  return redisSettingsOf(target).clusterNodes.length > 0;
}

/** Credentials and TLS of REDIS_URL, which a cluster's nodes share (the URL's host is not used). */
function credentialsOf(url: string): Pick<RedisOptions, 'username' | 'password' | 'tls'> {
  const u = new URL(url);
  const out: Pick<RedisOptions, 'username' | 'password' | 'tls'> = {};
  if (u.username !== '') out.username = decodeURIComponent(u.username);
  if (u.password !== '') out.password = decodeURIComponent(u.password);
  if (u.protocol === 'rediss:') out.tls = {};
  return out;
}

/**
 * The one place a connection is made. On a single Redis it is `new Redis(url, options)`; with
 * REDIS_CLUSTER_NODES an ioredis Cluster whose node connections get the same options (BullMQ and
 * every command of the product accept either). `clusterOptions` are the Cluster's own.
 */
export function createRedis(
  target: RedisTarget,
  options: RedisOptions,
  clusterOptions: Omit<ClusterOptions, 'redisOptions'> = {},
): RedisConnection {
  const s = redisSettingsOf(target);
  if (s.clusterNodes.length === 0) return new Redis(s.url, options);
  const { lazyConnect, enableOfflineQueue, ...nodeOptions } = options;
  return new Cluster(
    s.clusterNodes.map((n) => ({ host: n.host, port: n.port })),
    {
      lazyConnect: lazyConnect ?? false,
      ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
      clusterRetryStrategy: retryStrategy,
      // A failover moves slots: retry MOVED/TRYAGAIN/CLUSTERDOWN shortly instead of failing at once.
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 300,
      retryDelayOnTryAgain: 200,
      slotsRefreshTimeout: 2000,
      ...clusterOptions,
      redisOptions: { ...nodeOptions, ...credentialsOf(s.url) },
    },
  );
}

/**
 * A connection for writes that must fail fast when Redis is away: no offline queue (a command
 * while disconnected rejects at once) and one retry per request. The poller relies on this to
 * stop acking the moment Redis is gone. ioredis keeps reconnecting in the background.
 */
export function createProducerRedis(target: RedisTarget, connectionName: string): RedisConnection {
  return createRedis(target, {
    connectionName,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // A hung server (e.g. CLIENT PAUSE) must not hang a batch forever: the caller retries.
    commandTimeout: 10000,
    lazyConnect: true,
    retryStrategy,
    // A socket that never closed (Redis gone) is destroyed after this on disconnect(), instead
    // of ioredis's default 2 s timer that keeps a stopping process (or jest) alive.
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
  });
}

/** A connection for BullMQ workers (blocking commands need maxRetriesPerRequest: null). */
export function createWorkerRedis(target: RedisTarget, connectionName: string): RedisConnection {
  return createRedis(target, {
    connectionName,
    maxRetriesPerRequest: null,
    lazyConnect: true,
    retryStrategy,
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
  });
}
