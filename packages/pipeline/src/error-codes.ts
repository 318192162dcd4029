/** Every error code @cprh/pipeline raises, with what it means. */
export const pipelineErrorCodes = {
  /** Redis did not answer at start-up (wrong REDIS_URL or server not running). */
  PIPELINE_REDIS_UNREACHABLE: 'PIPELINE_REDIS_UNREACHABLE',
  /** Redis is older than 7 (the dispatch script uses Lua script flags). */
  PIPELINE_REDIS_TOO_OLD: 'PIPELINE_REDIS_TOO_OLD',
  /** Redis would evict keys under memory pressure (maxmemory-policy is not noeviction). */
  PIPELINE_REDIS_EVICTS: 'PIPELINE_REDIS_EVICTS',
  /** The dispatch script found a target stream key holding another data type. */
  PIPELINE_STREAM_WRONGTYPE: 'PIPELINE_STREAM_WRONGTYPE',
  /** The dispatch script answered something other than [flag, entry id]. */
  PIPELINE_DISPATCH_REPLY: 'PIPELINE_DISPATCH_REPLY',
  /** An inbox job has no message bytes or no seq (written by something other than the InboxWriter). */
  PIPELINE_JOB_INVALID: 'PIPELINE_JOB_INVALID',
  /** No dead letter with the given id. */
  PIPELINE_DEAD_LETTER_NOT_FOUND: 'PIPELINE_DEAD_LETTER_NOT_FOUND',
  /** The process's metrics endpoint could not bind METRICS_HOST:METRICS_PORT. */
  PIPELINE_METRICS_LISTEN: 'PIPELINE_METRICS_LISTEN',
} as const;

export type PipelineErrorCode = keyof typeof pipelineErrorCodes;
