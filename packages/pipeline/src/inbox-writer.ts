import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Config } from '@cprh/config';
import type { RedisConnection } from './redis-connections';
import { waitForReplicas, type ReplicaAck } from './replica-wait';
import { encodeBody } from './inbox-body';
import { inboxJobId, type InboxId } from './inbox-job-id';
import { INBOX_JOB_NAME, type ChannelMeta, type DeadLetterData, type InboxJobData } from './job-types';
import { personOrderKeys } from './order-keys';
import { INBOX_ADD_LUA } from './inbox-add-script';
import { metrics, type Logger } from '@cprh/runtime';
import { recordDeadLetter, type Failure } from './record-dead-letter';
import { tenantLabel } from './tenant-label';

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
  /**
   * Job id, BeskedId and person key as the source read them in its one pass over the body (the
   * push check: `inboxIdOf`; the poller: `inboxJobId` once per delivery, not once per retry);
   * absent, the writer reads them here.
   */
  id?: InboxId;
}

/** A received message as inbox job data: the one shape, also of a message dead-lettered on arrival. */
export function toInboxJobData(m: ReceivedMessage, seq: number, person?: string): InboxJobData {
  const data: InboxJobData = {
    body: encodeBody(m.body),
    source: m.source,
    receivedAt: m.receivedAt,
    channel: m.channel,
    seq,
  };
  if (person !== undefined) data.person = person;
  return data;
}

/** Job id and person key of a received message: what the source already read, else read now. */
export function idOfReceived(m: ReceivedMessage): InboxId {
  return m.id ?? inboxJobId(m.body);
}

const ADD_SHA = createHash('sha1').update(INBOX_ADD_LUA).digest('hex');

/**
 * The one way into the inbox. Writes received messages in one script call (inbox-add-script.ts):
 * each gets its receive sequence number, its place in its person's pending set and its BullMQ job
 * under its BeskedId-derived id, atomically, so a message that arrives twice is stored once and no
 * job exists that the order does not know. Resolves with the job ids only when Redis accepted
 * every job and, with `ack` (REDIS_MIN_REPLICAS_ACK > 0), enough replicas of the inbox's master
 * confirmed the writes (WAIT): the caller acks upstream (or answers the push) after that and never
 * before.
 */
export class InboxWriter {
  /**
   * The queue's job defaults (attempts, backoff) as BullMQ stores a job's options, open for the
   * job's id: the same for every job, so built once.
   */
  private readonly optsHead: string;

  constructor(
    private readonly redis: RedisConnection,
    private readonly inbox: Queue<InboxJobData>,
    private readonly cfg: Pick<Config['pipeline'], 'seqKey' | 'orderKeyPrefix' | 'dispatchedTtlSeconds'> & {
      readonly tenant?: string | undefined;
    },
    private readonly ack: ReplicaAck = { minReplicasAck: 0, waitTimeoutMs: 0 },
    private readonly log?: Logger,
  ) {
    const defaults = JSON.stringify(inbox.defaultJobOptions).slice(0, -1);
    this.optsHead = defaults === '{' ? '{' : `${defaults},`;
  }

  async persist(messages: readonly ReceivedMessage[]): Promise<string[]> {
    if (messages.length === 0) return [];
    return this.write(messages, messages.map(idOfReceived));
  }

  /** persist() with the ids already read (PartitionedInboxWriter reads them to choose the partition). */
  async write(messages: readonly ReceivedMessage[], ids: readonly InboxId[]): Promise<string[]> {
    if (messages.length === 0) return [];
    const q = this.inbox;
    const keys = [this.cfg.seqKey, q.toKey('wait'), q.toKey('meta'), q.toKey('marker'), q.toKey('failed')];
    const args = [
      String(messages.length),
      String(this.cfg.dispatchedTtlSeconds),
      String(Date.now()),
      INBOX_JOB_NAME,
    ];
    messages.forEach((m, i) => {
      const id = ids[i]!;
      keys.push(personOrderKeys(this.cfg.orderKeyPrefix, id.person).pending, q.toKey(id.jobId));
      // The script adds seq (and behind) and the closing brace.
      const data: Partial<InboxJobData> = toInboxJobData(m, 0, id.person);
      delete data.seq;
      const jobId = JSON.stringify(id.jobId);
      args.push(id.jobId, `${this.optsHead}"jobId":${jobId}}`, JSON.stringify(data).slice(0, -1));
    });
    const reply = (await this.add(keys, args)) as number[];
    // The seq key shares the inbox's hash tag, so it names the master that took every write.
    await waitForReplicas(this.redis, this.cfg.seqKey, this.ack);
    reply.forEach((stored, i) => {
      // A failed inbox job (dead-lettered before) is not stored again: said, not dropped silently.
      if (stored !== 2) return;
      metrics.duplicatesDropped.inc({ stage: 'dead_letter', tenant: tenantLabel(this.cfg) });
      this.log?.warn(
        { jobId: ids[i]?.jobId, source: messages[i]?.source },
        'repeat of a dead-lettered message: not stored again (`cprh dlq list`; after `cprh dlq purge` a copy is processed anew)',
      );
    });
    return ids.map((id) => id.jobId);
  }

  /**
   * Keeps a received message that cannot go into the inbox (a push body the receiver refuses) as a
   * dead letter in `dead`, before the source answers: the same job data as an inbox job
   * (toInboxJobData, with a receive seq and the person key) and the reason code, through
   * recordDeadLetter, under the message's inbox job id (`raw-<sha256>` for a refused body), so the
   * same bad bytes again stay one dead letter. Like persist() it resolves only after Redis (and
   * with `ack`, enough replicas: WAIT) confirmed; 'repeat' when these bytes already were one.
   */
  async deadLetter(
    dead: Queue<DeadLetterData>,
    m: ReceivedMessage,
    failure: Pick<Failure, 'code' | 'message'>,
  ): Promise<'recorded' | 'repeat'> {
    const id = idOfReceived(m);
    // Checked first so a repeat of a large body is not serialized and sent again only for BullMQ to
    // find the id taken. Its first recording may have been answered 50 when WAIT fell short, so a
    // repeat waits for the replicas too.
    if ((await this.redis.exists(dead.toKey(id.jobId))) === 1) {
      await waitForReplicas(this.redis, this.cfg.seqKey, this.ack);
      return 'repeat';
    }
    const seq = await this.redis.incr(this.cfg.seqKey);
    const now = Date.now();
    await recordDeadLetter(dead, id.jobId, toInboxJobData(m, seq, id.person), {
      ...failure,
      attempts: 1,
      firstFailedAt: now,
      lastFailedAt: now,
    });
    // The dead queue shares the prefix's hash tag with the seq key: the same master took both writes.
    await waitForReplicas(this.redis, this.cfg.seqKey, this.ack);
    return 'recorded';
  }

  private async add(keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(ADD_SHA, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return this.redis.eval(INBOX_ADD_LUA, keys.length, ...keys, ...args);
    }
  }
}
