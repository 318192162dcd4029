import type { PipelineErrorCode } from './error-codes';

/** An error of the pipeline with a stable `code`; messages never carry payloads or CPR numbers. */
export class PipelineError extends Error {
  constructor(
    readonly code: PipelineErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PipelineError';
  }
}
