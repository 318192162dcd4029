import { loadConfig } from '@cprh/config';
import { createProducerRedis, EventDispatcher, type RedisConnection } from '@cprh/pipeline';
import {
  clusterTestEnv,
  pipelineTestEnv,
  spawnTs,
  startRedisCluster,
  waitFor,
  type PipelineTestEnv,
  type SpawnedProcess,
} from '@cprh/testkit';
import { CLI_MAIN, runCli } from './support/run-cli';

// Made-up CPR numbers: the tail must never print them unless asked to.
const CPRS = ['0101801234', '3112994321', '1502711111'];

function event(n: number) {
  const cpr = CPRS[n % CPRS.length] ?? '';
  return {
    specversion: '1.0',
    id: `00000000-0000-4000-8000-00000000000${n}`,
    source: 'urn:test',
    type: 'dk.kombit.cpr.personhaendelse',
    time: `2026-12-0${n}T10:00:00+01:00`,
    data: {
      registreringer: [{ cpr, haendelse: 'flytning', handling: 'x' }],
      beskeddata: [{ xml: `<PersonCivilRegistrationIdentifier>${cpr}</PersonCivilRegistrationIdentifier>` }],
    },
  };
}

async function dispatch(redis: RedisConnection, env: Record<string, string>, ns: number[]): Promise<void> {
  const d = new EventDispatcher(redis, loadConfig(['pipeline'], env).pipeline);
  // One at a time: the stream order is the order of the numbers.
  for (const n of ns) await d.dispatch(event(n), n, { eventNames: [], beskedtype: undefined });
}

const ids = (lines: string[]): string[] => lines.map((l) => (JSON.parse(l) as { id: string }).id);

describe('cprh events tail', () => {
  let t: PipelineTestEnv;
  let redis: RedisConnection;
  let tail: SpawnedProcess | undefined;

  afterEach(async () => {
    await tail?.stop('SIGKILL').catch(() => undefined);
    tail = undefined;
    redis?.disconnect();
    await t?.cleanup();
  });

  async function setUp(env: PipelineTestEnv): Promise<void> {
    t = env;
    redis = createProducerRedis(loadConfig(['redis'], t.env).redis, 'tail-test');
    await redis.connect();
  }

  it('--from-start --exit-at-end prints every event in order, CPR numbers masked, then exits 0', async () => {
    await setUp(pipelineTestEnv());
    await dispatch(redis, t.env, [1, 2, 3]);
    const text = await runCli(t.env, ['events', 'tail', '--from-start', '--exit-at-end']);
    expect(text.code).toBe(0);
    const lines = text.stdout.toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => /seq=(\d+)/.exec(l)?.[1])).toEqual(['1', '2', '3']);
    expect(lines[0]).toMatch(/flytning {2}cpr=xxxxxx-xxxx {2}00000000-0000-4000-8000-000000000001$/);
    for (const c of CPRS) expect(text.stdout.toString('utf8')).not.toContain(c);

    const json = await runCli(t.env, ['events', 'tail', '--from-start', '--exit-at-end', '--json']);
    const jsonLines = json.stdout.toString('utf8').trim().split('\n');
    expect(ids(jsonLines)).toEqual([1, 2, 3].map((n) => event(n).id));
    for (const c of CPRS) expect(json.stdout.toString('utf8')).not.toContain(c);
    expect(JSON.parse(jsonLines[0] ?? '')).toMatchObject({
      data: { registreringer: [{ cpr: 'xxxxxx-xxxx' }] },
    });

    const shown = await runCli(t.env, [
      'events',
      'tail',
      '--from-start',
      '--exit-at-end',
      '--json',
      '--show-cpr',
    ]);
    expect(
      shown.stdout
        .toString('utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([1, 2, 3].map(event));
  });

  it('pages through a long stream in order', async () => {
    await setUp(pipelineTestEnv());
    const d = new EventDispatcher(redis, loadConfig(['pipeline'], t.env).pipeline);
    const ns = Array.from({ length: 1201 }, (_, i) => i + 1);
    // Dispatched in one turn: written in this order, in batches of one script call each.
    await Promise.all(ns.map((n) => d.dispatch(event(n), n, { eventNames: [], beskedtype: undefined })));
    const out = await runCli(t.env, ['events', 'tail', '--from-start', '--exit-at-end']);
    const seqs = out.stdout
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => Number(/seq=(\d+)/.exec(l)?.[1]));
    expect(seqs).toEqual(ns);
  });

  it('follows new events only (no --from-start) until Ctrl-C; --stream picks another stream', async () => {
    await setUp(pipelineTestEnv());
    await dispatch(redis, t.env, [1]);
    tail = spawnTs(CLI_MAIN, t.env, ['events', 'tail', '--json']);
    await tail.waitForLine(/following/, 20000);
    await dispatch(redis, t.env, [2, 3]);
    await waitFor('two events printed', () => tail?.lines.filter((l) => l.startsWith('{')).length === 2);
    expect(ids(tail.lines.filter((l) => l.startsWith('{')))).toEqual([event(2).id, event(3).id]);
    expect(await tail.stop('SIGINT')).toBe(0);

    // Without --from-start, --exit-at-end has nothing that existed to print.
    const none = await runCli(t.env, ['events', 'tail', '--exit-at-end']);
    expect({ code: none.code, out: none.stdout.toString('utf8') }).toEqual({ code: 0, out: '' });
    const other = await runCli(t.env, [
      'events',
      'tail',
      '--from-start',
      '--exit-at-end',
      '--stream',
      `${t.prefix}:nothing`,
    ]);
    expect({ code: other.code, out: other.stdout.toString('utf8') }).toEqual({ code: 0, out: '' });
  });

  it('answers wrong usage with exit 2 and an unreachable Redis with one line and exit 1', async () => {
    t = pipelineTestEnv();
    const bad = await runCli(t.env, ['events', 'follow']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage: cprh events tail');
    const gone = await runCli({ ...t.env, REDIS_URL: 'redis://127.0.0.1:1' }, [
      'events',
      'tail',
      '--exit-at-end',
    ]);
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^cprh events: PIPELINE_REDIS_UNREACHABLE: Redis is not reachable at redis:\/\/127\.0\.0\.1:1/,
      ),
    ]);
  });

  it('works on a Redis Cluster', async () => {
    const cluster = await startRedisCluster();
    try {
      await setUp(clusterTestEnv(cluster));
      await dispatch(redis, t.env, [1, 2, 3, 4, 5]);
      const out = await runCli(t.env, ['events', 'tail', '--from-start', '--exit-at-end', '--json']);
      expect(out.code).toBe(0);
      expect(ids(out.stdout.toString('utf8').trim().split('\n'))).toEqual(
        [1, 2, 3, 4, 5].map((n) => event(n).id),
      );
    } finally {
      redis?.disconnect();
      await cluster.stop();
    }
  }, 120000);
});
