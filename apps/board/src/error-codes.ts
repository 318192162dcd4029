import { defineErrorCodes, type CodeOf } from '@cprh/errors';

/** Stable codes of the ops process's errors, one line each. */
export const BOARD_ERROR_CODES = defineErrorCodes({
  BOARD_UNPROTECTED_BIND: 'BOARD_HOST is not a loopback address and BOARD_USER/BOARD_PASSWORD are unset',
  BOARD_LISTEN_FAILED: 'The HTTP server could not listen (port in use, bad address)',
});

export type BoardErrorCode = CodeOf<typeof BOARD_ERROR_CODES>;
