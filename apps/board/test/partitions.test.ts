import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '@cprh/config';
import { partitionPipeline } from '@cprh/pipeline';
import { startBoard, BOARD_SECTIONS } from '../src';

const REDIS_URL = 'redis://127.0.0.1:6379';

describe('the board with PARTITIONS=3 (real Redis)', () => {
  const suffix = randomUUID().slice(0, 8);
  const env = {
    REDIS_URL,
    PARTITIONS: '3',
    QUEUE_PREFIX: `cprh-test-board-part-${suffix}`,
    EVENTS_STREAM: `cprh-test-board-part-${suffix}:events`,
    BOARD_PORT: '0',
    LOG_LEVEL: 'silent',
  };
  const redis = new Redis(REDIS_URL);
  const pipeline = loadConfig(['pipeline'], env).pipeline;
  const queues = [0, 1, 2].flatMap((p) => {
    const part = partitionPipeline(pipeline, p);
    const opts = { connection: { url: REDIS_URL }, prefix: part.queuePrefix };
    return [new Queue(part.inboxQueue, opts), new Queue(part.deadQueue, opts)];
  });

  afterAll(async () => {
    for (const q of queues) await q.obliterate({ force: true });
    await redis.del(...[0, 1, 2].map((p) => partitionPipeline(pipeline, p).eventsStream));
    await Promise.all(queues.map((q) => q.close()));
    redis.disconnect();
  });

  it("shows every partition's inbox and dead queue, and sums them in the metrics", async () => {
    // One waiting job in each partition's inbox (queues[0], [2], [4]).
    for (const [i, q] of queues.entries())
      if (i % 2 === 0) await q.add('besked', { seq: i }, { jobId: `j${i}` });
    await redis.xadd(partitionPipeline(pipeline, 1).eventsStream, '*', 'id', 'x');
    const b = await startBoard(loadConfig(BOARD_SECTIONS, env));
    try {
      const api = await fetch(`${b.url}api/queues`);
      const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
      expect(names.sort()).toEqual(['p0-dead', 'p0-inbox', 'p1-dead', 'p1-inbox', 'p2-dead', 'p2-inbox']);
      const metrics = await (await fetch(`${b.url}metrics`)).text();
      expect(metrics).toContain('cprh_queue_jobs{queue="inbox",state="waiting",tenant="default"} 3');
      expect(metrics).toContain(
        `cprh_events_stream_length{stream="${partitionPipeline(pipeline, 1).eventsStream}",tenant="default"} 1`,
      );
    } finally {
      await b.close();
    }
  });
});
