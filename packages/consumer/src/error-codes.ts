/** Every error code @cprh/consumer reports, with what it means. */
export const consumerErrorCodes = {
  /** createEventConsumer got an unusable option (empty group/consumer name, non-positive count or time). */
  CONSUMER_OPTIONS_INVALID: 'CONSUMER_OPTIONS_INVALID',
  /** An entry's `event` field is missing or not valid JSON; the entry is acknowledged and skipped. */
  CONSUMER_EVENT_INVALID: 'CONSUMER_EVENT_INVALID',
  /** The handler threw; the entry stays pending and is retried once it has been idle for claimIdleMs. */
  CONSUMER_HANDLER_FAILED: 'CONSUMER_HANDLER_FAILED',
  /** A Redis command of the read loop failed; the loop waits a moment and goes on. */
  CONSUMER_REDIS_FAILED: 'CONSUMER_REDIS_FAILED',
  /** Redis answered a stream command with something that is not the documented reply shape. */
  CONSUMER_REPLY_INVALID: 'CONSUMER_REPLY_INVALID',
} as const;

export type ConsumerErrorCode = keyof typeof consumerErrorCodes;
