import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { DEAD_JOB_NAME, encodeBody, type DeadLetterData, type ReceivedMessage } from '@cprh/pipeline';
import type { PushFailure } from './pushed-message';

/**
 * Keeps a pushed message that cannot go into the inbox as a dead letter, with its exact bytes.
 * Its id comes from the bytes, never from a BeskedId, so a later good copy of the same message
 * still finds its way into the inbox; the same bad bytes pushed again stay one dead letter.
 */
export async function recordPushDeadLetter(
  redis: Redis,
  dead: Queue<DeadLetterData>,
  seqKey: string,
  m: ReceivedMessage,
  failure: PushFailure,
): Promise<void> {
  const id = `push-${createHash('sha256').update(m.body).digest('hex')}`;
  const seq = await redis.incr(seqKey);
  const now = Date.now();
  await dead.add(
    DEAD_JOB_NAME,
    {
      body: encodeBody(m.body),
      source: m.source,
      receivedAt: m.receivedAt,
      channel: m.channel,
      seq,
      code: failure.code,
      message: failure.message,
      attempts: 0,
      firstFailedAt: now,
      lastFailedAt: now,
      inboxJobId: id,
      originalJobId: id,
    },
    { jobId: id },
  );
}
