import { peekBeskedId } from '@cprh/besked';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { simTestEnv, withAmqpChannel, CPR_SHAPED } from '@cprh/testkit';

const DEMO_MAIN = join(__dirname, '..', 'src', 'main.ts');

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exit: Promise<number | null>;
}

function cprh(env: Record<string, string>, args: string[]): Run {
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), DEMO_MAIN, ...args], {
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
    return out;
  });
}

describe('cprh-demo sim', () => {
  // Own demo dueslag, key prefix and PKI: nothing reaches the shared demo names.
  // Plain AMQP (vhost /), as with KOMBIT_ENV=local: the demo's route through vhost BF is
  // demo-commands.test.ts.
  const t = simTestEnv({ LOG_LEVEL: 'warn', AMQP_AUTH: 'plain' });
  const env = t.env;

  afterAll(() => t.cleanup());

  it('emit N puts N events on the dueslag; the same seed gives the same events', async () => {
    const queue = t.newDueslag();
    const a = cprh(env, ['sim', 'emit', '7', '--seed', '3', '--dueslag', queue]);
    expect(await a.exit).toBe(0);
    expect(a.stdout[0]).toMatch(
      new RegExp(`^emitted 7 events to ${queue} \\(.*\\); seed 3 \\(--seed 3 repeats them\\)$`),
    );
    const first = (await takeAll(queue)).map(peekBeskedId);
    expect(first).toHaveLength(7);
    const b = cprh(env, ['sim', 'emit', '7', '--seed', '3', '--dueslag', queue]);
    expect(await b.exit).toBe(0);
    expect((await takeAll(queue)).map(peekBeskedId)).toEqual(first);
    // No CPR number on the terminal.
    expect([...a.stdout, ...a.stderr].join('\n')).not.toMatch(CPR_SHAPED);
  });

  it('emit N without --seed brings new BeskedIds each run; the printed seed repeats a run', async () => {
    const queue = t.newDueslag();
    const run = async (args: string[]) => {
      const r = cprh(env, ['sim', 'emit', '5', '--dueslag', queue, ...args]);
      expect(await r.exit).toBe(0);
      const seed = /; seed (\d+) \(--seed \1 repeats them\)$/.exec(r.stdout[0] ?? '')?.[1];
      return { seed, ids: (await takeAll(queue)).map(peekBeskedId) };
    };
    const a = await run([]);
    const b = await run([]);
    expect(a.seed).toBeDefined();
    expect(a.ids).toHaveLength(5);
    expect(b.ids).toHaveLength(5);
    expect(a.ids.filter((id) => b.ids.includes(id))).toEqual([]);
    expect((await run(['--seed', a.seed as string])).ids).toEqual(a.ids);
    // SIM_SEED does what --seed does.
    const viaEnv = cprh({ ...env, SIM_SEED: b.seed as string }, ['sim', 'emit', '5', '--dueslag', queue]);
    expect(await viaEnv.exit).toBe(0);
    expect((await takeAll(queue)).map(peekBeskedId)).toEqual(b.ids);
  });

  it('emit --kind and --day', async () => {
    const queue = t.newDueslag();
    const k = cprh(env, ['sim', 'emit', '3', '--kind', 'foedsel', '--dueslag', queue]);
    expect(await k.exit).toBe(0);
    expect(k.stdout[0]).toMatch(new RegExp(`^emitted 3 events to ${queue} \\(foedsel 3\\); seed \\d+ `));
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
    expect(r.stderr[0]).toMatch(/^cprh-demo sim: /);
  });

  it('start serves until SIGTERM and lists its subscriptions meanwhile', async () => {
    const queue = t.newDueslag();
    const none = cprh(env, ['sim', 'subscriptions']);
    expect(await none.exit).toBe(0);
    expect(none.stdout[0]).toMatch(/^no running simulator/);

    const s = cprh({ ...env, SIM_RATE: '20' }, ['sim', 'start', '--dueslag', queue]);
    const deadline = Date.now() + 30_000;
    while (!s.stdout.some((l) => l.startsWith('simulator running')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(s.stdout[0]).toMatch(
      /^simulator running: STS https:\/\/127\.0\.0\.1:\d+, BeskedfordelerService https:.*, seed \d+ \(--seed \d+ repeats them\)$/,
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
