import { defineErrorCodes, type CodeOf } from '@cprh/errors';

/** Every error code @cprh/consumer reports, with what it means. */
export const CONSUMER_ERROR_CODES = defineErrorCodes({
  CONSUMER_OPTIONS_INVALID:
    'createEventConsumer got an unusable option (empty group/consumer name, non-positive count or time)',
  CONSUMER_EVENT_INVALID:
    "An entry's `event` field is missing or not valid JSON; the entry is acknowledged and skipped",
  CONSUMER_HANDLER_FAILED:
    'The handler threw; the entry stays pending and is retried once it has been idle for claimIdleMs',
  CONSUMER_REDIS_FAILED: 'A Redis command of the read loop failed; the loop waits a moment and goes on',
  CONSUMER_REPLY_INVALID:
    'Redis answered a stream command with something that is not the documented reply shape',
});

export type ConsumerErrorCode = CodeOf<typeof CONSUMER_ERROR_CODES>;
