import type { SimErrorCode } from './error-codes';

/** An error of the simulator: a stable `code` and the underlying `cause`. */
export class SimError extends Error {
  constructor(
    readonly code: SimErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SimError';
  }
}
