import {
  createProducerRedis,
  redisUnreachable,
  type RedisConnection,
  type RedisTarget,
} from '@cprh/pipeline';

/** A connected Redis (or Cluster) for one `cprh` command, or PIPELINE_REDIS_UNREACHABLE naming where. */
export async function connectRedis(target: RedisTarget, name: string): Promise<RedisConnection> {
  const redis = createProducerRedis(target, name);
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw redisUnreachable(target, err);
  }
  return redis;
}
