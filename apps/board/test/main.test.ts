import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';
import { deleteKeysWithPrefix, TEST_REDIS_URL } from '@cprh/testkit';

// The entry point as Docker runs it: `node --require tsx/cjs apps/board/src/main.ts`.
const ROOT = join(__dirname, '..', '..', '..');
const MAIN = 'apps/board/src/main.ts';

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, exited, out: () => stdout, err: () => stderr };
}

async function until<T>(what: string, probe: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('apps/board/src/main.ts', () => {
  const suffix = randomUUID().slice(0, 8);
  const base = {
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `cprh-test-board-main-${suffix}`,
    BOARD_PORT: '0',
  };

  afterAll(async () => {
    // The board writes its queues' meta keys under the test's prefix; leave nothing behind.
    const redis = new Redis(TEST_REDIS_URL);
    await deleteKeysWithPrefix(redis, `${base.QUEUE_PREFIX}:`);
    await redis.quit();
  });

  it('logs the board URL with pino, serves it, and exits 0 on SIGTERM', async () => {
    const p = run({ ...base, LOG_LEVEL: 'info' });
    try {
      const url = await until('the URL log line', () => {
        for (const line of p.out().split('\n')) {
          if (!line.startsWith('{')) continue;
          const rec = JSON.parse(line) as { url?: string; msg?: string; level?: number };
          if (rec.url && rec.level === 30) return rec.url;
        }
        return undefined;
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect((await fetch(`${url}healthz`)).status).toBe(200);
      expect((await fetch(`${url}readyz`)).status).toBe(200);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      expect(p.out()).toContain('board stopping');
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('refuses a non-loopback host without credentials: one line with the code, exit 1', async () => {
    const p = run({ ...base, BOARD_HOST: '0.0.0.0' });
    expect(await p.exited).toBe(1);
    expect(p.err().trim().split('\n')).toEqual([
      expect.stringMatching(/^board: BOARD_UNPROTECTED_BIND: Refusing to serve the board on 0\.0\.0\.0 /),
    ]);
  });

  it('names a bad setting in one line, exit 1', async () => {
    const p = run({ ...base, BOARD_USER: 'ops' });
    expect(await p.exited).toBe(1);
    expect(p.err().trim()).toBe(
      'board: CONFIG_INVALID: Invalid setting BOARD_PASSWORD: required when BOARD_USER is set',
    );
  });
});
