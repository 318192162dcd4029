import { CodedError } from '@cprh/errors';
import { maskCprNumbers } from './cpr-in-text';
import type { BeskedErrorCode } from './error-codes';

/** Keeps messages to one line without anything that could be a CPR number. */
function scrub(text: string): string {
  return maskCprNumbers(text.replace(/\s+/g, ' ')).trim();
}

/**
 * Why a message could not be read. `code` is stable (see error-codes.ts); `path` is the element
 * path where the problem is, e.g. `Haendelsesbesked/Beskedkuvert/Filtreringsdata/Beskedtype`.
 * The message never contains payload text or a CPR number.
 */
export class BeskedError extends CodedError<BeskedErrorCode> {
  readonly path: string | undefined;

  constructor(code: BeskedErrorCode, message: string, options?: { path?: string; cause?: unknown }) {
    super(code, scrub(message), options);
    this.path = options?.path === undefined ? undefined : scrub(options.path);
  }
}
