import Redis from 'ioredis';
import { loadWorkbenchConfig } from '@cprh/simulator';
import { createInboxQueue } from '@cprh/pipeline';
import { createLogger, type RunningService } from '@cprh/runtime';
import {
  pipelineTestEnv,
  spawnTs,
  TEST_REDIS_URL,
  type PipelineTestEnv,
  type SpawnedProcess,
} from '@cprh/testkit';
import { startServices, START_SECTIONS } from '@cprh/demo';
import {
  expectExactlyOnce,
  freshMessages,
  publish,
  readyInQueue,
  streamEventIds,
  waitForStreamLength,
  DEMO_MAIN,
} from './support/pipeline-harness';

describe('SIGTERM during a run (`cprh start`)', () => {
  let t: PipelineTestEnv;
  let proc: SpawnedProcess | undefined;
  let services: RunningService | undefined;
  const redis = new Redis(TEST_REDIS_URL);

  afterEach(async () => {
    await proc?.stop('SIGKILL').catch(() => undefined);
    await services?.stop();
    await t.cleanup();
  });
  afterAll(() => redis.disconnect());

  it('stops taking messages, finishes what is in hand, exits 0; nothing is lost', async () => {
    t = pipelineTestEnv({
      LOG_LEVEL: 'info',
      WORKER_CONCURRENCY: '2',
      POLLER_BATCH_SIZE: '20',
      POLLER_PREFETCH: '40',
    });
    const { ids, bodies } = freshMessages(1000);
    proc = spawnTs(DEMO_MAIN, t.env, ['start']);
    await proc.waitForLine(/cprh ready/);
    await publish(t.env, bodies);
    await waitForStreamLength(redis, t.stream, 50);
    expect(await proc.stop('SIGTERM', 15000)).toBe(0);
    expect(proc.lines.some((l) => l.includes('cprh stopped'))).toBe(true);

    // Mid-run: some events are out, the rest is either stored in the inbox or back in the dueslag.
    const cfg = loadWorkbenchConfig(START_SECTIONS, t.env);
    const inbox = createInboxQueue(redis, cfg.pipeline);
    const out = await redis.xlen(t.stream);
    // The sample names one person: jobs behind an earlier one of it wait their turn delayed.
    const stored = await inbox.getJobCountByTypes('waiting', 'delayed');
    const upstream = await readyInQueue(t.dueslag);
    // In-flight jobs finished before the exit: none is left active (locked by a dead worker).
    const active = await inbox.getActiveCount();
    await inbox.close();
    expect(active).toBe(0);
    expect(out).toBeLessThan(1000);
    expect(out + stored + upstream).toBeGreaterThanOrEqual(1000);

    services = await startServices(cfg, createLogger('test', 'silent'));
    await waitForStreamLength(redis, t.stream, 1000);
    expectExactlyOnce(await streamEventIds(redis, t.stream), ids);
  });
});
