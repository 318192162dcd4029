export { startWorker, type WorkerOverrides } from './start-worker';
export { startWorkerTenants } from './start-worker-tenants';
export { createInboxProcessor, type InboxProcessorOptions } from './inbox-processor';
export { WORKER_ERROR_CODES, type WorkerErrorCode } from './error-codes';
export { WorkerError } from './worker-error';
export { WORKER_SECTIONS, type WorkerConfig } from './worker-sections';
