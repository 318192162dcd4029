import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withAmqpChannel } from '@cprh/testkit';
import { Redis } from 'ioredis';

const CLI_MAIN = join(__dirname, '..', 'src', 'main.ts');
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exit: Promise<number | null>;
}

function cprh(env: Record<string, string>, args: string[]): Run {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), CLI_MAIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.on('data', (c: Buffer) => stdout.push(...c.toString().split('\n').filter(Boolean)));
  child.stderr?.on('data', (c: Buffer) => stderr.push(...c.toString().split('\n').filter(Boolean)));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  // Never leave a child behind.
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  void exit.then(() => clearTimeout(timer));
  return { child, stdout, stderr, exit };
}

async function takeAll(queue: string): Promise<string[]> {
  return withAmqpChannel(async (ch) => {
    const out: string[] = [];
    for (;;) {
      const m = await ch.get(queue, { noAck: true });
      if (m === false) break;
      out.push(m.content.toString('utf8'));
    }
    await ch.deleteQueue(queue);
    return out;
  }, AMQP_URL);
}

const beskedIdOf = (xml: string) => /BeskedId><UUIDIdentifikator>([^<]+)</.exec(xml)?.[1];

describe('cprh sim', () => {
  const certsDir = mkdtempSync(join(tmpdir(), 'cprh-sim-cli-'));
  const prefix = `cprh-sim-test-${randomUUID().slice(0, 8)}:`;
  const env = {
    REDIS_URL,
    AMQP_URL,
    LOG_LEVEL: 'warn',
    SIM_REDIS_PREFIX: prefix,
    SIM_CERTS_DIR: certsDir,
    SIM_POPULATION: '1000',
    SIM_STS_PORT: '0',
    SIM_SOAP_PORT: '0',
  };
  const redis = new Redis(REDIS_URL);

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    rmSync(certsDir, { recursive: true, force: true });
  });

  it('emit N puts N events on the dueslag; the same seed gives the same events', async () => {
    const queue = `cprh-sim-test-${randomUUID()}`;
    const a = cprh(env, ['sim', 'emit', '7', '--seed', '3', '--dueslag', queue]);
    expect(await a.exit).toBe(0);
    expect(a.stdout[0]).toMatch(new RegExp(`^emitted 7 events to ${queue} \\(`));
    const first = (await takeAll(queue)).map(beskedIdOf);
    expect(first).toHaveLength(7);
    const b = cprh(env, ['sim', 'emit', '7', '--seed', '3', '--dueslag', queue]);
    expect(await b.exit).toBe(0);
    expect((await takeAll(queue)).map(beskedIdOf)).toEqual(first);
    // No CPR number on the terminal.
    expect([...a.stdout, ...a.stderr].join('\n')).not.toMatch(/\d{10}/);
  });

  it('emit --kind and --day', async () => {
    const queue = `cprh-sim-test-${randomUUID()}`;
    const k = cprh(env, ['sim', 'emit', '3', '--kind', 'foedsel', '--dueslag', queue]);
    expect(await k.exit).toBe(0);
    expect(k.stdout[0]).toBe(`emitted 3 events to ${queue} (foedsel 3)`);
    const d = cprh(env, ['sim', 'emit', '--day', '--size', '20000', '--dueslag', queue]);
    expect(await d.exit).toBe(0);
    expect(d.stdout[0]).toMatch(/flytning \d+/);
    expect((await takeAll(queue)).length).toBeGreaterThan(10);
  });

  it.each([
    [['sim']],
    [['sim', 'emit']],
    [['sim', 'emit', 'many']],
    [['sim', 'emit', '2', '--kind', 'brand']],
    [['sim', 'fly']],
  ])('exits 2 on wrong usage: %j', async (args) => {
    const r = cprh(env, args);
    expect(await r.exit).toBe(2);
    expect(r.stderr[0]).toMatch(/^cprh sim: /);
  });

  it('start serves until SIGTERM and lists its subscriptions meanwhile', async () => {
    const queue = `cprh-sim-test-${randomUUID()}`;
    const none = cprh(env, ['sim', 'subscriptions']);
    expect(await none.exit).toBe(0);
    expect(none.stdout[0]).toMatch(/^no running simulator/);

    const s = cprh({ ...env, SIM_RATE: '20' }, ['sim', 'start', '--dueslag', queue]);
    const deadline = Date.now() + 30_000;
    while (!s.stdout.some((l) => l.startsWith('simulator running')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(s.stdout[0]).toMatch(
      /^simulator running: STS https:\/\/127\.0\.0\.1:\d+, BeskedfordelerService https:/,
    );
    const list = cprh(env, ['sim', 'subscriptions']);
    expect(await list.exit).toBe(0);
    expect(list.stdout.join('\n')).toContain(`pull ${queue}  catch-all`);
    await new Promise((r) => setTimeout(r, 1000));
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    expect((await takeAll(queue)).length).toBeGreaterThanOrEqual(5);
    const after = cprh(env, ['sim', 'subscriptions']);
    expect(await after.exit).toBe(0);
    expect(after.stdout[0]).toMatch(/^no running simulator/);
  });
});
