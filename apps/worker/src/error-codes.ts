/** Error codes the worker adds to those of @cprh/besked and @cprh/pipeline. */
export const workerErrorCodes = {
  /** A transient failure (Redis, timeout) outlasted every retry; the job went to dead letters. */
  WORKER_RETRIES_EXHAUSTED: 'WORKER_RETRIES_EXHAUSTED',
  /** A job's workers died more than WORKER_MAX_STALLED_COUNT times; BullMQ failed it, we dead-lettered it. */
  WORKER_STALLED: 'WORKER_STALLED',
  /** EVENT_CATALOGUE_FILE could not be read. */
  WORKER_CATALOGUE_UNREADABLE: 'WORKER_CATALOGUE_UNREADABLE',
} as const;

export type WorkerErrorCode = keyof typeof workerErrorCodes;
