import { CodedError } from '@cprh/errors';
import type { ConsumerErrorCode } from './error-codes';

/** An error of the consumer with a stable `code`; messages name entry ids only, never payloads. */
export class ConsumerError extends CodedError<ConsumerErrorCode> {}
