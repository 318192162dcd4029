import { CodedError } from '@cprh/errors';
import type { RuntimeErrorCode } from './error-codes';

/** An error of the process runtime with a stable `code`; messages never carry payloads. */
export class RuntimeError extends CodedError<RuntimeErrorCode> {}
