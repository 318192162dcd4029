import { appMain, freePort, pipelineTestEnv, spawnTs, startRedisServer } from '@cprh/testkit';

const WORKER_MAIN = appMain('worker');

describe('worker start-up', () => {
  it('exits 1 with one line naming the Redis URL and how to start it', async () => {
    const port = await freePort();
    const t = pipelineTestEnv({ REDIS_URL: `redis://127.0.0.1:${port}` });
    const p = spawnTs(WORKER_MAIN, t.env);
    expect(await p.waitForExit()).toBe(1);
    expect(p.stderrLines).toHaveLength(1);
    expect(p.stderrLines[0]).toMatch(
      /^worker: PIPELINE_REDIS_UNREACHABLE: .*redis:\/\/127\.0\.0\.1:\d+.*redis-server/,
    );
  });

  it('refuses a Redis whose maxmemory-policy may evict the inbox', async () => {
    const own = await startRedisServer(['--maxmemory-policy', 'volatile-lru']);
    try {
      const p = spawnTs(WORKER_MAIN, pipelineTestEnv({ REDIS_URL: own.url }).env);
      expect(await p.waitForExit()).toBe(1);
      expect(p.stderrLines).toEqual([
        expect.stringMatching(/^worker: PIPELINE_REDIS_EVICTS: .*maxmemory-policy volatile-lru.*noeviction/),
      ]);
    } finally {
      await own.stop();
    }
  });
});
