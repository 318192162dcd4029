import { Worker } from 'bullmq';
import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { pipelineTestEnv, waitFor, type PipelineTestEnv } from '@cprh/testkit';
import {
  createDeadQueue,
  createInboxQueue,
  createWorkerRedis,
  encodeBody,
  FinishedJobSweep,
  isStripped,
  JobStripper,
  recordDeadLetter,
  type InboxJobData,
} from '../src';

describe('FinishedJobSweep (real Redis)', () => {
  let t: PipelineTestEnv;
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  afterEach(async () => t.cleanup());
  afterAll(() => redis.disconnect());

  it("keeps a failed job's bytes while they are the only copy, and removes them once the dead letter holds them", async () => {
    t = pipelineTestEnv();
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const inbox = createInboxQueue(redis, cfg);
    const dead = createDeadQueue(redis, cfg);
    const data: InboxJobData = {
      body: encodeBody(Buffer.from('<x>0101901234</x>')),
      source: 's',
      receivedAt: 1,
      channel: { kind: 'amqp', messageId: undefined, redelivered: false },
      seq: 1,
    };
    // A job that failed without a dead letter (Redis was away when the worker tried to record it).
    await inbox.add('besked', data, { jobId: 'raw-x', attempts: 1 });
    const connection = createWorkerRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'sweep-test');
    const worker = new Worker(
      cfg.inboxQueue,
      async () => {
        throw new Error('boom');
      },
      {
        connection,
        prefix: cfg.queuePrefix,
      },
    );
    try {
      await waitFor('failed', async () => (await inbox.getJobState('raw-x')) === 'failed');
    } finally {
      await worker.close();
      connection.disconnect();
    }
    const sweep = new FinishedJobSweep(redis, cfg, new JobStripper(redis, cfg), 0);
    try {
      expect(await sweep.run()).toBe(0);
      expect(isStripped((await inbox.getJob('raw-x'))?.data)).toBe(false);

      await recordDeadLetter(dead, 'raw-x', data, {
        code: 'WORKER_RETRIES_EXHAUSTED',
        message: 'boom',
        attempts: 1,
        firstFailedAt: 1,
        lastFailedAt: 1,
      });
      expect(await sweep.run()).toBe(1);
      const kept: unknown = (await inbox.getJob('raw-x'))?.data;
      expect(kept).toMatchObject({ seq: 1, bytesRemoved: { outcome: 'dead-lettered', bytes: 17 } });
      expect(JSON.stringify(kept)).not.toContain('0101901234');
      expect(await sweep.run()).toBe(0); // done once
    } finally {
      await Promise.all([inbox.close(), dead.close()]);
    }
  });

  it('pages past many jobs finished at the same millisecond and strips each that holds bytes once', async () => {
    t = pipelineTestEnv();
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const base = `${cfg.queuePrefix}:${cfg.inboxQueue}`;
    const data = (seq: number): string =>
      JSON.stringify({
        body: encodeBody(Buffer.from(`<x>${seq}</x>`)),
        source: 's',
        receivedAt: 1,
        channel: { kind: 'amqp', messageId: undefined, redelivered: false },
        seq,
      });
    // 1,300 completed jobs on 3 scores (more per score than a page), every 4th already stripped.
    const pipe = redis.pipeline();
    for (let i = 0; i < 1300; i++) {
      const stripped = i % 4 === 0;
      const d = stripped
        ? JSON.stringify({ seq: i, bytesRemoved: { at: 1, bytes: 9, outcome: 'dispatched' } })
        : data(i);
      pipe.hset(
        `${base}:j-${i}`,
        'data',
        d,
        'returnvalue',
        JSON.stringify({ eventId: `e${i}`, entryId: '1-0', duplicate: false }),
      );
      pipe.zadd(`${base}:completed`, 1000 + (i % 3), `j-${i}`);
    }
    await pipe.exec();
    const sweep = new FinishedJobSweep(redis, cfg, new JobStripper(redis, cfg), 0);
    expect(await sweep.run(5000)).toBe(975);
    const left = await Promise.all(
      Array.from({ length: 1300 }, (_, i) => redis.hget(`${base}:j-${i}`, 'data')),
    );
    expect(left.filter((d) => d?.includes('"body"'))).toEqual([]);
    expect(await sweep.run(5000)).toBe(0); // the overlap is looked at again, and holds nothing
    await redis.del(`${base}:completed`, ...Array.from({ length: 1300 }, (_, i) => `${base}:j-${i}`));
  });

  it('reads a completed job once it is 2 s old, and reads it again within the 5 s overlap only', async () => {
    t = pipelineTestEnv();
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const base = `${cfg.queuePrefix}:${cfg.inboxQueue}`;
    const holding = (seq: number): string =>
      JSON.stringify({
        body: encodeBody(Buffer.from(`<x>${seq}</x>`)),
        source: 's',
        receivedAt: 1,
        channel: { kind: 'amqp', messageId: undefined, redelivered: false },
        seq,
      });
    const finish = async (id: string, at: number): Promise<void> => {
      await redis.hset(
        `${base}:${id}`,
        'data',
        holding(at),
        'returnvalue',
        JSON.stringify({ eventId: id, entryId: '1-0', duplicate: false }),
      );
      await redis.zadd(`${base}:completed`, at, id);
    };
    const sweep = new FinishedJobSweep(redis, cfg, new JobStripper(redis, cfg), 0);
    const now = 100_000;
    await finish('old', now - 2500);
    await finish('young', now - 1000);
    expect(await sweep.run(now)).toBe(1); // 'old' only: 'young' may still be stripped by its worker
    expect(isStripped(JSON.parse((await redis.hget(`${base}:old`, 'data')) ?? '{}'))).toBe(true);
    expect(await redis.hget(`${base}:young`, 'data')).toContain('"body"');
    expect(await sweep.run(now + 1500)).toBe(1); // 'young' is 2.5 s old now
    // Finished (by the worker's clock) before what the last pass read, within the overlap: read.
    await finish('late', now - 3000);
    // Before the overlap: not read again (a full pass runs at every start).
    await finish('skewed', now - 9000);
    expect(await sweep.run(now + 3000)).toBe(1);
    expect(await redis.hget(`${base}:late`, 'data')).not.toContain('"body"');
    expect(await redis.hget(`${base}:skewed`, 'data')).toContain('"body"');
    await redis.del(`${base}:completed`, ...['old', 'young', 'late', 'skewed'].map((id) => `${base}:${id}`));
  });
});
