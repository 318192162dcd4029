import { createHash } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import Redis from 'ioredis';
import { loadConfig, type Config } from '@cprh/config';
import {
  DISPATCH_LUA,
  EventDispatcher,
  isBlocked,
  isStripped,
  personOrderKeys,
  strippedJobData,
  type InboxJobData,
  type InboxJobResult,
} from '@cprh/pipeline';
import { pipelineTestEnv, waitFor, type PipelineTestEnv } from '@cprh/testkit';
import { CompletionHandoff } from '../src/completion-handoff';
import { completionSettings, InboxWorker } from '../src/inbox-worker';

const DISPATCH_SHA = createHash('sha1').update(DISPATCH_LUA).digest('hex');
const ROUTING = { eventNames: [], beskedtype: undefined };

function data(i: number, person?: string): InboxJobData {
  const d: InboxJobData = {
    body: `<besked nr="${i}"/>`,
    source: 'urn:test:source',
    receivedAt: Date.now(),
    channel: { kind: 'amqp', messageId: `m-${i}`, redelivered: false },
    seq: i,
  };
  if (person !== undefined) d.person = person;
  return d;
}

// The worker's jobs completed in the call that dispatches their events (DISPATCH_LUA), against a
// real Redis and BullMQ's own keys.
describe('InboxWorker: each job completed in its dispatch call (real Redis)', () => {
  let t: PipelineTestEnv;
  let pipeline: Config['pipeline'];
  let redis: Redis;
  let conn: Redis;
  let queue: Queue<InboxJobData>;
  let worker: InboxWorker | undefined;
  let dispatchCalls = 0;

  beforeEach(() => {
    t = pipelineTestEnv();
    pipeline = loadConfig(['pipeline'], t.env).pipeline;
    redis = new Redis(t.env.REDIS_URL ?? '');
    conn = new Redis(t.env.REDIS_URL ?? '', { maxRetriesPerRequest: null });
    // Counts the dispatch script's calls on the connection; the calls still go to Redis.
    const evalsha = conn.evalsha.bind(conn) as (...a: unknown[]) => Promise<unknown>;
    (conn as unknown as { evalsha: (...a: unknown[]) => Promise<unknown> }).evalsha = (...a: unknown[]) => {
      if (a[0] === DISPATCH_SHA) dispatchCalls += 1;
      return evalsha(...a);
    };
    queue = new Queue<InboxJobData>(pipeline.inboxQueue, { connection: redis, prefix: pipeline.queuePrefix });
    dispatchCalls = 0;
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await queue.close();
    await t.cleanup();
    redis.disconnect();
    conn.disconnect();
  });

  const jobKey = (id: string): string => `${pipeline.queuePrefix}:${pipeline.inboxQueue}:${id}`;

  /** A worker whose processor dispatches as the inbox processor does, asking for completion. */
  function startWorker(
    opts: { keepAgeSeconds?: number; before?: (job: Job<InboxJobData>) => Promise<void> } = {},
  ): InboxWorker {
    const handoff = new CompletionHandoff();
    const options = {
      connection: conn,
      prefix: pipeline.queuePrefix,
      concurrency: 8,
      removeOnComplete: { age: opts.keepAgeSeconds ?? 3600 },
      finishedData: (d: InboxJobData, r: InboxJobResult) => strippedJobData(d, 'dispatched', r),
      handoff,
    };
    const dispatcher = new EventDispatcher(conn, pipeline, completionSettings(queue, options));
    const w = new InboxWorker(
      pipeline.inboxQueue,
      async (job: Job<InboxJobData>, token?: string): Promise<InboxJobResult> => {
        await opts.before?.(job);
        const id = job.id ?? '';
        const eventId = `e-${id}`;
        const ticket = {
          person: job.data.person ?? `p-${id}`,
          jobId: id,
          seq: job.data.seq,
          gapId: id,
          replay: false,
        };
        const r = await dispatcher.dispatch(
          { id: eventId, type: 'test' },
          ticket,
          ROUTING,
          handoff.request(job, token, eventId),
        );
        if (isBlocked(r)) throw new Error(`blocked by ${r.blocked.jobId}`);
        handoff.settle(job, r.completion);
        return { eventId, entryId: r.entryId, duplicate: !r.written };
      },
      options,
    );
    w.on('error', () => undefined);
    return w;
  }

  it('completes each job as BullMQ keeps a completed one, its bytes gone, in fewer calls than jobs', async () => {
    const n = 60;
    const added = Array.from({ length: n }, (_, i) => data(i + 1));
    await queue.addBulk(added.map((d) => ({ name: 'besked', data: d, opts: { jobId: `j${d.seq}` } })));
    const completedEvents: Job<InboxJobData>[] = [];
    worker = startWorker();
    worker.on('completed', (job) => completedEvents.push(job));
    await waitFor('every job completed', async () => (await redis.zcard(`${jobKey('completed')}`)) === n);

    expect(completedEvents).toHaveLength(n);
    // Listeners see the job as Redis holds it: metadata only, the very same.
    expect(completedEvents.every((j) => isStripped(j.data))).toBe(true);
    for (const j of completedEvents) {
      expect(JSON.stringify(j.data)).toBe(await redis.hget(jobKey(j.id ?? ''), 'data'));
    }
    const entries = new Map(
      (await redis.xrange(t.stream, '-', '+')).map(([entryId, f]) => [f[f.indexOf('id') + 1], entryId]),
    );
    expect(entries.size).toBe(n);
    for (let i = 1; i <= n; i += 1) {
      const h = await redis.hgetall(jobKey(`j${i}`));
      const kept = JSON.parse(h.data ?? '{}') as Record<string, unknown>;
      const entryId = entries.get(`e-j${i}`);
      expect({
        atm: h.atm,
        ats: h.ats,
        returnvalue: JSON.parse(h.returnvalue ?? 'null'),
        kept,
      }).toEqual({
        atm: '1',
        ats: '1',
        returnvalue: { eventId: `e-j${i}`, entryId, duplicate: false },
        // Exactly what strippedJobData keeps, entryId included (removed at the completion's time).
        kept: {
          ...(JSON.parse(
            JSON.stringify(
              strippedJobData(added[i - 1]!, 'dispatched', {
                eventId: `e-j${i}`,
                entryId: entryId ?? '',
                duplicate: false,
              }),
            ),
          ) as Record<string, unknown>),
          bytesRemoved: { at: expect.any(Number), bytes: added[i - 1]!.body.length, outcome: 'dispatched' },
        },
      });
      expect(Number(h.finishedOn)).toBeGreaterThanOrEqual(Number(h.processedOn));
      expect(await redis.exists(`${jobKey(`j${i}`)}:lock`)).toBe(0);
    }
    expect(await redis.llen(jobKey('active'))).toBe(0);
    expect(await redis.llen(jobKey('wait'))).toBe(0);
    // BullMQ's own completion writes a `completed` event per job: none means every job was
    // completed by the dispatch call.
    const events = await redis.xrange(jobKey('events'), '-', '+');
    expect(events.filter(([, f]) => f[1] === 'completed')).toHaveLength(0);
    expect(dispatchCalls).toBeGreaterThan(0);
    expect(dispatchCalls).toBeLessThan(n);
  });

  it("wakes the person's next job from its wait in the same call", async () => {
    const person = 'p-wake';
    await queue.add('besked', data(1, person), { jobId: 'first' });
    // The second waits (delayed) for its turn, as the order gate leaves it; a minute, unless woken.
    await queue.add('besked', data(2, person), { jobId: 'second', delay: 60_000 });
    const pending = personOrderKeys(pipeline.orderKeyPrefix, person).pending;
    await redis.zadd(pending, 1, 'first', 2, 'second');
    worker = startWorker();
    await waitFor(
      'the woken job completed',
      async () => (await redis.zscore(jobKey('completed'), 'second')) !== null,
      {
        timeoutMs: 10_000,
      },
    );
    const order = (await redis.xrange(t.stream, '-', '+')).map(([, f]) => f[f.indexOf('id') + 1]);
    expect(order).toEqual(['e-first', 'e-second']);
    expect(await redis.zcard(jobKey('delayed'))).toBe(0);
  });

  it('a job whose lock was lost is not completed by the dispatch: BullMQ reports it, the job stays active', async () => {
    await queue.add('besked', data(1), { jobId: 'lost' });
    const errors: string[] = [];
    worker = startWorker({
      before: async (job) => {
        await redis.del(`${jobKey(job.id ?? '')}:lock`);
      },
    });
    worker.on('error', (err) => errors.push(err.message));
    await waitFor('BullMQ reporting the lost lock', () =>
      errors.some((m) => m.includes('Missing lock for job lost')),
    );
    expect(await redis.zscore(jobKey('completed'), 'lost')).toBeNull();
    expect(await redis.lrange(jobKey('active'), 0, -1)).toEqual(['lost']);
    // The event is written all the same, once: a rerun finds it dispatched.
    expect(await redis.xlen(t.stream)).toBe(1);
  });

  it('removes completed jobs older than removeOnComplete age, keeps younger ones', async () => {
    const old = jobKey('old');
    await redis.hset(old, 'data', '{}', 'finishedOn', String(Date.now() - 5000));
    await redis.zadd(jobKey('completed'), Date.now() - 5000, 'old');
    await queue.add('besked', data(1), { jobId: 'new' });
    worker = startWorker({ keepAgeSeconds: 2 });
    await waitFor(
      'the new job completed',
      async () => (await redis.zscore(jobKey('completed'), 'new')) !== null,
    );
    expect(await redis.exists(old)).toBe(0);
    expect(await redis.zrange(jobKey('completed'), 0, -1)).toEqual(['new']);
  });
});
