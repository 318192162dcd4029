import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { encodeBody, recordDeadLetter, type DeadLetterData, type ReceivedMessage } from '@cprh/pipeline';
import type { PushFailure } from './pushed-message';

/**
 * Keeps a pushed message that cannot go into the inbox as a dead letter, with its exact bytes,
 * through the pipeline's one dead-letter path. It takes a receive sequence number like an inbox
 * job; its id is what the body check derived (`raw-<sha256 of the bytes>` for a refused body), so
 * the same bad bytes pushed again stay one dead letter, and the body is not parsed a second time.
 */
export async function recordPushDeadLetter(
  redis: Redis,
  dead: Queue<DeadLetterData>,
  seqKey: string,
  m: ReceivedMessage,
  failure: PushFailure,
  jobId: string,
): Promise<'recorded' | 'repeat'> {
  // The same refused bytes again: already kept. Checked first so a repeat of a large body is not
  // serialized and sent to Redis again only for BullMQ to find the id taken.
  if ((await redis.exists(dead.toKey(jobId))) === 1) return 'repeat';
  const seq = await redis.incr(seqKey);
  const now = Date.now();
  const data = {
    body: encodeBody(m.body),
    source: m.source,
    receivedAt: m.receivedAt,
    channel: m.channel,
    seq,
  };
  await recordDeadLetter(dead, jobId, data, {
    code: failure.code,
    message: failure.message,
    attempts: 1,
    firstFailedAt: now,
    lastFailedAt: now,
  });
  return 'recorded';
}
