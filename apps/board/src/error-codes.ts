/** Stable codes of the ops process's errors, one line each. */
export const BoardErrorCode = {
  /** BOARD_HOST is not a loopback address and BOARD_USER/BOARD_PASSWORD are unset. */
  UNPROTECTED_BIND: 'BOARD_UNPROTECTED_BIND',
  /** The HTTP server could not listen (port in use, bad address). */
  LISTEN_FAILED: 'BOARD_LISTEN_FAILED',
} as const;

export type BoardErrorCode = (typeof BoardErrorCode)[keyof typeof BoardErrorCode];
