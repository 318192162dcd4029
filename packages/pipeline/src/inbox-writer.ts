import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { inboxJobId } from './inbox-job-id';
import { INBOX_JOB_NAME, type AmqpMeta, type InboxJobData } from './job-types';

/** One message as a source (AMQP pull, HTTPS push) received it. */
export interface ReceivedMessage {
  body: Buffer;
  amqp: AmqpMeta | undefined;
}

/**
 * Writes received messages into the inbox: one INCRBY reserves their receive sequence numbers,
 * then one addBulk (a single pipelined round trip) stores them with BeskedId-derived job ids, so a
 * message that arrives twice is stored once. Resolves only when Redis accepted every job; the
 * caller acks upstream after that and never before.
 */
export class InboxWriter {
  constructor(
    private readonly redis: Redis,
    private readonly inbox: Queue<InboxJobData>,
    private readonly seqKey: string,
    private readonly source: string,
  ) {}

  async persist(messages: readonly ReceivedMessage[]): Promise<string[]> {
    if (messages.length === 0) return [];
    const last = await this.redis.incrby(this.seqKey, messages.length);
    const first = last - messages.length + 1;
    const jobs = messages.map((m, i) => ({
      name: INBOX_JOB_NAME,
      data: {
        raw: m.body.toString('utf8'),
        source: this.source,
        amqp: m.amqp,
        seq: first + i,
      } satisfies InboxJobData,
      opts: { jobId: inboxJobId(m.body).jobId },
    }));
    const added = await this.inbox.addBulk(jobs);
    return added.map((j) => j.id ?? '');
  }
}
