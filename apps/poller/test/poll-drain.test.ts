import { loadConfig } from '@cprh/config';
import { randomUUID } from 'node:crypto';
import { DueslagConnection } from '@cprh/kombit';
import { publishToDueslag, rewriteBeskedId } from '@cprh/simulator';
import { createInboxQueue, createProducerRedis, eventSources, InboxWriter } from '@cprh/pipeline';
import { createLogger, FaultInjector } from '@cprh/runtime';
import { pipelineTestEnv, readFixture, waitFor, withAmqpChannel, type PipelineTestEnv } from '@cprh/testkit';
import type { RedisConnection as Redis } from '@cprh/pipeline';
import type { Queue } from 'bullmq';
import { POLLER_SECTIONS } from '../src';
import { PersistThenAck } from '../src/persist-then-ack';
import { PollMode } from '../src/poll-mode';

// Poll mode's tick on the local RabbitMQ and Redis: one drain per call, without the scheduler.
const SAMPLE = readFixture('beskeder/testbesked01.xml');
const ready = (queue: string): Promise<number> =>
  withAmqpChannel(async (ch) => (await ch.checkQueue(queue)).messageCount);

describe('poll mode: one tick is a bounded drain', () => {
  let t: PipelineTestEnv;
  let source: DueslagConnection;
  let redis: Redis;
  let inbox: Queue;
  const modes: PollMode[] = [];
  const log = createLogger('test', 'silent');

  async function setUp(env: Record<string, string> = {}): Promise<void> {
    t = pipelineTestEnv(env);
    const config = loadConfig(POLLER_SECTIONS, t.env);
    source = new DueslagConnection({
      url: config.amqp.url,
      queue: t.dueslag,
      declareQueue: true,
      retry: config.poller.retry,
      log,
    });
    await source.start();
    redis = createProducerRedis(config.redis.url, 'poll-drain-test');
    await redis.connect();
    inbox = createInboxQueue(redis, config.pipeline);
  }

  function pollMode(maxMessages = 0): PollMode {
    const config = loadConfig(POLLER_SECTIONS, t.env);
    const p = config.poller;
    const persister = new PersistThenAck({
      writer: new InboxWriter(redis, inbox, config.pipeline),
      source: eventSources.dueslag(p.dueslagQueue),
      faults: new FaultInjector(config.pipeline.fault),
      retry: p.retry,
      log,
      canAck: (ch) => source.canAck(ch),
      signal: new AbortController().signal,
    });
    const mode = new PollMode({
      source,
      queue: p.dueslagQueue,
      prefetch: p.prefetch,
      batchSize: p.batchSize,
      lingerMs: p.lingerMs,
      maxMessages,
      intervalSeconds: 3600,
      schedulerQueue: p.schedulerQueue,
      prefix: config.pipeline.queuePrefix,
      redis,
      workerRedis: redis,
      persister,
      log,
    });
    modes.push(mode);
    return mode;
  }

  async function publish(n: number): Promise<void> {
    const bodies = Array.from({ length: n }, () => Buffer.from(rewriteBeskedId(SAMPLE, randomUUID())));
    await publishToDueslag(bodies, { url: t.env.AMQP_URL ?? '', queue: t.dueslag });
  }

  afterEach(async () => {
    for (const m of modes.splice(0)) await m.stop();
    await source.close();
    await inbox.close();
    redis.disconnect();
    await t.cleanup();
  });

  it('drains a backlog of ten batches in one tick, stores each message once and leaves the dueslag empty', async () => {
    await setUp();
    await publish(1000);
    const mode = pollMode();
    expect(await mode.drain()).toEqual({ acked: 1000, end: 'empty' });
    expect(await ready(t.dueslag)).toBe(0);
    expect(await inbox.getWaitingCount()).toBe(1000);
    // Nothing left: the next tick ends at once.
    const started = Date.now();
    expect(await mode.drain()).toEqual({ acked: 0, end: 'empty' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops at POLLER_POLL_MAX_MESSAGES; the rest waits in the dueslag for the next tick', async () => {
    await setUp();
    await publish(1000);
    const mode = pollMode(250);
    expect(await mode.drain()).toEqual({ acked: 250, end: 'cap' });
    // Deliveries in flight when the cap was reached go back to the queue, not lost. The nack that
    // returns them is asynchronous (no reply in AMQP), so the count settles shortly after the tick.
    await waitFor('750 ready again', async () => (await ready(t.dueslag)) === 750);
    expect(await mode.drain()).toEqual({ acked: 250, end: 'cap' });
    await waitFor('500 ready again', async () => (await ready(t.dueslag)) === 500);
    expect(await inbox.getWaitingCount()).toBe(500);
  });

  it('stopped mid-drain, it stores and acks what it holds and leaves the rest in the dueslag', async () => {
    await setUp();
    await publish(3000);
    const mode = pollMode();
    const drain = mode.drain();
    while ((await inbox.getWaitingCount()) < 300) await new Promise((r) => setTimeout(r, 5));
    await mode.stop();
    const result = await drain;
    expect(result).toMatchObject({ end: 'stopped' });
    await source.close();
    const stored = await inbox.getWaitingCount();
    expect('acked' in result && result.acked).toBe(stored);
    expect(stored).toBeLessThan(3000);
    expect(stored + (await ready(t.dueslag))).toBe(3000);
  });

  it('no tick starts while one runs: a second poller of the same dueslag skips its tick', async () => {
    await setUp();
    await publish(2000);
    const [a, b] = [pollMode(), pollMode()];
    const first = a.drain();
    await new Promise((r) => setTimeout(r, 20));
    expect(await b.drain()).toEqual({ skipped: true });
    expect(await first).toEqual({ acked: 2000, end: 'empty' });
    expect(await inbox.getWaitingCount()).toBe(2000);
  });
});
