/**
 * The one error shape of the product: a stable `code` from the raising package's table
 * (error-codes.ts), a one-line message for operators and the underlying `cause`.
 * Each package derives its own class (`class KombitError extends CodedError<KombitErrorCode> {}`)
 * so `instanceof` still tells where an error came from; `name` is the subclass's name.
 */
export class CodedError<Code extends string = string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** True for any product error, whichever package raised it. */
export function isCodedError(err: unknown): err is CodedError {
  return err instanceof CodedError;
}
