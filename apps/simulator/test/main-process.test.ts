import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { drainQueues, simTestEnv } from '@cprh/testkit';

const MAIN = join(__dirname, '..', 'src', 'main.ts');

describe('apps/simulator/src/main.ts (the compose service)', () => {
  it('logs "simulator ready", feeds the demo dueslag and exits 0 on SIGTERM', async () => {
    const t = simTestEnv({ LOG_LEVEL: 'info', SIM_RATE: '20' });
    const { dueslag } = t;
    const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), MAIN], {
      env: { ...process.env, ...t.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: string[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => out.push(c.toString()));
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const kill = setTimeout(() => child.kill('SIGKILL'), 45_000);
    try {
      const deadline = Date.now() + 30_000;
      while (!out.join('').includes('"msg":"simulator ready"') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(out.join('')).toContain('"msg":"simulator ready"');
      const got = (await drainQueues([dueslag], { [dueslag]: 10 }, 10_000))[dueslag] ?? [];
      expect(got.length).toBeGreaterThanOrEqual(10);
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      // Logs carry no CPR number.
      expect(out.join('')).not.toMatch(/urn:oio:cpr-nr|\b\d{10}\b/);
    } finally {
      clearTimeout(kill);
      child.kill('SIGKILL');
      await t.cleanup();
    }
  });
});
