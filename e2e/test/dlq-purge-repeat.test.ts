import Redis from 'ioredis';
import { loadWorkbenchConfig } from '@cprh/simulator';
import { createDeadQueue } from '@cprh/pipeline';
import { metricsRegistry, type RunningService } from '@cprh/runtime';
import { pipelineTestEnv, TEST_REDIS_URL, waitFor, type PipelineTestEnv } from '@cprh/testkit';
import { startServices, START_SECTIONS } from '@cprh/demo';
import { capturingLogger, publish, runCli } from './support/pipeline-harness';

/** cprh_duplicates_dropped_total{stage="dead_letter"} of this process. */
async function deadLetterRepeats(): Promise<number> {
  const text = await metricsRegistry.getSingleMetricAsString('cprh_duplicates_dropped_total');
  const line = text
    .split('\n')
    .find((l) => l.startsWith('cprh_duplicates_dropped_total{stage="dead_letter",tenant="default"}'));
  return Number(line?.split(' ')[1] ?? 0);
}

// The README ("Replaying dead letters"): a repeat of a dead-lettered message is logged and counted,
// and after `cprh dlq purge` the same bytes sent again are processed anew (here: dead-lettered again).
describe('a broken message sent again: while dead-lettered, and after `cprh dlq purge`', () => {
  let t: PipelineTestEnv;
  let services: RunningService | undefined;
  const redis = new Redis(TEST_REDIS_URL);

  afterAll(async () => {
    await services?.stop();
    await t.cleanup();
    redis.disconnect();
  });

  it('logs and counts the repeat; after the purge it is a dead letter again', async () => {
    t = pipelineTestEnv();
    const config = loadWorkbenchConfig(START_SECTIONS, t.env);
    const dead = createDeadQueue(redis, config.pipeline);
    const { log, lines } = capturingLogger('info');
    services = await startServices(config, log);
    const broken = Buffer.from(
      '<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"><unclosed></Haendelsesbesked>',
    );
    try {
      await publish(t.env, [broken]);
      await waitFor('one dead letter', async () => (await dead.getWaitingCount()) === 1);

      const before = await deadLetterRepeats();
      await publish(t.env, [broken]);
      await waitFor('the repeat logged', async () =>
        lines.some((l) => l.includes('repeat of a dead-lettered message')),
      );
      expect(await deadLetterRepeats()).toBe(before + 1);
      expect(await dead.getWaitingCount()).toBe(1);
      expect(lines.filter((l) => l.includes('repeat of a dead-lettered message')).join('\n')).toMatch(
        /"jobId":"raw-[0-9a-f]{64}"/,
      );

      const purge = await runCli(t.env, ['dlq', 'purge']);
      expect(purge.stdout.toString('utf8')).toBe('purged 1 dead letter\n');
      expect(purge.code).toBe(0);
      expect(await dead.getWaitingCount()).toBe(0);

      await publish(t.env, [broken]);
      await waitFor('a dead letter again', async () => (await dead.getWaitingCount()) === 1);
      expect(await deadLetterRepeats()).toBe(before + 1);
    } finally {
      await dead.close();
    }
  }, 60_000);
});
