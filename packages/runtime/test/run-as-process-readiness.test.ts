import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTs, waitFor } from '@cprh/testkit';

// A container healthcheck reads /readyz: it must not pass while the service is still starting
// (compose's depends_on: service_healthy would start the next service too early).
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('runAsProcess and /readyz', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cprh-slow-start-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers 503 "starting" until the service has started, then 200', async () => {
    const port = await freePort();
    const gate = join(dir, 'started');
    const p = spawnTs(
      join(__dirname, 'support', 'slow-start-main.ts'),
      {
        METRICS_PORT: String(port),
        METRICS_HOST: '127.0.0.1',
      },
      [gate],
    );
    try {
      const readyz = async () => {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        return { status: res.status, body: (await res.json()) as { reason?: string } };
      };
      let first: Awaited<ReturnType<typeof readyz>> | undefined;
      await waitFor('the process endpoint', async () => {
        first = await readyz().catch(() => undefined);
        return first !== undefined;
      });
      expect(first).toEqual({ status: 503, body: { status: 'unavailable', reason: 'slow: starting' } });
      writeFileSync(gate, '');
      await p.waitForLine(/"msg":"slow ready"/, 20_000);
      expect((await readyz()).status).toBe(200);
    } finally {
      await p.stop('SIGTERM');
    }
  }, 40_000);
});
