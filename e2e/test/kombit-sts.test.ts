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
import {
  expectExactlyOnce,
  freshMessages,
  SAMPLE,
  streamEventIds,
  DEMO_MAIN,
} from './support/pipeline-harness';

// `cprh start`'s demo path as production runs it: the poller logs in through the simulator's STS
// and Beskedfordeler AMQP front (TLS, SASL EXTERNAL) with 10-second tokens, across many renewals.
const BF_URL = `${TEST_AMQP_URL}/BF`;
const CPR_NUMBERS = [...new Set(SAMPLE.match(/\d{10}/g) ?? [])];

describe('cprh start through STS + TLS + SASL EXTERNAL (simulator front)', () => {
  let t: PipelineTestEnv;
  let pki: DevPki;
  let proc: SpawnedProcess | undefined;
  let redis: Redis;
  const dueslag = randomUUID();

  beforeAll(() => {
    pki = makeDevPki('12345678');
    redis = new Redis(TEST_REDIS_URL);
  });
  afterEach(async () => {
    await proc?.stop('SIGTERM', 20_000);
    proc = undefined;
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
      SIM_TOKEN_LIFETIME_S: '10',
      STS_REFRESH_MARGIN_SECONDS: '3',
      LOG_LEVEL: 'info',
      ...extra,
    });
    return t.env;
  }

  it('2,000 events published over 40 s arrive once each across several token renewals; no secret or CPR number in the output', async () => {
    proc = spawnTs(DEMO_MAIN, env(), ['start']);
    await proc.waitForLine(/cprh ready/, 60_000);
    const { ids, bodies } = freshMessages(2000);
    for (let s = 0; s < 40; s++) {
      const started = Date.now();
      await publishToDueslag(bodies.slice(s * 50, s * 50 + 50), {
        url: BF_URL,
        queue: dueslag,
        declareQueue: false,
      });
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - started))));
    }
    await waitFor('2,000 entries', async () => (await redis.xlen(t.stream)) >= 2000, { timeoutMs: 60_000 });
    await waitFor(
      'the dueslag to drain',
      async () => withAmqpChannel(async (ch) => (await ch.checkQueue(dueslag)).messageCount === 0, BF_URL),
      { timeoutMs: 15_000 },
    );
    expectExactlyOnce(await streamEventIds(redis, t.stream), ids);

    const out = proc.lines.join('\n');
    expect(out).toMatch(/through the simulator STS, TLS and SASL EXTERNAL/);
    expect((out.match(/AMQP connection renewed with a fresh token/g) ?? []).length).toBeGreaterThanOrEqual(3);
    expect(out).toMatch(/function certificate loaded/);
    const secrets = ['<Assertion', 'PEFzc2VydGlvb', 'PRIVATE KEY', 'X509Certificate', ...CPR_NUMBERS];
    expect(secrets.filter((s) => out.includes(s))).toEqual([]);
  }, 180_000);

  it('poll mode drains through the front across renewals too', async () => {
    proc = spawnTs(DEMO_MAIN, env({ POLLER_MODE: 'poll', POLLER_POLL_INTERVAL_SECONDS: '1' }), ['start']);
    await proc.waitForLine(/cprh ready/, 60_000);
    const { ids, bodies } = freshMessages(500);
    for (let s = 0; s < 20; s++) {
      await publishToDueslag(bodies.slice(s * 25, s * 25 + 25), {
        url: BF_URL,
        queue: dueslag,
        declareQueue: false,
      });
      await new Promise((r) => setTimeout(r, 1000));
    }
    await waitFor('500 entries', async () => (await redis.xlen(t.stream)) >= 500, { timeoutMs: 60_000 });
    await waitFor(
      'the dueslag to drain',
      async () => withAmqpChannel(async (ch) => (await ch.checkQueue(dueslag)).messageCount === 0, BF_URL),
      { timeoutMs: 15_000 },
    );
    expectExactlyOnce(await streamEventIds(redis, t.stream), ids);
    expect(
      (proc.lines.join('\n').match(/AMQP connection renewed with a fresh token/g) ?? []).length,
    ).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('a CVR the certificate does not carry is refused by the STS and cprh says why', async () => {
    proc = spawnTs(DEMO_MAIN, env({ STS_CVR: '87654321' }), ['start']);
    const code = await proc.waitForExit(60_000);
    expect(code).toBe(1);
    expect(proc.stderrLines.join('\n')).toMatch(
      /KOMBIT_STS_REFUSED: the STS answered HTTP 401: AnvenderKontekst.Cvr does not match the certificate/,
    );
  }, 90_000);
});
