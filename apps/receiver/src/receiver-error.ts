import { CodedError } from '@cprh/errors';
import type { ReceiverErrorCode } from './error-codes';

/** An error of the push receiver with a stable `code`; messages never carry payloads or CPR numbers. */
export class ReceiverError extends CodedError<ReceiverErrorCode> {}
