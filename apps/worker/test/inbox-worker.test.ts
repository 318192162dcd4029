import { createHash, randomUUID } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import Redis from 'ioredis';
import {
  COMPLETE_JOBS_LUA,
  isStripped,
  strippedJobData,
  type InboxJobData,
  type InboxJobResult,
} from '@cprh/pipeline';
import { TEST_REDIS_URL, waitFor } from '@cprh/testkit';
import { InboxWorker } from '../src/inbox-worker';

const COMPLETE_SHA = createHash('sha1').update(COMPLETE_JOBS_LUA).digest('hex');

function data(i: number): InboxJobData {
  return {
    body: `<besked nr="${i}"/>`,
    source: 'urn:test:source',
    receivedAt: Date.now(),
    channel: { kind: 'amqp', messageId: `m-${i}`, redelivered: false },
    seq: i,
  };
}

const result = (job: Job<InboxJobData>): InboxJobResult => ({
  eventId: `e-${job.id}`,
  entryId: `1-${job.data.seq}`,
  duplicate: false,
});

// The worker's batched completion (COMPLETE_JOBS_LUA) against a real Redis and BullMQ's own keys.
describe('InboxWorker: completions batched per event-loop turn (real Redis)', () => {
  const redis = new Redis(TEST_REDIS_URL);
  const conn = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  let prefix: string;
  let queue: Queue<InboxJobData>;
  let worker: InboxWorker | undefined;
  let completionCalls = 0;

  // Counts the completion script's calls on the worker's connection; the calls still go to Redis.
  const evalsha = conn.evalsha.bind(conn) as (...a: unknown[]) => Promise<unknown>;
  (conn as unknown as { evalsha: (...a: unknown[]) => Promise<unknown> }).evalsha = (...a: unknown[]) => {
    if (a[0] === COMPLETE_SHA) completionCalls += 1;
    return evalsha(...a);
  };

  beforeEach(() => {
    prefix = `t-iw-${randomUUID()}`;
    queue = new Queue<InboxJobData>('inbox', { connection: redis, prefix });
    completionCalls = 0;
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await queue.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  });
  afterAll(() => {
    redis.disconnect();
    conn.disconnect();
  });

  function startWorker(
    opts: { keepAgeSeconds?: number; processor?: (job: Job<InboxJobData>) => Promise<InboxJobResult> } = {},
  ): InboxWorker {
    const w = new InboxWorker('inbox', opts.processor ?? (async (job) => result(job)), {
      connection: conn,
      prefix,
      concurrency: 8,
      removeOnComplete: { age: opts.keepAgeSeconds ?? 3600 },
      finishedData: (d, r) => strippedJobData(d, 'dispatched', r),
    });
    w.on('error', () => undefined);
    return w;
  }

  it('completes each job as BullMQ keeps a completed one, its bytes gone, in fewer calls than jobs', async () => {
    const n = 60;
    await queue.addBulk(
      Array.from({ length: n }, (_, i) => ({
        name: 'besked',
        data: data(i + 1),
        opts: { jobId: `j${i + 1}` },
      })),
    );
    const completedEvents: Job<InboxJobData>[] = [];
    worker = startWorker();
    worker.on('completed', (job) => completedEvents.push(job));
    await waitFor('every job completed', async () => (await redis.zcard(`${prefix}:inbox:completed`)) === n);

    expect(completedEvents).toHaveLength(n);
    // Listeners see the job as Redis holds it: metadata only.
    expect(completedEvents.every((j) => isStripped(j.data))).toBe(true);
    for (let i = 1; i <= n; i += 1) {
      const h = await redis.hgetall(`${prefix}:inbox:j${i}`);
      const kept = JSON.parse(h.data ?? '{}') as Record<string, unknown>;
      expect({
        atm: h.atm,
        ats: h.ats,
        returnvalue: JSON.parse(h.returnvalue ?? 'null'),
        hasBody: 'body' in kept,
        seq: kept.seq,
      }).toEqual({
        atm: '1',
        ats: '1',
        returnvalue: { eventId: `e-j${i}`, entryId: `1-${i}`, duplicate: false },
        hasBody: false,
        seq: i,
      });
      expect(Number(h.finishedOn)).toBeGreaterThanOrEqual(Number(h.processedOn));
      expect(await redis.exists(`${prefix}:inbox:j${i}:lock`)).toBe(0);
    }
    expect(await redis.llen(`${prefix}:inbox:active`)).toBe(0);
    expect(await redis.llen(`${prefix}:inbox:wait`)).toBe(0);
    // BullMQ's own completion writes a `completed` event per job; the batch writes none.
    const events = await redis.xrange(`${prefix}:inbox:events`, '-', '+');
    expect(events.filter(([, f]) => f[1] === 'completed')).toHaveLength(0);
    expect(completionCalls).toBeGreaterThan(0);
    expect(completionCalls).toBeLessThan(n);
  });

  it('a job whose lock was lost is not completed by the batch: BullMQ reports it, the job stays active', async () => {
    await queue.add('besked', data(1), { jobId: 'lost' });
    const errors: string[] = [];
    worker = startWorker({
      processor: async (job) => {
        await redis.del(`${prefix}:inbox:${job.id}:lock`);
        return result(job);
      },
    });
    worker.on('error', (err) => errors.push(err.message));
    await waitFor('BullMQ reporting the lost lock', () =>
      errors.some((m) => m.includes('Missing lock for job lost')),
    );
    expect(await redis.zscore(`${prefix}:inbox:completed`, 'lost')).toBeNull();
    expect(await redis.lrange(`${prefix}:inbox:active`, 0, -1)).toEqual(['lost']);
    expect(completionCalls).toBeGreaterThan(0);
  });

  it('removes completed jobs older than removeOnComplete age, keeps younger ones', async () => {
    const old = `${prefix}:inbox:old`;
    await redis.hset(old, 'data', '{}', 'finishedOn', String(Date.now() - 5000));
    await redis.zadd(`${prefix}:inbox:completed`, Date.now() - 5000, 'old');
    await queue.add('besked', data(1), { jobId: 'new' });
    worker = startWorker({ keepAgeSeconds: 2 });
    await waitFor(
      'the new job completed',
      async () => (await redis.zscore(`${prefix}:inbox:completed`, 'new')) !== null,
    );
    expect(await redis.exists(old)).toBe(0);
    expect(await redis.zrange(`${prefix}:inbox:completed`, 0, -1)).toEqual(['new']);
  });
});
