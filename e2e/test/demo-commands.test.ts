import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import {
  deleteAmqpQueue,
  freePort,
  makeDevPki,
  pipelineTestEnv,
  spawnTs,
  TEST_AMQP_URL,
  TEST_REDIS_URL,
  waitFor,
  type DevPki,
  type PipelineTestEnv,
  type SpawnedProcess,
} from '@cprh/testkit';
import { DEMO_MAIN, runDemo } from './support/pipeline-harness';

// The README's quick start: `pnpm start` (the demo: the poller reads the dueslag in vhost BF through
// the simulator's STS and TLS front), and the operator commands it shows beside it. Each must act on
// that demo: emitted events arrive, the subscription is listed, the doctor checks the demo's route.
describe('the commands the README shows agree with the demo of `cprh start`', () => {
  let t: PipelineTestEnv;
  let pki: DevPki;
  let proc: SpawnedProcess | undefined;
  const redis = new Redis(TEST_REDIS_URL);
  const dueslag = randomUUID();
  let frontPort = 0;

  beforeAll(async () => {
    pki = makeDevPki('12345678');
    frontPort = await freePort();
    t = pipelineTestEnv({
      SIM_ENABLED: 'true',
      SIM_RATE: '0',
      SIM_DUESLAG: dueslag,
      DUESLAG_QUEUE: dueslag,
      SIM_STS_PORT: String(await freePort()),
      SIM_AMQP_FRONT_PORT: String(frontPort),
      SIM_CERTS_DIR: pki.dir,
      LOG_LEVEL: 'info',
    });
    proc = spawnTs(DEMO_MAIN, t.env, ['start']);
    await proc.waitForLine(/cprh ready/, 60_000);
  }, 90_000);
  afterAll(async () => {
    await proc?.stop('SIGTERM', 20_000);
    await t.cleanup();
    await deleteAmqpQueue(dueslag, `${TEST_AMQP_URL}/BF`);
    redis.disconnect();
    pki.remove();
  });

  it('`cprh sim emit 5` reaches the stream the demo writes; the demo subscription stays listed', async () => {
    const emit = await runDemo(t.env, ['sim', 'emit', '5']);
    expect(emit.stderr).toBe('');
    expect(emit.stdout.toString('utf8')).toMatch(
      new RegExp(`^emitted 5 events to ${dueslag} \\(vhost BF\\)`),
    );
    expect(emit.code).toBe(0);
    await waitFor('5 events in the stream', async () => (await redis.xlen(t.stream)) >= 5, {
      timeoutMs: 30_000,
    });
    // The one-shot simulator of `emit` came and went; the running one is still listed, every time.
    for (let i = 0; i < 3; i++) {
      const subs = await runDemo(t.env, ['sim', 'subscriptions']);
      expect(subs.code).toBe(0);
      expect(subs.stdout.toString('utf8')).toMatch(new RegExp(`pull ${dueslag}  catch-all`));
    }
  }, 60_000);

  it('`cprh kombit check` checks the demo route: dev certificate, the simulator STS, TLS + SASL EXTERNAL', async () => {
    const check = await runDemo(t.env, ['kombit', 'check']);
    const lines = check.stdout.toString('utf8').trim().split('\n');
    expect(lines.map((l) => l.slice(0, 16).trim())).toEqual([
      'ok   certificate',
      'ok   sts token',
      'ok   broker',
      'ok   dueslag',
    ]);
    expect(lines[2]).toContain(
      `amqps://127.0.0.1:${frontPort}/BF: connected and logged in (TLS with the certificate`,
    );
    // One line on stderr: the route it checks (no DEP0123 warning for the TLS connection to an IP).
    expect(check.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^checking the demo's route/)]);
    expect(check.code).toBe(0);
  }, 60_000);

  it('start prints no DEP0123 warning (no TLS server name for an IP address)', () => {
    expect(proc?.lines.join('\n')).toContain('cprh ready');
    expect(proc?.lines.join('\n')).not.toContain('DEP0123');
  });
});
