import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Config } from '@cprh/config';
import type { RedisConnection } from './redis-connections';
import { waitForReplicas, type ReplicaAck } from './replica-wait';
import { encodeBody } from './inbox-body';
import { inboxJobId, type InboxId } from './inbox-job-id';
import { INBOX_JOB_NAME, type ChannelMeta, type DeadLetterData, type InboxJobData } from './job-types';
import { personOrderKeys } from './order-keys';
import { REGISTER_LUA } from './order-scripts';
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

const REGISTER_SHA = createHash('sha1').update(REGISTER_LUA).digest('hex');

/**
 * The one way into the inbox. Writes received messages: one script call reserves their receive
 * sequence numbers and registers each in its person's pending set (order-scripts.ts: a message
 * seen before keeps its first seq), then one addBulk (a single pipelined round trip) stores them
 * with BeskedId-derived job ids, so a message that arrives twice is stored once. Registering
 * first means a crash between the two leaves a registered head without a job (found and waited
 * for, or released when stale) and never a job the order does not know. Resolves with the job ids
 * only when Redis accepted every job and, with `ack` (REDIS_MIN_REPLICAS_ACK > 0), enough replicas
 * of the inbox's master confirmed the writes (WAIT): the caller acks upstream (or answers the
 * push) after that and never before.
 */
export class InboxWriter {
  constructor(
    private readonly redis: RedisConnection,
    private readonly inbox: Queue<InboxJobData>,
    private readonly cfg: Pick<Config['pipeline'], 'seqKey' | 'orderKeyPrefix' | 'dispatchedTtlSeconds'> & {
      readonly tenant?: string | undefined;
    },
    private readonly ack: ReplicaAck = { minReplicasAck: 0, waitTimeoutMs: 0 },
    private readonly log?: Logger,
  ) {}

  async persist(messages: readonly ReceivedMessage[]): Promise<string[]> {
    if (messages.length === 0) return [];
    return this.write(messages, messages.map(idOfReceived));
  }

  /** persist() with the ids already read (PartitionedInboxWriter reads them to choose the partition). */
  async write(messages: readonly ReceivedMessage[], ids: readonly InboxId[]): Promise<string[]> {
    if (messages.length === 0) return [];
    const keys = [this.cfg.seqKey];
    const args = [String(messages.length), String(this.cfg.dispatchedTtlSeconds)];
    for (const id of ids) {
      keys.push(personOrderKeys(this.cfg.orderKeyPrefix, id.person).pending, this.inbox.toKey(id.jobId));
      args.push(id.jobId);
    }
    // Sent together (one round trip): which of them are failed inbox jobs, i.e. dead-lettered
    // before. Adding such a job again is a no-op (the id is taken), so say so instead of dropping
    // it silently.
    const [reply, failedScores] = await Promise.all([
      this.register(keys, args) as Promise<number[]>,
      this.redis.zmscore(this.inbox.toKey('failed'), ...ids.map((id) => id.jobId)),
    ]);
    const jobs = messages.map((m, i) => {
      const data = toInboxJobData(m, Number(reply[2 * i]), ids[i]!.person);
      if (reply[2 * i + 1] === 1) data.behind = true;
      return { name: INBOX_JOB_NAME, data, opts: { jobId: ids[i]!.jobId } };
    });
    const added = await this.inbox.addBulk(jobs);
    // The seq key shares the inbox's hash tag, so it names the master that took every write.
    await waitForReplicas(this.redis, this.cfg.seqKey, this.ack);
    failedScores.forEach((score, i) => {
      if (score === null) return;
      metrics.duplicatesDropped.inc({ stage: 'dead_letter', tenant: tenantLabel(this.cfg) });
      this.log?.warn(
        { jobId: ids[i]?.jobId, source: messages[i]?.source },
        'repeat of a dead-lettered message: not stored again (`cprh dlq list`; after `cprh dlq purge` a copy is processed anew)',
      );
    });
    return added.map((j) => j.id ?? '');
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

  private async register(keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(REGISTER_SHA, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return this.redis.eval(REGISTER_LUA, keys.length, ...keys, ...args);
    }
  }
}
