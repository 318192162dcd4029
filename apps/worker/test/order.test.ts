import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import { createDeadQueue, createInboxQueue, DeadLetters, InboxWriter } from '@cprh/pipeline';
import { createLogger, type RunningService } from '@cprh/runtime';
import { pipelineTestEnv, readFixture, TEST_REDIS_URL, waitFor, type PipelineTestEnv } from '@cprh/testkit';
import { startWorker, WORKER_SECTIONS } from '../src';

const SAMPLE = readFixture('beskeder/testbesked01.xml');
const quiet = createLogger('test', 'silent');
/** A message about the person with CPR number 0101701234, with a fresh BeskedId. */
const about = (id: string): string =>
  SAMPLE.replace('01157488-c45c-4fd2-b076-1de12effbf66', id).replace(
    /urn:oio:cpr-nr:\d{10}/g,
    'urn:oio:cpr-nr:0101701234',
  );

// The worker's side of the order per person: dead letters release the person, and flag.
describe('worker: order per person (real Redis)', () => {
  let t: PipelineTestEnv;
  let worker: RunningService | undefined;
  const redis = new Redis(TEST_REDIS_URL);

  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await t.cleanup();
  });
  afterAll(() => redis.disconnect());

  async function enqueue(bodies: string[]): Promise<void> {
    const cfg = loadConfig(WORKER_SECTIONS, t.env).pipeline;
    const inbox = createInboxQueue(redis, cfg);
    await new InboxWriter(redis, inbox, cfg).persist(
      bodies.map((b) => ({
        body: Buffer.from(b),
        source: 'urn:test:source',
        receivedAt: Date.now(),
        channel: { kind: 'push', certSubject: undefined, certFingerprint256: undefined },
      })),
    );
    await inbox.close();
  }
  async function streamEvents(): Promise<{ id: string; orderbroken?: true }[]> {
    return (await redis.xrange(t.stream, '-', '+')).map(
      ([, f]) => JSON.parse(f[f.indexOf('event') + 1] ?? '{}') as { id: string; orderbroken?: true },
    );
  }

  it('a parse error releases the person: the later events go, in order, flagged orderbroken', async () => {
    t = pipelineTestEnv();
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    // The first is broken after the BeskedId and the CPR number (no such date).
    const broken = about(ids[0]!).replace(
      '<TidsstempelDatoTid>2016-03-15T08:00:00</TidsstempelDatoTid>',
      '<TidsstempelDatoTid>2016-13-45T99:00:00</TidsstempelDatoTid>',
    );
    await enqueue([broken, about(ids[1]!), about(ids[2]!)]);
    worker = await startWorker(loadConfig(WORKER_SECTIONS, t.env), quiet);
    await waitFor('two events', async () => (await redis.xlen(t.stream)) === 2, { timeoutMs: 15000 });
    const events = await streamEvents();
    expect(events.map((e) => [e.id, e.orderbroken])).toEqual([
      [ids[1], true],
      [ids[2], true],
    ]);
    const dead = createDeadQueue(redis, loadConfig(WORKER_SECTIONS, t.env).pipeline);
    expect(await dead.count()).toBe(1);
    await dead.close();
  });

  it('a dead letter replayed later is delivered flagged; once it is in, the person is whole again', async () => {
    t = pipelineTestEnv({ JOB_ATTEMPTS: '1' });
    const cfg = loadConfig(WORKER_SECTIONS, t.env).pipeline;
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    // The stream key holds a string: the first event's dispatch fails, and is dead-lettered.
    await redis.set(t.stream, 'in the way');
    await enqueue([about(ids[0]!)]);
    worker = await startWorker(loadConfig(WORKER_SECTIONS, t.env), quiet);
    const dead = createDeadQueue(redis, cfg);
    const inbox = createInboxQueue(redis, cfg);
    try {
      await waitFor('the dead letter', async () => (await dead.count()) === 1, { timeoutMs: 15000 });
      await redis.del(t.stream);
      await enqueue([about(ids[1]!)]);
      await waitFor('the second event', async () => (await redis.xlen(t.stream)) === 1, { timeoutMs: 15000 });
      await new DeadLetters(dead, inbox).replayAll();
      await waitFor('the replay', async () => (await redis.xlen(t.stream)) === 2, { timeoutMs: 15000 });
      await enqueue([about(ids[2]!)]);
      await waitFor('the third event', async () => (await redis.xlen(t.stream)) === 3, { timeoutMs: 15000 });
    } finally {
      await dead.close();
      await inbox.close();
    }
    expect((await streamEvents()).map((e) => [e.id, e.orderbroken])).toEqual([
      [ids[1], true],
      [ids[0], true],
      [ids[2], undefined],
    ]);
    expect(await redis.keys(`${cfg.orderKeyPrefix}*`)).toEqual([]);
  });

  it("one person's 40 events through 64 parallel jobs reach the stream in receive order", async () => {
    t = pipelineTestEnv();
    const ids = Array.from({ length: 40 }, () => randomUUID());
    await enqueue(ids.map(about));
    worker = await startWorker(loadConfig(WORKER_SECTIONS, { ...t.env, ORDER_WAIT_MS: '200' }), quiet);
    await waitFor('40 events', async () => (await redis.xlen(t.stream)) === 40, { timeoutMs: 30000 });
    expect((await streamEvents()).map((e) => e.id)).toEqual(ids);
  });

  it('a head whose job never came is given up after ORDER_STALE_SECONDS; the next goes, flagged', async () => {
    t = pipelineTestEnv({ ORDER_STALE_SECONDS: '1', ORDER_WAIT_MS: '200' });
    const cfg = loadConfig(WORKER_SECTIONS, t.env).pipeline;
    const ids = [randomUUID(), randomUUID()];
    await enqueue([about(ids[0]!), about(ids[1]!)]);
    // As if the poller died between registering the first message and storing its job.
    const inbox = createInboxQueue(redis, cfg);
    await (await inbox.getJob(`b-${ids[0]}`))?.remove();
    await inbox.close();
    const started = Date.now();
    worker = await startWorker(loadConfig(WORKER_SECTIONS, t.env), quiet);
    await waitFor('the second event', async () => (await redis.xlen(t.stream)) === 1, { timeoutMs: 15000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect((await streamEvents()).map((e) => [e.id, e.orderbroken])).toEqual([[ids[1], true]]);
  });

  it('runs a job stored before the order gate existed (no person in its data)', async () => {
    t = pipelineTestEnv();
    const cfg = loadConfig(WORKER_SECTIONS, t.env).pipeline;
    const id = randomUUID();
    const inbox = createInboxQueue(redis, cfg);
    await inbox.add(
      'besked',
      {
        body: Buffer.from(about(id)).toString('latin1'),
        source: 'urn:test:source',
        receivedAt: Date.now(),
        channel: { kind: 'push', certSubject: undefined, certFingerprint256: undefined },
        seq: 1,
      },
      { jobId: `b-${id}` },
    );
    await inbox.close();
    worker = await startWorker(loadConfig(WORKER_SECTIONS, t.env), quiet);
    await waitFor('the event', async () => (await redis.xlen(t.stream)) === 1, { timeoutMs: 15000 });
    expect((await streamEvents())[0]?.id).toBe(id);
  });
});
