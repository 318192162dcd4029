import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { loadWorkbenchConfig } from '@cprh/simulator';
import type { RunningService } from '@cprh/runtime';
import {
  brokerMessageCount,
  pipelineTestEnv,
  sleep,
  startRedisServer,
  type OwnRedisServer,
  type PipelineTestEnv,
} from '@cprh/testkit';
import { startServices, START_SECTIONS } from '@cprh/demo';
import {
  capturingLogger,
  expectDeliveredExactlyOnce,
  freshMessages,
  publish,
  waitForStreamLength,
} from './support/pipeline-harness';

// Redis goes away mid-run. The test's OWN redis-server (AOF, fsync always, so a restart keeps
// what it acknowledged) is killed and restarted; the shared server is never touched.
describe('Redis outage mid-run', () => {
  let t: PipelineTestEnv;
  let own: OwnRedisServer;
  let dir: string;
  let services: RunningService | undefined;

  afterEach(async () => {
    await services?.stop();
    await t.cleanup();
    await own.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('acks nothing while Redis is away, then resumes by itself: no loss, no duplicate', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cprh-redis-'));
    own = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir]);
    t = pipelineTestEnv({
      REDIS_URL: own.url,
      POLLER_BATCH_SIZE: '20',
      POLLER_PREFETCH: '40',
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
    });
    const redis = new Redis(own.url, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    const { log, lines } = capturingLogger('info');
    try {
      const first = freshMessages(200);
      const second = freshMessages(100);
      services = await startServices(loadWorkbenchConfig(START_SECTIONS, t.env), log);
      await publish(t.env, first.bodies);
      await waitForStreamLength(redis, t.stream, 20);

      await own.kill();
      await publish(t.env, second.bodies);
      await sleep(1500);
      // Every message published during the outage is still with the broker (ready or held unacked).
      expect(await brokerMessageCount(t.dueslag)).toBeGreaterThanOrEqual(100);
      expect(lines.some((l) => l.includes('holding the batch unacked'))).toBe(true);

      await own.start();
      await waitForStreamLength(redis, t.stream, 300, 45000);
      await services.stop();
      services = undefined;
      await expectDeliveredExactlyOnce(redis, t, [...first.ids, ...second.ids]);
      expect(lines.some((l) => l.includes('resuming consumer'))).toBe(true);
    } finally {
      redis.disconnect();
    }
  });
});
