import Redis from 'ioredis';
import { loadWorkbenchConfig } from '@cprh/simulator';
import type { RunningService } from '@cprh/runtime';
import { pipelineTestEnv, TEST_REDIS_URL, waitFor, type PipelineTestEnv } from '@cprh/testkit';
import { startServices, START_SECTIONS } from '@cprh/demo';
import {
  capturingLogger,
  expectDeliveredExactlyOnce,
  freshMessages,
  publish,
  readyInQueue,
  waitForStreamLength,
} from './support/pipeline-harness';

// Poller + worker in this process against the shared Redis and RabbitMQ, unique names per test.
describe.each(['consume', 'poll'] as const)('pipeline end to end, %s mode', (mode) => {
  let t: PipelineTestEnv;
  let redis: Redis;
  let services: RunningService | undefined;
  const modeEnv = { POLLER_MODE: mode, POLLER_POLL_INTERVAL_SECONDS: '1' };

  beforeEach(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterEach(async () => {
    await services?.stop();
    services = undefined;
    await t.cleanup();
    redis.disconnect();
  });

  it('1,000 messages -> exactly 1,000 stream entries, one per BeskedId; dueslag empty', async () => {
    t = pipelineTestEnv(modeEnv);
    const { ids, bodies } = freshMessages(1000);
    await publish(t.env, bodies);
    const { log } = capturingLogger('warn');
    services = await startServices(loadWorkbenchConfig(START_SECTIONS, t.env), log);
    await waitForStreamLength(redis, t.stream, 1000, 60000);
    await services.stop();
    services = undefined;
    await expectDeliveredExactlyOnce(redis, t, ids);
    // Every entry carries its receive sequence; all distinct.
    const seqs = (await redis.xrange(t.stream, '-', '+')).map(([, f]) => f[f.indexOf('seq') + 1]);
    expect(new Set(seqs).size).toBe(1000);
  });

  it('every message twice, and a batch redelivered after a channel close -> one entry each', async () => {
    t = pipelineTestEnv({
      ...modeEnv,
      POLLER_BATCH_SIZE: '25',
      POLLER_PREFETCH: '50',
      // TEST-ONLY: close the channel after the 2nd batch is stored, before its ack.
      FAULT_INJECT: 'close-channel-after-persist',
      FAULT_INJECT_AT: '2',
    });
    const { ids, bodies } = freshMessages(150);
    // Each message twice (same BeskedId, new AMQP messageId), the copies far apart.
    await publish(t.env, [...bodies, ...bodies]);
    const { log, lines } = capturingLogger('info');
    services = await startServices(loadWorkbenchConfig(START_SECTIONS, t.env), log);
    await waitForStreamLength(redis, t.stream, 150, 30000);
    await waitFor('the dueslag to drain', async () => (await readyInQueue(t.dueslag)) === 0, {
      timeoutMs: 15000,
    });
    await services.stop();
    services = undefined;
    await expectDeliveredExactlyOnce(redis, t, ids);
    // The closed channel's batch really came back (and was stored a second time as a no-op).
    expect(lines.some((l) => l.includes('batch holds redelivered messages'))).toBe(true);
    const inbox = await redis.zcard(`${t.prefix}:inbox:completed`);
    expect(inbox).toBe(150);
  });
});
