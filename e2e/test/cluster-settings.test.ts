import { spawnTs } from '@cprh/testkit';
import { POLLER_MAIN, WORKER_MAIN } from './support/pipeline-harness';

// The names are checked before any connection: no cluster needs to run for the refusal.
describe('a process on a Redis Cluster with names that cross slots', () => {
  it.each([
    ['poller', POLLER_MAIN, { QUEUE_PREFIX: 'cprh-x' }, /QUEUE_PREFIX=\{cprh-x\}/],
    ['worker', WORKER_MAIN, { QUEUE_PREFIX: '{cprh-x}' }, /name it e\.g\. \{cprh-x\}:cpr:events$/],
  ])('%s refuses to start with one line and exit 1', async (name, main, env, line) => {
    const p = spawnTs(main, { REDIS_CLUSTER_NODES: '127.0.0.1:1,127.0.0.1:2', LOG_LEVEL: 'warn', ...env });
    expect(await p.waitForExit(30000)).toBe(1);
    expect(p.stderrLines).toEqual([
      expect.stringMatching(new RegExp(`^${name}: PIPELINE_CLUSTER_CROSS_SLOT: `)),
    ]);
    expect(p.stderrLines[0]).toMatch(line);
  });
});
