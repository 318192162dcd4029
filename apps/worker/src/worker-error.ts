import type { WorkerErrorCode } from './error-codes';

export class WorkerError extends Error {
  constructor(
    readonly code: WorkerErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WorkerError';
  }
}
