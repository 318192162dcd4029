import type { BoardErrorCode } from './error-codes';

/** A start-up failure of the ops process; the message is one line fit for the console. */
export class BoardError extends Error {
  constructor(
    readonly code: BoardErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BoardError';
  }
}
