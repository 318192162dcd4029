import type { Config } from '@cprh/config';
import type { RedisConnection } from './redis-connections';
import type { ReplicaAck } from './replica-wait';
import { createInboxQueue } from './queues';
import { InboxWriter, inboxIdOf, type InboxId, type ReceivedMessage } from './inbox-writer';
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

  constructor(redis: RedisConnection, pipeline: Config['pipeline'], ack?: ReplicaAck, log?: Logger) {
    const parts = partitionPipelines(pipeline);
    this.inboxes = parts.map((p) => createInboxQueue(redis, p.pipeline));
    for (const q of this.inboxes)
      q.on('error', (err) => log?.debug({ err: err.message }, 'inbox queue error'));
    this.writers = parts.map((p, i) => new InboxWriter(redis, this.inboxes[i]!, p.pipeline, ack, log));
  }

  async persist(messages: readonly ReceivedMessage[]): Promise<string[]> {
    if (messages.length === 0) return [];
    const ids = messages.map(inboxIdOf);
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

  async close(): Promise<void> {
    await Promise.all(this.inboxes.map((q) => q.close().catch(() => undefined)));
  }
}
