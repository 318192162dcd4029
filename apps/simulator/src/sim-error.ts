import { CodedError } from '@cprh/errors';
import type { SimErrorCode } from './error-codes';

/** An error of the simulator: a stable `code` and the underlying `cause`. */
export class SimError extends CodedError<SimErrorCode> {}
