/** Error codes the worker adds to those of @cprh/besked and @cprh/pipeline. */
export const workerErrorCodes = {
  /** A transient failure (Redis, timeout) outlasted every retry; the job went to dead letters. */
  WORKER_RETRIES_EXHAUSTED: 'WORKER_RETRIES_EXHAUSTED',
  /** EVENT_CATALOGUE_FILE could not be read. */
  WORKER_CATALOGUE_UNREADABLE: 'WORKER_CATALOGUE_UNREADABLE',
} as const;

export type WorkerErrorCode = keyof typeof workerErrorCodes;
