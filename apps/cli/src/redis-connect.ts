import type Redis from 'ioredis';
import { redactUrl } from '@cprh/config';
import { createProducerRedis, PipelineError } from '@cprh/pipeline';

/** A connected Redis for one `cprh` command, or PIPELINE_REDIS_UNREACHABLE naming the URL. */
export async function connectRedis(url: string, name: string): Promise<Redis> {
  const redis = createProducerRedis(url, name);
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new PipelineError(
      'PIPELINE_REDIS_UNREACHABLE',
      `Redis is not reachable at ${redactUrl(url)}; start it with \`redis-server\``,
      { cause: err },
    );
  }
  return redis;
}
