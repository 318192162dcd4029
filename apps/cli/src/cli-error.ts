import { CodedError } from '@cprh/errors';
import type { CliErrorCode } from './error-codes';

/** An error of a `cprh` command with a stable `code`; main prints it as one line. */
export class CliError extends CodedError<CliErrorCode> {}

/** Wrong usage; main prints the message and exits 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}
