import type { ConsumerErrorCode } from './error-codes';

/** An error of the consumer with a stable `code`; messages name entry ids only, never payloads. */
export class ConsumerError extends Error {
  constructor(
    readonly code: ConsumerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConsumerError';
  }
}
