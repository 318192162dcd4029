import type { ReceiverErrorCode } from './error-codes';

/** An error of the push receiver with a stable `code`; messages never carry payloads or CPR numbers. */
export class ReceiverError extends Error {
  constructor(
    readonly code: ReceiverErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReceiverError';
  }
}
