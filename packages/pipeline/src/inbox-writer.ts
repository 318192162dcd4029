import type { Queue } from 'bullmq';
import type { RedisConnection } from './redis-connections';
import { waitForReplicas, type ReplicaAck } from './replica-wait';
import { encodeBody } from './inbox-body';
import { inboxJobId } from './inbox-job-id';
import { INBOX_JOB_NAME, type ChannelMeta, type InboxJobData } from './job-types';
import type { Logger } from './logger';
import { metrics } from './process-metrics';

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
    private readonly log?: Logger,
  ) {}

  async persist(messages: readonly ReceivedMessage[]): Promise<string[]> {
    if (messages.length === 0) return [];
    const ids = messages.map((m) => m.jobId ?? inboxJobId(m.body).jobId);
    // In the same round trip: which of them are failed inbox jobs, i.e. dead-lettered before. Adding
    // such a job again is a no-op (the id is taken), so say so instead of dropping it silently.
    const replies = await this.redis
      .pipeline()
      .incrby(this.seqKey, messages.length)
      .zmscore(this.inbox.toKey('failed'), ...ids)
      .exec();
    const [seqReply, failedReply] = replies ?? [];
    if (seqReply?.[0]) throw seqReply[0];
    if (failedReply?.[0]) throw failedReply[0];
    const last = Number(seqReply?.[1]);
    const first = last - messages.length + 1;
    const jobs = messages.map((m, i) => ({
      name: INBOX_JOB_NAME,
      data: toInboxJobData(m, first + i),
      opts: { jobId: ids[i] ?? '' },
    }));
    const added = await this.inbox.addBulk(jobs);
    // The seq key shares the inbox's hash tag, so it names the master that took both writes.
    await waitForReplicas(this.redis, this.seqKey, this.ack);
    const failedScores = (failedReply?.[1] ?? []) as (string | null)[];
    failedScores.forEach((score, i) => {
      if (score === null) return;
      metrics.duplicatesDropped.inc({ stage: 'dead_letter' });
      this.log?.warn(
        { jobId: ids[i], source: messages[i]?.source },
        'repeat of a dead-lettered message: not stored again (`cprh dlq list`; after `cprh dlq purge` a copy is processed anew)',
      );
    });
    return added.map((j) => j.id ?? '');
  }
}
