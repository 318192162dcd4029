import { defineErrorCodes, type CodeOf } from '@cprh/errors';

/** Every error code @cprh/pipeline raises, with what it means. */
export const PIPELINE_ERROR_CODES = defineErrorCodes({
  PIPELINE_REDIS_UNREACHABLE: 'Redis did not answer at start-up (wrong REDIS_URL or server not running)',
  PIPELINE_REDIS_TOO_OLD: 'Redis is older than 7 (the dispatch script uses Lua script flags)',
  PIPELINE_REDIS_EVICTS: 'Redis would evict keys under memory pressure (maxmemory-policy is not noeviction)',
  PIPELINE_CLUSTER_CROSS_SLOT:
    "On a Redis Cluster QUEUE_PREFIX lacks a hash tag, or EVENTS_STREAM / a ROUTES stream lacks the prefix's tag",
  PIPELINE_PARTITIONS_CHANGED:
    'PARTITIONS differs from the number of partitions the data in Redis was written with',
  PIPELINE_REPLICAS_NOT_CONFIRMED:
    'Fewer than REDIS_MIN_REPLICAS_ACK replicas confirmed an inbox write in time: not acked, redelivered (push: 50)',
  PIPELINE_STREAM_WRONGTYPE: 'The dispatch script found a target stream key holding another data type',
  PIPELINE_DISPATCH_REPLY: 'The dispatch script answered something other than [flag, entry id]',
  PIPELINE_JOB_INVALID:
    'An inbox job has no message bytes or no seq (written by something other than the InboxWriter)',
  PIPELINE_DEAD_LETTER_NOT_FOUND: 'No dead letter with the given id',
});

export type PipelineErrorCode = CodeOf<typeof PIPELINE_ERROR_CODES>;
