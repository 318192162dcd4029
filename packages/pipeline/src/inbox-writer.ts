import type { Queue } from 'bullmq';
import type { RedisConnection } from './redis-connections';
import { waitForReplicas, type ReplicaAck } from './replica-wait';
import { encodeBody } from './inbox-body';
import { inboxJobId } from './inbox-job-id';
import { INBOX_JOB_NAME, type ChannelMeta, type InboxJobData } from './job-types';

/**
 * One message as a source (AMQP pull, HTTPS push) received it: the body's exact bytes, never
 * decoded here (packages/besked decodes, once, in the worker).
 */
export interface ReceivedMessage {
  body: Uint8Array;
  /** CloudEvent `source` of the channel, see eventSources. */
  source: string;
  /** Epoch ms when the source received it. */
  receivedAt: number;
  channel: ChannelMeta;
  /** The inbox job id when the source already read the BeskedId (`inboxJobIdOf`); else derived here. */
  jobId?: string;
}

/**
 * A received message as inbox job data (and dead-letter data: a source that dead-letters a message
 * itself passes this to recordDeadLetter, with `inboxJobId(m.body).jobId` as the id).
 */
export function toInboxJobData(m: ReceivedMessage, seq: number): InboxJobData {
  return { body: encodeBody(m.body), source: m.source, receivedAt: m.receivedAt, channel: m.channel, seq };
}

/**
 * The one way into the inbox. Writes received messages: one INCRBY reserves their receive sequence
 * numbers, then one addBulk (a single pipelined round trip) stores them with BeskedId-derived job
 * ids, so a message that arrives twice is stored once. Resolves with the job ids only when Redis
 * accepted every job and, with `ack` (REDIS_MIN_REPLICAS_ACK > 0), enough replicas of the inbox's
 * master confirmed the writes (WAIT): the caller acks upstream (or answers the push) after that
 * and never before.
 */
export class InboxWriter {
  constructor(
    private readonly redis: RedisConnection,
    private readonly inbox: Queue<InboxJobData>,
    private readonly seqKey: string,
    private readonly ack: ReplicaAck = { minReplicasAck: 0, waitTimeoutMs: 0 },
  ) {}

  async persist(messages: readonly ReceivedMessage[]): Promise<string[]> {
    if (messages.length === 0) return [];
    const last = await this.redis.incrby(this.seqKey, messages.length);
    const first = last - messages.length + 1;
    const jobs = messages.map((m, i) => ({
      name: INBOX_JOB_NAME,
      data: toInboxJobData(m, first + i),
      opts: { jobId: m.jobId ?? inboxJobId(m.body).jobId },
    }));
    const added = await this.inbox.addBulk(jobs);
    // The seq key shares the inbox's hash tag, so it names the master that took both writes.
    await waitForReplicas(this.redis, this.seqKey, this.ack);
    return added.map((j) => j.id ?? '');
  }
}
