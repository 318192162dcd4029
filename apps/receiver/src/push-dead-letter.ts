import type { Queue } from 'bullmq';
import type { RedisConnection as Redis } from '@cprh/pipeline';
import {
  encodeBody,
  inboxJobId,
  recordDeadLetter,
  waitForReplicas,
  type DeadLetterData,
  type ReplicaAck,
  type ReceivedMessage,
} from '@cprh/pipeline';
import type { PushFailure } from './pushed-message';

/**
 * Keeps a pushed message that cannot go into the inbox as a dead letter, with its exact bytes,
 * through the pipeline's one dead-letter path. It takes a receive sequence number like an inbox
 * job; its id is the inbox job id the bytes would have had, so the same bad bytes pushed again
 * stay one dead letter (and a good copy of the message still goes into the inbox). Answered 40,
 * it is not sent again: like an inbox write it must reach `ack` replicas first (WAIT).
 */
export async function recordPushDeadLetter(
  redis: Redis,
  dead: Queue<DeadLetterData>,
  seqKey: string,
  m: ReceivedMessage,
  failure: PushFailure,
  ack: ReplicaAck = { minReplicasAck: 0, waitTimeoutMs: 0 },
): Promise<void> {
  const seq = await redis.incr(seqKey);
  const now = Date.now();
  const data = {
    body: encodeBody(m.body),
    source: m.source,
    receivedAt: m.receivedAt,
    channel: m.channel,
    seq,
  };
  await recordDeadLetter(dead, inboxJobId(m.body).jobId, data, {
    code: failure.code,
    message: failure.message,
    attempts: 1,
    firstFailedAt: now,
    lastFailedAt: now,
  });
  // The dead queue shares the prefix's hash tag with the seq key: the same master took both writes.
  await waitForReplicas(redis, seqKey, ack);
}
