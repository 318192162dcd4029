import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import {
  encodeBody,
  inboxJobId,
  recordDeadLetter,
  type DeadLetterData,
  type ReceivedMessage,
} from '@cprh/pipeline';
import type { PushFailure } from './pushed-message';

/**
 * Keeps a pushed message that cannot go into the inbox as a dead letter, with its exact bytes,
 * through the pipeline's one dead-letter path. It takes a receive sequence number like an inbox
 * job; its id is the inbox job id the bytes would have had, so the same bad bytes pushed again
 * stay one dead letter (and a good copy of the message still goes into the inbox).
 */
export async function recordPushDeadLetter(
  redis: Redis,
  dead: Queue<DeadLetterData>,
  seqKey: string,
  m: ReceivedMessage,
  failure: PushFailure,
): Promise<void> {
  const seq = await redis.incr(seqKey);
  const now = Date.now();
  const { jobId, person } = inboxJobId(m.body);
  const data = {
    body: encodeBody(m.body),
    source: m.source,
    receivedAt: m.receivedAt,
    channel: m.channel,
    seq,
    person,
  };
  await recordDeadLetter(dead, jobId, data, {
    code: failure.code,
    message: failure.message,
    attempts: 1,
    firstFailedAt: now,
    lastFailedAt: now,
  });
}
