import Redis from 'ioredis';
import type { Logger } from 'pino';
import { PipelineError } from './pipeline-error';
import { redactUrl } from '@cprh/config';
import { redisUnreachable } from './redis-unreachable';

export interface RedisCheckResult {
  maxmemoryPolicy: string;
  aofEnabled: boolean;
  version: string;
}

/** Reads one `field:value` line out of an INFO reply. */
function infoField(info: string, field: string): string | undefined {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return m?.[1]?.trim();
}

/**
 * Start-up check: Redis answers, is version 7 or later, will never evict (queues and dedupe records must not vanish
 * under memory pressure), and ideally persists with AOF. Throws a PipelineError whose message is
 * the one line to print; warns when AOF is off.
 */
export async function checkRedis(url: string, log: Logger): Promise<RedisCheckResult> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    // After a refused connect ioredis's disconnect() otherwise leaves a 2 s timer running.
    disconnectTimeout: 0,
  });
  redis.on('error', () => undefined);
  try {
    try {
      await redis.connect();
    } catch (err) {
      throw redisUnreachable(url, err);
    }
    // INFO works where CONFIG GET is disabled (managed Redis).
    const info = await redis.info();
    const policy = infoField(info, 'maxmemory_policy') ?? 'unknown';
    const aofEnabled = infoField(info, 'aof_enabled') === '1';
    const version = infoField(info, 'redis_version') ?? 'unknown';
    const major = Number(version.split('.')[0]);
    if (Number.isFinite(major) && major < 7) {
      throw new PipelineError(
        'PIPELINE_REDIS_TOO_OLD',
        `Redis at ${redactUrl(url)} is version ${version}; the pipeline needs Redis 7 or later (Lua script flags)`,
      );
    }
    if (policy !== 'noeviction') {
      throw new PipelineError(
        'PIPELINE_REDIS_EVICTS',
        `Redis at ${redactUrl(url)} has maxmemory-policy ${policy}; the pipeline needs noeviction (redis-cli config set maxmemory-policy noeviction)`,
      );
    }
    if (!aofEnabled) {
      log.warn(
        { redis: redactUrl(url) },
        'Redis has AOF off: a Redis crash can lose acked messages; run it with --appendonly yes in production',
      );
    }
    return { maxmemoryPolicy: policy, aofEnabled, version };
  } finally {
    redis.disconnect();
  }
}
