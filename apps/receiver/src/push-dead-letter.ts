import type { Queue } from 'bullmq';
import type { RedisConnection as Redis } from '@cprh/pipeline';
import {
  encodeBody,
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
 * job; its id is what the body check derived (`raw-<sha256 of the bytes>` for a refused body), so
 * the same bad bytes pushed again stay one dead letter, and the body is not parsed a second time.
 * Answered 40, it is not sent again: like an inbox write it must reach `ack` replicas first (WAIT).
 */
export async function recordPushDeadLetter(
  redis: Redis,
  dead: Queue<DeadLetterData>,
  seqKey: string,
  m: ReceivedMessage,
  failure: PushFailure,
  jobId: string,
  ack: ReplicaAck = { minReplicasAck: 0, waitTimeoutMs: 0 },
): Promise<'recorded' | 'repeat'> {
  // The same refused bytes again: already kept. Checked first so a repeat of a large body is not
  // serialized and sent to Redis again only for BullMQ to find the id taken. Its first recording may
  // have been answered 50 when WAIT fell short, so a repeat waits for the replicas too.
  if ((await redis.exists(dead.toKey(jobId))) === 1) {
    await waitForReplicas(redis, seqKey, ack);
    return 'repeat';
  }
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
  // The dead queue shares the prefix's hash tag with the seq key: the same master took both writes.
  await waitForReplicas(redis, seqKey, ack);
  return 'recorded';
}
