import { createHash } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Config } from '@cprh/config';
import type { RedisConnection } from './redis-connections';
import { waitForReplicas, type ReplicaAck } from './replica-wait';
import { encodeBody } from './inbox-body';
import { inboxJobId } from './inbox-job-id';
import { INBOX_JOB_NAME, type ChannelMeta, type InboxJobData } from './job-types';
import { personOrderKeys } from './order-keys';
import { REGISTER_LUA } from './order-scripts';
import { metrics, type Logger } from '@cprh/runtime';

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

/** Job id and person key of a received message: a job id the source already read is kept. */
export type InboxId = ReturnType<typeof inboxJobId>;
export function inboxIdOf(m: ReceivedMessage): InboxId {
  const id = inboxJobId(m.body);
  return m.jobId === undefined ? id : { ...id, jobId: m.jobId };
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
    private readonly cfg: Pick<Config['pipeline'], 'seqKey' | 'orderKeyPrefix' | 'dispatchedTtlSeconds'>,
    private readonly ack: ReplicaAck = { minReplicasAck: 0, waitTimeoutMs: 0 },
    private readonly log?: Logger,
  ) {}

  async persist(messages: readonly ReceivedMessage[]): Promise<string[]> {
    if (messages.length === 0) return [];
    // The person key needs the envelope's first CPR number: read here for every source (the peek
    // stops before the payload); a job id the source already read is kept.
    return this.write(messages, messages.map(inboxIdOf));
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
      metrics.duplicatesDropped.inc({ stage: 'dead_letter' });
      this.log?.warn(
        { jobId: ids[i]?.jobId, source: messages[i]?.source },
        'repeat of a dead-lettered message: not stored again (`cprh dlq list`; after `cprh dlq purge` a copy is processed anew)',
      );
    });
    return added.map((j) => j.id ?? '');
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
