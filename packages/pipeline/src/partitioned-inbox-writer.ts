import type { Queue } from 'bullmq';
import type { Config } from '@cprh/config';
import type { RedisConnection } from './redis-connections';
import type { ReplicaAck } from './replica-wait';
import type { DeadLetterData } from './job-types';
import { createDeadQueue, createInboxQueue } from './queues';
import type { Failure } from './record-dead-letter';
import type { InboxId } from './inbox-job-id';
import { InboxWriter, idOfReceived, type ReceivedMessage } from './inbox-writer';
import type { Logger } from '@cprh/runtime';
import { partitionOf, partitionPipelines } from './partition-layout';

/**
 * The inbox over PARTITIONS: each message goes to the partition of its person key, a batch is
 * written as one InboxWriter call per partition it touches (in parallel: each is one register and
 * one addBulk, and a WAIT on that partition's master), and `persist` resolves only when every
 * partition's write (and WAIT) succeeded, so the caller's ack covers nothing unwritten. With one
 * partition it is exactly InboxWriter.
 */
export class PartitionedInboxWriter {
  private readonly writers: InboxWriter[];
  private readonly inboxes: ReturnType<typeof createInboxQueue>[];
  /** Each partition's dead queue, made at its first dead letter (the poller never needs one). */
  private readonly deads: (Queue<DeadLetterData> | undefined)[];
  private readonly parts: ReturnType<typeof partitionPipelines>;

  constructor(
    private readonly redis: RedisConnection,
    pipeline: Config['pipeline'],
    ack?: ReplicaAck,
    private readonly log?: Logger,
  ) {
    const parts = partitionPipelines(pipeline);
    this.parts = parts;
    this.deads = parts.map(() => undefined);
    this.inboxes = parts.map((p) => createInboxQueue(redis, p.pipeline));
    for (const q of this.inboxes)
      q.on('error', (err) => log?.debug({ err: err.message }, 'inbox queue error'));
    this.writers = parts.map((p, i) => new InboxWriter(redis, this.inboxes[i]!, p.pipeline, ack, log));
  }

  async persist(messages: readonly ReceivedMessage[]): Promise<string[]> {
    if (messages.length === 0) return [];
    const ids = messages.map(idOfReceived);
    const n = this.writers.length;
    const groups = new Map<number, { at: number[]; messages: ReceivedMessage[]; ids: InboxId[] }>();
    ids.forEach((id, i) => {
      const p = partitionOf(id.person, n);
      let g = groups.get(p);
      if (!g) groups.set(p, (g = { at: [], messages: [], ids: [] }));
      g.at.push(i);
      g.messages.push(messages[i]!);
      g.ids.push(id);
    });
    const out = new Array<string>(messages.length).fill('');
    await Promise.all(
      [...groups].map(async ([p, g]) => {
        const jobIds = await this.writers[p]!.write(g.messages, g.ids);
        jobIds.forEach((id, k) => (out[g.at[k]!] = id));
      }),
    );
    return out;
  }

  /** InboxWriter.deadLetter in the partition of the message's person, like its stored siblings. */
  async deadLetter(
    m: ReceivedMessage,
    failure: Pick<Failure, 'code' | 'message'>,
  ): Promise<'recorded' | 'repeat'> {
    const id = idOfReceived(m);
    const p = partitionOf(id.person, this.writers.length);
    let dead = this.deads[p];
    if (dead === undefined) {
      dead = this.deads[p] = createDeadQueue(this.redis, this.parts[p]!.pipeline);
      dead.on('error', (err) => this.log?.debug({ err: err.message }, 'dead queue error'));
    }
    return this.writers[p]!.deadLetter(dead, { ...m, id }, failure);
  }

  async close(): Promise<void> {
    const queues = [...this.inboxes, ...this.deads.filter((q) => q !== undefined)];
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
  }
}
