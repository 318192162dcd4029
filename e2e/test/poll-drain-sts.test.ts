import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { publishToDueslag } from '@cprh/simulator';
import {
  deleteAmqpQueue,
  makeDevPki,
  pipelineTestEnv,
  spawnTs,
  TEST_AMQP_URL,
  TEST_REDIS_URL,
  waitFor,
  withAmqpChannel,
  type DevPki,
  type PipelineTestEnv,
  type SpawnedProcess,
} from '@cprh/testkit';
import { expectExactlyOnce, freshMessages, streamEventIds, DEMO_MAIN } from './support/pipeline-harness';

// Issue 24 as an operator met it: a backlog of many batches read through the simulator's STS and
// Beskedfordeler AMQP front (TLS, SASL EXTERNAL) with 6-second tokens, the first STS answer a 500
// and a refresh margin longer than the token's life. Every event must arrive once, in both modes.
const BF_URL = `${TEST_AMQP_URL}/BF`;
const RENEWED = /AMQP connection renewed with a fresh token/g;

function lineFacts(line: string): { time: number; ms: number; end?: string } {
  return JSON.parse(line) as { time: number; ms: number; end?: string };
}

describe.each(['poll', 'consume'] as const)('a backlog across token renewals, %s mode', (mode) => {
  let t: PipelineTestEnv;
  let pki: DevPki;
  const procs: SpawnedProcess[] = [];
  let redis: Redis;
  const dueslag = randomUUID();

  beforeAll(() => {
    pki = makeDevPki('12345678');
    redis = new Redis(TEST_REDIS_URL);
  });
  afterEach(async () => {
    for (const p of procs.splice(0)) await p.stop('SIGTERM', 20_000).catch(() => undefined);
    await t.cleanup();
  });
  afterAll(async () => {
    await deleteAmqpQueue(dueslag, BF_URL);
    redis.disconnect();
    pki.remove();
  });

  function env(extra: Record<string, string> = {}): Record<string, string> {
    t = pipelineTestEnv({
      SIM_ENABLED: 'true',
      SIM_RATE: '0',
      SIM_DUESLAG: dueslag,
      DUESLAG_QUEUE: dueslag,
      SIM_AMQP_FRONT_PORT: '0',
      SIM_CERTS_DIR: pki.dir,
      SIM_TOKEN_LIFETIME_S: '6',
      SIM_STS_FAIL_FIRST: '1',
      STS_REFRESH_MARGIN_SECONDS: '30',
      POLLER_MODE: mode,
      POLLER_POLL_INTERVAL_SECONDS: '2',
      // Small batches: the backlog takes longer than a token's life, so drains span renewals.
      POLLER_BATCH_SIZE: '20',
      POLLER_PREFETCH: '40',
      LOG_LEVEL: 'info',
      ...extra,
    });
    return t.env;
  }

  function start(extra: Record<string, string> = {}): SpawnedProcess {
    const p = spawnTs(DEMO_MAIN, env(extra), ['start']);
    procs.push(p);
    return p;
  }

  const publishBf = (bodies: Buffer[]): Promise<number> =>
    publishToDueslag(bodies, { url: BF_URL, queue: dueslag, declareQueue: false });

  const readyInDueslag = (): Promise<number> =>
    withAmqpChannel(async (ch) => (await ch.checkQueue(dueslag)).messageCount, BF_URL);

  it('4,000 events (a backlog of 3,000 waiting at start, 1,000 more later) arrive once each across several renewals; the margin is clamped, logged once', async () => {
    const { ids, bodies } = freshMessages(4000);
    const allIds = [...ids];
    await publishToDueslag(bodies.slice(0, 3000), { url: BF_URL, queue: dueslag, declareQueue: true });
    const proc = start();
    await proc.waitForLine(/cprh ready/, 60_000);
    await new Promise((r) => setTimeout(r, 8000));
    await publishBf(bodies.slice(3000));
    await waitFor('4,000 entries', async () => (await redis.xlen(t.stream)) >= 4000, {
      timeoutMs: 90_000,
    });
    await waitFor('three renewals', () => (proc.lines.join('\n').match(RENEWED) ?? []).length >= 3, {
      timeoutMs: 30_000,
    });
    // Poll mode: at least one drain must have run while the token was renewed. Whether a drain and
    // a renewal overlap depends on the machine's speed, so more backlogs are sent (each a fresh
    // chance) until one did, at most five times. Each backlog is large enough to take seconds to
    // drain (renewals come every few seconds), so one round overlaps a renewal more often than not.
    const drainsSpanningRenewal = (): number => {
      const drains = proc.lines.filter((l) => l.includes('"msg":"drain done"')).map(lineFacts);
      const renewals = proc.lines
        .filter((l) => l.includes('AMQP connection renewed with a fresh token'))
        .map((l) => lineFacts(l).time);
      return drains.filter((d) => renewals.some((r) => r > d.time - d.ms && r < d.time)).length;
    };
    for (let round = 0; mode === 'poll' && round < 5 && drainsSpanningRenewal() === 0; round++) {
      const more = freshMessages(4000);
      allIds.push(...more.ids);
      await publishBf(more.bodies);
      await waitFor(`${allIds.length} entries`, async () => (await redis.xlen(t.stream)) >= allIds.length, {
        timeoutMs: 60_000,
      });
    }
    await waitFor('the dueslag to drain', async () => (await readyInDueslag()) === 0, { timeoutMs: 15_000 });
    expectExactlyOnce(await streamEventIds(redis, t.stream), allIds);
    const out = proc.lines.join('\n');
    expect(out).toMatch(/sts: token request failed; retrying/);
    expect((out.match(/STS_REFRESH_MARGIN_SECONDS \(30 s\) is not shorter than half/g) ?? []).length).toBe(1);
    if (mode === 'poll') {
      const drains = proc.lines.filter((l) => l.includes('"msg":"drain done"')).map(lineFacts);
      expect(drains.filter((d) => d.end !== 'empty')).toEqual([]);
      expect(drainsSpanningRenewal()).toBeGreaterThanOrEqual(1);
    }
  }, 180_000);

  it('kill -9 mid-drain loses nothing: after a restart every event is there once', async () => {
    // A dead poller's inbox jobs are taken over once their lock lapses: short, for the test's sake.
    const first = start({ WORKER_LOCK_DURATION_MS: '3000', WORKER_STALLED_INTERVAL_MS: '2000' });
    await first.waitForLine(/cprh ready/, 60_000);
    const { ids, bodies } = freshMessages(3000);
    await publishBf(bodies);
    // Mid-drain: some batches stored and acked, many still in the dueslag.
    await waitFor('a part of the backlog taken', async () => (await readyInDueslag()) <= 2600, {
      timeoutMs: 60_000,
      intervalMs: 20,
    });
    first.child.kill('SIGKILL');
    expect(await first.waitForExit(10_000)).toBe('SIGKILL');
    expect(await readyInDueslag()).toBeGreaterThan(0);

    const second = spawnTs(DEMO_MAIN, t.env, ['start']);
    procs.push(second);
    await second.waitForLine(/cprh ready/, 60_000);
    await waitFor('3,000 entries', async () => (await redis.xlen(t.stream)) >= 3000, {
      timeoutMs: 90_000,
    });
    await waitFor('the dueslag to drain', async () => (await readyInDueslag()) === 0, { timeoutMs: 15_000 });
    // A little longer, so a late duplicate would show.
    await new Promise((r) => setTimeout(r, 2000));
    expectExactlyOnce(await streamEventIds(redis, t.stream), ids);
  }, 200_000);
});
