import { defineErrorCodes, type CodeOf } from '@cprh/errors';

/** Error codes the worker adds to those of @cprh/besked and @cprh/pipeline. */
export const WORKER_ERROR_CODES = defineErrorCodes({
  WORKER_RETRIES_EXHAUSTED:
    'A transient failure (Redis, timeout) outlasted every retry; the job went to dead letters',
  WORKER_STALLED:
    "A job's workers died more than WORKER_MAX_STALLED_COUNT times; BullMQ failed it, we dead-lettered it",
  WORKER_PARTITIONS_INVALID: 'WORKER_PARTITIONS names a partition that PARTITIONS does not have',
  WORKER_TENANT_START_FAILED:
    "One tenant's share of the worker (TENANTS_FILE) could not start; the message names the tenant and why, nothing starts",
  WORKER_CATALOGUE_UNREADABLE: 'EVENT_CATALOGUE_FILE could not be read',
  WORKER_NOT_SENDABLE_TO_ERROR_QUEUE:
    "A dead letter cannot go to KOMBIT's error queue (not a well-formed Haendelsesbesked); its move is recorded as skipped",
});

export type WorkerErrorCode = CodeOf<typeof WORKER_ERROR_CODES>;
