import Redis from 'ioredis';
import { loadWorkbenchConfig } from '@cprh/simulator';
import { createInboxQueue } from '@cprh/pipeline';
import { createLogger, type RunningService } from '@cprh/runtime';
import { startPoller } from '@cprh/poller';
import { startWorker } from '@cprh/worker';
import {
  pipelineTestEnv,
  spawnTs,
  TEST_REDIS_URL,
  waitFor,
  type PipelineTestEnv,
  type SpawnedProcess,
} from '@cprh/testkit';
import {
  expectDeliveredExactlyOnce,
  expectExactlyOnce,
  freshMessages,
  publish,
  POLLER_MAIN,
  readyInQueue,
  streamEventIds,
  waitForStreamLength,
  WORKER_MAIN,
} from './support/pipeline-harness';
import { START_SECTIONS } from '@cprh/demo';

// Real poller/worker processes killed with SIGKILL at the injected points (FAULT_INJECT, test-only).
describe('kill -9 at the dangerous moments', () => {
  let t: PipelineTestEnv;
  let redis: Redis;
  const procs: SpawnedProcess[] = [];
  const inProcess: RunningService[] = [];
  const quiet = createLogger('test', 'silent');

  /** Runs `main` with a test-only fault injected and waits until it has killed itself there. */
  async function runUntilInjectedCrash(main: string, fault: string, at: string): Promise<void> {
    const crashing = spawnTs(main, { ...t.env, FAULT_INJECT: fault, FAULT_INJECT_AT: at });
    procs.push(crashing);
    expect(await crashing.waitForExit(20000)).toBe('SIGKILL');
    expect(crashing.lines.join('\n')).toContain(`FAULT_INJECT ${fault}`);
  }

  beforeEach(() => {
    redis = new Redis(TEST_REDIS_URL);
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) await p.stop('SIGKILL').catch(() => undefined);
    for (const s of inProcess.splice(0)) await s.stop();
    await t.cleanup();
    redis.disconnect();
  });

  it('poller killed after persist, before ack -> after restart exactly one entry per message', async () => {
    t = pipelineTestEnv({ POLLER_BATCH_SIZE: '50', POLLER_PREFETCH: '100' });
    const { ids, bodies } = freshMessages(300);
    await publish(t.env, bodies);
    await runUntilInjectedCrash(POLLER_MAIN, 'crash-after-persist', '3');
    // Two batches were acked; the third was stored but not acked, so RabbitMQ has it again:
    // the inbox holds more messages than were acked, by at most one batch.
    const acked = 300 - (await readyInQueue(t.dueslag));
    const inbox = createInboxQueue(redis, loadWorkbenchConfig(START_SECTIONS, t.env).pipeline);
    const stored = await inbox.getWaitingCount();
    await inbox.close();
    expect(stored - acked).toBeGreaterThan(0);
    expect(stored - acked).toBeLessThanOrEqual(50);

    const poller = spawnTs(POLLER_MAIN, { ...t.env, LOG_LEVEL: 'info' });
    procs.push(poller);
    await poller.waitForLine(/poller ready/);
    inProcess.push(await startWorker(loadWorkbenchConfig(START_SECTIONS, t.env), quiet));
    await waitForStreamLength(redis, t.stream, 300);
    expect(await poller.stop('SIGTERM')).toBe(0);
    await expectDeliveredExactlyOnce(redis, t, ids);
  });

  it('worker killed right after a dispatch call -> each event once, the jobs it held run again', async () => {
    t = pipelineTestEnv({
      WORKER_CONCURRENCY: '2',
      // A dead worker's job is taken over after the lock expires: short for the test.
      WORKER_LOCK_DURATION_MS: '1500',
      WORKER_STALLED_INTERVAL_MS: '500',
    });
    const { ids, bodies } = freshMessages(100);
    await publish(t.env, bodies);
    inProcess.push(await startPoller(loadWorkbenchConfig(START_SECTIONS, t.env), quiet));
    await runUntilInjectedCrash(WORKER_MAIN, 'crash-after-dispatch', '10');
    const written = await redis.xlen(t.stream);
    expect(written).toBeGreaterThanOrEqual(10);

    const worker = spawnTs(WORKER_MAIN, { ...t.env, LOG_LEVEL: 'info' });
    procs.push(worker);
    await waitForStreamLength(redis, t.stream, 100);
    // Let the stalled job(s) be re-run and complete.
    const cfg = loadWorkbenchConfig(START_SECTIONS, t.env);
    const inbox = createInboxQueue(redis, cfg.pipeline);
    try {
      await waitFor('all 100 inbox jobs completed', async () => (await inbox.getCompletedCount()) === 100, {
        timeoutMs: 20000,
      });
      const completed = await inbox.getCompleted(0, -1);
      // The jobs the dead worker had taken ran again once their locks expired (a dispatched one
      // was completed in its dispatch call and does not run again).
      expect(completed.filter((j) => j.attemptsStarted >= 2).length).toBeGreaterThanOrEqual(1);
    } finally {
      await inbox.close();
    }
    expect(await worker.stop('SIGTERM')).toBe(0);
    expectExactlyOnce(await streamEventIds(redis, t.stream), ids);
  });
});
