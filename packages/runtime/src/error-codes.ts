import { defineErrorCodes, type CodeOf } from '@cprh/errors';

/** Every error code @cprh/runtime raises, with what it means. */
export const RUNTIME_ERROR_CODES = defineErrorCodes({
  RUNTIME_METRICS_LISTEN: "The process's metrics endpoint could not bind METRICS_HOST:METRICS_PORT",
});

export type RuntimeErrorCode = CodeOf<typeof RUNTIME_ERROR_CODES>;
