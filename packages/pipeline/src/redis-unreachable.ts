import { PipelineError } from './pipeline-error';
import { isClusterTarget, redisLocation, type RedisTarget } from './redis-connections';

/**
 * The one line every process and `cprh` command prints when Redis does not answer: where (no
 * password) and how to start the server, or the cluster's nodes (README "Error codes").
 */
export function redisUnreachable(target: RedisTarget, cause: unknown): PipelineError {
  const where = redisLocation(target);
  return new PipelineError(
    'PIPELINE_REDIS_UNREACHABLE',
    isClusterTarget(target)
      ? `${where} is not reachable; start its nodes (deploy/redis-cluster.sh for a local one), or set REDIS_CLUSTER_NODES`
      : `Redis is not reachable at ${where}; start it with \`redis-server\` (or \`docker compose up -d redis\`), or set REDIS_URL`,
    { cause },
  );
}
