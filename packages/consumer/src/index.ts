export { createEventConsumer, streamDirectoryKey } from './event-consumer';
export { tenantStream } from './tenant-stream';
export type { EventConsumer, EventConsumerOptions, EventHandler, EventMeta } from './consumer-options';
export { ConsumerError } from './consumer-error';
export { CONSUMER_ERROR_CODES, type ConsumerErrorCode } from './error-codes';
