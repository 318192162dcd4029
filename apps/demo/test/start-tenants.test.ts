import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@cprh/runtime';
import { Redis } from 'ioredis';
import { BFO_MODTAG_ENTITY, loadTenants } from '@cprh/config';
import { DueslagConnection, FunctionCertificate, KombitError, StsClient } from '@cprh/kombit';
import {
  CPR_SHAPED,
  deleteAmqpQueue,
  deleteKeysAt,
  freePort,
  simTestEnv,
  TEST_AMQP_URL,
  TEST_REDIS_URL,
  uniqueName,
  waitFor,
} from '@cprh/testkit';
import { cvrValid, DEMO_TENANTS_FILE, demoDueslag } from '../src/demo-tenants';
import { TENANT_SECTIONS } from '../src/start-tenant-services';

const DEMO_MAIN = join(__dirname, '..', 'src', 'main.ts');

// `cprh-demo start --tenants 3` (what `pnpm start --tenants 3` runs): the TENANTS_FILE it writes,
// the simulator serving three CVRs through its STS and AMQP front, each tenant's events in its own
// stream, and a token of one CVR refused on another's dueslag. Own PKI, dueslag, prefixes and ports.
describe('cprh-demo start --tenants 3', () => {
  const prefix = uniqueName('t-demo');
  const stream = `${prefix}:events`;
  const t = simTestEnv({
    LOG_LEVEL: 'info',
    QUEUE_PREFIX: prefix,
    EVENTS_STREAM: stream,
    BOARD_PORT: '0',
    SIM_RATE: '4',
  });
  const dueslag = [1, 2, 3].map((i) => demoDueslag(t.dueslag, i));
  const file = join(t.certsDir, DEMO_TENANTS_FILE);
  let child: ChildProcess | undefined;
  const stdout: string[] = [];
  const stderr: string[] = [];
  let exit: Promise<number | null>;
  let redis: Redis;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL);
    const env = {
      ...t.env,
      SIM_STS_PORT: String(await freePort()),
      SIM_AMQP_FRONT_PORT: String(await freePort()),
    };
    Object.assign(t.env, env);
    child = spawn(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), DEMO_MAIN, 'start', '--tenants', '3'],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (c: Buffer) => stdout.push(...c.toString().split('\n').filter(Boolean)));
    child.stderr?.on('data', (c: Buffer) => stderr.push(...c.toString().split('\n').filter(Boolean)));
    exit = new Promise((resolve) => child?.on('exit', (code) => resolve(code)));
    const timer = setTimeout(() => child?.kill('SIGKILL'), 120_000);
    void exit.then(() => clearTimeout(timer));
    await Promise.race([
      waitFor('cprh ready', () => stdout.some((l) => l.includes('"msg":"cprh ready"')), {
        timeoutMs: 60_000,
      }),
      exit.then((code) => {
        throw new Error(`cprh-demo exited ${code}: ${stderr.join('\n')}`);
      }),
    ]);
  });

  afterAll(async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await exit;
    }
    redis.disconnect();
    for (const q of dueslag) await deleteAmqpQueue(q, `${TEST_AMQP_URL}/BF`);
    await deleteKeysAt(TEST_REDIS_URL, `{${prefix}:`);
    await deleteKeysAt(TEST_REDIS_URL, prefix);
    await t.cleanup();
  });

  it('writes a TENANTS_FILE of three municipalities that loadTenants accepts', () => {
    expect(existsSync(file)).toBe(true);
    const tenants = loadTenants(TENANT_SECTIONS, { ...t.env, TENANTS_FILE: file });
    expect(tenants.map((x) => x.id)).toEqual(['demo-1', 'demo-2', 'demo-3']);
    const cvrs = tenants.map((x) => x.cvr ?? '');
    expect(new Set(cvrs).size).toBe(3);
    for (const c of cvrs) expect(cvrValid(c)).toBe(true);
    expect(tenants.map((x) => x.config.poller.dueslagQueue)).toEqual(dueslag);
    expect(tenants.map((x) => x.config.pipeline.eventsStream)).toEqual(
      [1, 2, 3].map((i) => `${stream}:{${prefix}:demo-${i}}`),
    );
    for (const x of tenants) expect(x.config.clientCert.source).toMatchObject({ kind: 'pem' });
  });

  it("brings each tenant's own population's events into its own stream", async () => {
    const streams = [1, 2, 3].map((i) => `${stream}:{${prefix}:demo-${i}}`);
    const ids = async (s: string) => (await redis.xrange(s, '-', '+')).map(([, f]) => f[f.indexOf('id') + 1]);
    await waitFor(
      'events in all three streams',
      async () => (await Promise.all(streams.map((s) => redis.xlen(s)))).every((n) => n >= 3),
      { timeoutMs: 30_000 },
    );
    const [a, b, c] = await Promise.all(streams.map(ids));
    const all = [...(a ?? []), ...(b ?? []), ...(c ?? [])];
    // Three populations, each delivered once to one municipality: no event in two streams.
    expect(new Set(all).size).toBe(all.length);
    // Only the tenants' streams: the demo's single stream name stays empty.
    expect(await redis.exists(stream)).toBe(0);
  });

  it("refuses a token of demo-1's CVR on demo-2's dueslag, and accepts it on demo-1's", async () => {
    const [one, two] = loadTenants(['clientCert', 'amqp', 'poller'], { ...t.env, TENANTS_FILE: file });
    const source = one?.config.clientCert.source;
    if (!one?.cvr || !two || !source) throw new Error('tenants missing');
    const cert = FunctionCertificate.load({ ...source, caFile: join(t.certsDir, 'ca.crt') });
    const log = createLogger('test', 'silent');
    const connect = (queue: string): Promise<unknown> => {
      const sts = new StsClient({
        url: `https://127.0.0.1:${t.env.SIM_STS_PORT}/runtime/api/rest/wstrust/v1/issue`,
        cvr: one.cvr as string,
        appliesTo: BFO_MODTAG_ENTITY,
        refreshMarginSeconds: 1,
        certificate: cert,
        retry: { attempts: 1, minMs: 10, maxMs: 10 },
      });
      const c = new DueslagConnection({
        url: `amqps://127.0.0.1:${t.env.SIM_AMQP_FRONT_PORT}/BF`,
        queue,
        declareQueue: false,
        retry: { minMs: 100, maxMs: 500 },
        log,
        login: { sts, tls: cert.tls() },
      });
      closers.push(
        () => c.close(),
        () => sts.close(),
      );
      return c.start().then(
        () => 'accepted',
        (e: unknown) => e,
      );
    };
    expect(await connect(one.config.poller.dueslagQueue)).toBe('accepted');
    const refused = await connect(two.config.poller.dueslagQueue);
    expect(refused).toBeInstanceOf(KombitError);
    expect((refused as KombitError).message).toMatch(/403 \(ACCESS-REFUSED\).*refused for CVR/);
  });

  it('stops on SIGTERM with exit 0, no CPR number in its output', async () => {
    child?.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stdout.some((l) => l.includes('"msg":"cprh stopped"'))).toBe(true);
    expect(stdout.some((l) => l.includes('"level":50'))).toBe(false);
    expect([...stdout, ...stderr].join('\n')).not.toMatch(CPR_SHAPED);
  });
});
