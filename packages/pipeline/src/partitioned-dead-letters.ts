import type { Job } from 'bullmq';
import type { Config } from '@cprh/config';
import { DeadLetters } from './dead-letters';
import type { DeadLetterData } from './job-types';
import { partitionPipelines } from './partition-layout';
import { createDeadQueue, createInboxQueue } from './queues';
import type { RedisConnection } from './redis-connections';
import { PipelineError } from './pipeline-error';

/**
 * DeadLetters over every partition (`cprh dlq`): lists all partitions' dead letters, finds an id in
 * whichever partition holds it, and replays a dead letter into its own partition's inbox, where its
 * person's order gate is. With PARTITIONS=1 it is DeadLetters on the one dead queue.
 */
export class PartitionedDeadLetters {
  private readonly queues: { close(): Promise<void> }[] = [];
  private readonly parts: DeadLetters[];

  constructor(redis: RedisConnection, pipeline: Config['pipeline']) {
    this.parts = partitionPipelines(pipeline).map((p) => {
      const inbox = createInboxQueue(redis, p.pipeline);
      const dead = createDeadQueue(redis, p.pipeline);
      this.queues.push(inbox, dead);
      return new DeadLetters(dead, inbox);
    });
  }

  /** Dead letters of every partition, oldest first. */
  async list(): Promise<Job<DeadLetterData>[]> {
    const all = (await Promise.all(this.parts.map((p) => p.list()))).flat();
    return all.sort((a, b) => a.timestamp - b.timestamp);
  }

  async get(id: string): Promise<Job<DeadLetterData>> {
    return (await this.holder(id)).get(id);
  }

  async replay(id: string): Promise<string> {
    return (await this.holder(id)).replay(id);
  }

  async replayAll(): Promise<string[]> {
    const out: string[] = [];
    for (const p of this.parts) out.push(...(await p.replayAll()));
    return out;
  }

  async purgeRecordedBefore(before: number): Promise<string[]> {
    const out: string[] = [];
    for (const p of this.parts) out.push(...(await p.purgeRecordedBefore(before)));
    return out;
  }

  async purge(): Promise<number> {
    let n = 0;
    for (const p of this.parts) n += await p.purge();
    return n;
  }

  async close(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close().catch(() => undefined)));
  }

  private async holder(id: string): Promise<DeadLetters> {
    for (const p of this.parts) {
      try {
        await p.get(id);
        return p;
      } catch (err) {
        if (!(err instanceof PipelineError && err.code === 'PIPELINE_DEAD_LETTER_NOT_FOUND')) throw err;
      }
    }
    throw new PipelineError('PIPELINE_DEAD_LETTER_NOT_FOUND', `no dead letter with id ${id}`);
  }
}
