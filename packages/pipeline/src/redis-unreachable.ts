import { redactUrl } from '@cprh/config';
import { PipelineError } from './pipeline-error';

/**
 * The one line every process and `cprh` command prints when Redis does not answer: the URL (no
 * password) and how to start the server (README "Error codes").
 */
export function redisUnreachable(url: string, cause: unknown): PipelineError {
  return new PipelineError(
    'PIPELINE_REDIS_UNREACHABLE',
    `Redis is not reachable at ${redactUrl(url)}; start it with \`redis-server\` (or \`docker compose up -d redis\`), or set REDIS_URL`,
    { cause },
  );
}
