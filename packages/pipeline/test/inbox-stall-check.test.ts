import Redis from 'ioredis';
import { Worker } from 'bullmq';
import { loadConfig } from '@cprh/config';
import { freePort, pipelineTestEnv, waitFor } from '@cprh/testkit';
import { checkInboxMoving, createInboxQueue, createWorkerRedis } from '../src';

const STALL = 60;

describe('checkInboxMoving (real Redis)', () => {
  it('is ready when empty or recently moving, and names the wedge once jobs wait with nothing finished', async () => {
    const t = pipelineTestEnv();
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const redis = new Redis(t.env.REDIS_URL ?? '', { maxRetriesPerRequest: 1 });
    const inbox = createInboxQueue(redis, cfg);
    const workerRedis = createWorkerRedis(t.env.REDIS_URL ?? '', 'stall-test');
    try {
      expect(await checkInboxMoving(redis, cfg, STALL)).toEqual({ ready: true });

      await inbox.add('besked', { n: 1 } as never, { jobId: 'a' });
      const arrived = Date.now();
      // Just arrived: not a wedge yet, however long ago anything finished.
      expect(await checkInboxMoving(redis, cfg, STALL)).toEqual({ ready: true });
      const later = arrived + (STALL + 5) * 1000;
      expect(await checkInboxMoving(redis, cfg, STALL, later)).toEqual({
        ready: false,
        reason: expect.stringMatching(
          /^inbox stalled: 1 jobs waiting and none finished for 6[45] s \(READY_STALL_SECONDS=60\)$/,
        ),
      });

      // A worker takes it: the inbox is empty and moving again.
      const worker = new Worker(cfg.inboxQueue, async () => 'ok', {
        connection: workerRedis,
        prefix: cfg.queuePrefix,
      });
      await waitFor('completed', async () => (await inbox.getCompletedCount()) === 1);
      await worker.close();
      const finished = Date.now();
      expect(await checkInboxMoving(redis, cfg, STALL, later)).toEqual({ ready: true });

      // A job waits again; the last finish is what the clock counts from (the job is older).
      await inbox.add('besked', { n: 2 } as never, { jobId: 'b', timestamp: finished - 3600_000 });
      expect(await checkInboxMoving(redis, cfg, STALL, finished + 10_000)).toEqual({ ready: true });
      expect((await checkInboxMoving(redis, cfg, STALL, finished + (STALL + 1) * 1000)).ready).toBe(false);
    } finally {
      await inbox.close();
      workerRedis.disconnect();
      redis.disconnect();
      await t.cleanup();
    }
  });

  it('reports an unreachable Redis as the reason', async () => {
    const t = pipelineTestEnv();
    const cfg = loadConfig(['pipeline'], t.env).pipeline;
    const redis = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      disconnectTimeout: 0,
    });
    redis.on('error', () => undefined);
    try {
      const r = await checkInboxMoving(redis, cfg, STALL);
      expect(r).toEqual({ ready: false, reason: expect.stringMatching(/^redis: /) });
    } finally {
      redis.disconnect();
    }
  });
});
