import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '@cprh/config';
import { checkClusterKeyLayout } from './cluster-key-layout';
import { PipelineError } from './pipeline-error';
import { checkPartitions } from './partition-check';
import { createRedis, redisLocation, redisSettingsOf, type RedisTarget } from './redis-connections';
import { redisUnreachable } from './redis-unreachable';

export interface RedisCheckResult {
  maxmemoryPolicy: string;
  aofEnabled: boolean;
  version: string;
  /** Masters checked: 1 on a single Redis, every master of a cluster. */
  masters: number;
}

/** Reads one `field:value` line out of an INFO reply. */
function infoField(info: string, field: string): string | undefined {
  const m = new RegExp(`^${field}:(.*)$`, 'm').exec(info);
  return m?.[1]?.trim();
}

/**
 * Start-up check: Redis answers, is version 7 or later, will never evict (queues and dedupe records
 * must not vanish under memory pressure), and ideally persists with AOF. On a cluster every master
 * is checked, and (given the pipeline settings) the key names must share one slot. Throws a
 * PipelineError whose message is the one line to print; warns when AOF is off or a master has
 * fewer replicas than REDIS_MIN_REPLICAS_ACK (then no message can be acked until one is back).
 * Given the pipeline it also refuses a PARTITIONS other than the data's (checkPartitions).
 */
export async function checkRedis(
  target: RedisTarget,
  log: Logger,
  pipeline?: Config['pipeline'],
): Promise<RedisCheckResult> {
  const s = redisSettingsOf(target);
  const cluster = s.clusterNodes.length > 0;
  if (cluster && pipeline) checkClusterKeyLayout(pipeline);
  const where = redisLocation(s);
  const conn = createRedis(
    s,
    {
      lazyConnect: true,
      connectTimeout: 3000,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      // After a refused connect ioredis's disconnect() otherwise leaves a 2 s timer running.
      disconnectTimeout: 0,
    },
    { clusterRetryStrategy: () => null, enableOfflineQueue: true },
  );
  conn.on('error', () => undefined);
  try {
    try {
      await conn.connect();
    } catch (err) {
      throw redisUnreachable(s, err);
    }
    const masters: Redis[] = 'nodes' in conn && cluster ? conn.nodes('master') : [conn as Redis];
    let result: RedisCheckResult | undefined;
    for (const node of masters) {
      const at = cluster
        ? `master ${node.options.host ?? '?'}:${node.options.port ?? '?'} of ${where}`
        : where;
      // INFO works where CONFIG GET is disabled (managed Redis).
      const info = await node.info();
      const policy = infoField(info, 'maxmemory_policy') ?? 'unknown';
      const aofEnabled = infoField(info, 'aof_enabled') === '1';
      const version = infoField(info, 'redis_version') ?? 'unknown';
      const major = Number(version.split('.')[0]);
      if (Number.isFinite(major) && major < 7) {
        throw new PipelineError(
          'PIPELINE_REDIS_TOO_OLD',
          `Redis at ${at} is version ${version}; the pipeline needs Redis 7 or later (Lua script flags)`,
        );
      }
      if (policy !== 'noeviction') {
        throw new PipelineError(
          'PIPELINE_REDIS_EVICTS',
          `Redis at ${at} has maxmemory-policy ${policy}; the pipeline needs noeviction (redis-cli config set maxmemory-policy noeviction)`,
        );
      }
      if (!aofEnabled) {
        log.warn(
          { redis: at },
          'Redis has AOF off: a Redis crash can lose acked messages; run it with --appendonly yes in production',
        );
      }
      const replicas = Number(infoField(info, 'connected_slaves') ?? '0');
      if (replicas < s.minReplicasAck) {
        log.warn(
          { redis: at, replicas, minReplicasAck: s.minReplicasAck },
          'Redis master has fewer replicas than REDIS_MIN_REPLICAS_ACK: no message is acked upstream until enough replicas confirm the inbox write',
        );
      }
      result ??= { maxmemoryPolicy: policy, aofEnabled, version, masters: masters.length };
      if (!aofEnabled) result.aofEnabled = false;
    }
    if (!result) throw new PipelineError('PIPELINE_REDIS_UNREACHABLE', `${where} has no master`);
    // Poller, worker and receiver pass their pipeline: all three refuse a changed PARTITIONS.
    if (pipeline) await checkPartitions(conn, pipeline);
    return result;
  } finally {
    conn.disconnect();
  }
}
