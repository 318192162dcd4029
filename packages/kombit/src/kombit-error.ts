import type { KombitErrorCode } from './error-codes';

/** An error talking to KOMBIT's systems (or their local stand-ins) with a stable `code`. */
export class KombitError extends Error {
  constructor(
    readonly code: KombitErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KombitError';
  }
}
