import { CodedError } from '@cprh/errors';
import type { WorkerErrorCode } from './error-codes';

/** An error of the worker with a stable `code`; messages never carry payloads or CPR numbers. */
export class WorkerError extends CodedError<WorkerErrorCode> {}
