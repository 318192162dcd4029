import { CodedError } from '@cprh/errors';
import type { PipelineErrorCode } from './error-codes';

/** An error of the pipeline with a stable `code`; messages never carry payloads or CPR numbers. */
export class PipelineError extends CodedError<PipelineErrorCode> {}
