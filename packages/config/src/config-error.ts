import { CodedError } from '@cprh/errors';
import type { ConfigErrorCode } from './error-codes';

/** Raised when a setting is missing or wrong; the message names the setting so start-up can print one line. */
export class ConfigError extends CodedError<ConfigErrorCode> {
  constructor(
    readonly setting: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super('CONFIG_INVALID', `Invalid setting ${setting}: ${problem}`, options);
  }
}
