import Redis from 'ioredis';
import { loadWorkbenchConfig } from '@cprh/simulator';
import { createDeadQueue } from '@cprh/pipeline';
import { createLogger, type RunningService } from '@cprh/runtime';
import { pipelineTestEnv, spawnTs, TEST_REDIS_URL, waitFor, type PipelineTestEnv } from '@cprh/testkit';
import { startServices, START_SECTIONS } from '@cprh/demo';
import {
  CLI_MAIN,
  freshMessages,
  publish,
  runCli,
  sha256,
  streamEventIds,
  waitForStreamLength,
} from './support/pipeline-harness';

async function cprh(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number | string; out: string }> {
  // +05:30 all year: "local time with offset" cannot pass as UTC by accident.
  const p = spawnTs(CLI_MAIN, { TZ: 'Asia/Kolkata', ...env }, args);
  const code = await p.waitForExit(20000);
  return { code, out: p.lines.join('\n') };
}

describe('poison messages, dead letters and `cprh dlq`', () => {
  let t: PipelineTestEnv;
  let services: RunningService | undefined;
  const redis = new Redis(TEST_REDIS_URL);
  const quiet = createLogger('test', 'silent');

  afterEach(async () => {
    await services?.stop();
    services = undefined;
    await t.cleanup();
  });
  afterAll(() => redis.disconnect());

  it('dead-letters with the reason; replay after fixing config gives one entry', async () => {
    // The worker's size limit is set too low: a valid message becomes a poison message.
    t = pipelineTestEnv({ BESKED_MAX_BYTES: '1000' });
    const { ids, bodies } = freshMessages(1);
    const noId = Buffer.from('<Haendelsesbesked xmlns="urn:oio:besked:kuvert:1.0"/>');
    await publish(t.env, [...bodies, noId]);
    services = await startServices(loadWorkbenchConfig(START_SECTIONS, t.env), quiet);
    const dead = createDeadQueue(redis, loadWorkbenchConfig(START_SECTIONS, t.env).pipeline);
    try {
      await waitFor('two dead letters', async () => (await dead.getWaitingCount()) === 2);
      expect(await redis.exists(t.stream)).toBe(0);
      await services.stop();
      services = undefined;

      const list = await cprh(t.env, 'dlq', 'list');
      expect(list.code).toBe(0);
      const jobId = `b-${ids[0]}`;
      expect(list.out).toMatch(new RegExp(`^${jobId}  BESKED_TOO_LARGE  attempts=1 `, 'm'));
      const rawLine = list.out.split('\n').find((l) => l.startsWith('raw-'));
      expect(rawLine).toBeDefined();
      const rawId = rawLine?.split(' ')[0] ?? '';

      const show = await cprh(t.env, 'dlq', 'show', jobId);
      expect(show.code).toBe(0);
      const shown = JSON.parse(show.out) as Record<string, unknown>;
      expect(shown).toMatchObject({ id: jobId, code: 'BESKED_TOO_LARGE', attempts: 1, originalJobId: jobId });
      // Times an operator reads: ISO 8601, local time with offset (TZ set for this run).
      const localIso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/;
      expect(shown).toMatchObject({
        firstFailedAt: expect.stringMatching(localIso),
        receivedAt: expect.stringMatching(localIso),
      });
      expect(String(shown.lastFailedAt)).toMatch(/\+05:30$/);
      expect(list.out).toMatch(
        new RegExp(`^${jobId}  BESKED_TOO_LARGE  attempts=1  last=\\S+\\+05:30 `, 'm'),
      );
      expect(show.out).not.toContain('Haendelsesbesked'); // the message itself only with --raw
      expect(shown).toMatchObject({ bytes: bodies[0]?.length, sha256: sha256(bodies[0] ?? '') });
      // --raw: stdout is exactly the bytes that were published, nothing else.
      const rawOut = await runCli(t.env, ['dlq', 'show', rawId, '--raw']);
      expect(rawOut.code).toBe(0);
      expect(sha256(rawOut.stdout)).toBe(sha256(noId));

      // Fixed config (default size limit): replay goes through the same exactly-once dispatch.
      services = await startServices(
        loadWorkbenchConfig(START_SECTIONS, { ...t.env, BESKED_MAX_BYTES: '' }),
        quiet,
      );
      const replay = await cprh(t.env, 'dlq', 'replay', jobId);
      expect(replay.code).toBe(0);
      expect(replay.out).toContain('replayed 1 dead letter');
      await waitForStreamLength(redis, t.stream, 1);
      expect(await streamEventIds(redis, t.stream)).toEqual(ids);

      const again = await cprh(t.env, 'dlq', 'replay', jobId);
      expect(again.code).toBe(1);
      expect(again.out).toContain('PIPELINE_DEAD_LETTER_NOT_FOUND');

      // The message without a BeskedId cannot be fixed: replayed, it is dead again under a new id.
      expect((await cprh(t.env, 'dlq', 'replay', '--all')).code).toBe(0);
      await waitFor('the unfixable message back in dead letters', async () => {
        const jobs = await dead.getWaiting();
        return jobs.length === 1 && jobs[0]?.id !== rawId && jobs[0]?.data.originalJobId === rawId;
      });
      expect(await redis.xlen(t.stream)).toBe(1);

      const purge = await cprh(t.env, 'dlq', 'purge');
      expect(purge.out).toContain('purged 1 dead letter');
      expect(await dead.getWaitingCount()).toBe(0);
      expect((await cprh(t.env, 'dlq', 'bogus')).code).toBe(2);
    } finally {
      await dead.close();
    }
  });
});
