import { join } from 'node:path';
import { spawnTs, waitFor, type SpawnedProcess } from '@cprh/testkit';
import {
  newSecret,
  personEvent,
  startTestServer,
  webhookTestEnv,
  type TestServer,
  type WebhookTestEnv,
} from './support/webhook-harness';

const MAIN = join(__dirname, '..', 'src', 'main.ts');
const CONCURRENCY = 8;

let env: WebhookTestEnv;
let server: TestServer;
const procs: SpawnedProcess[] = [];

beforeEach(async () => {
  env = await webhookTestEnv();
  server = await startTestServer();
});

afterEach(async () => {
  for (const p of procs.splice(0)) await p.stop('SIGKILL').catch(() => undefined);
  await env.cleanup();
  await server.close();
});

function startProcess(): SpawnedProcess {
  const p = spawnTs(MAIN, { ...env.env, LOG_LEVEL: 'info' });
  procs.push(p);
  return p;
}

describe('kill -9 of the delivery process', () => {
  it('delivers every event at least once; repeats only of attempts that were in flight', async () => {
    env.writeEndpoints([
      {
        id: 'k9',
        url: server.url,
        secret: newSecret(),
        concurrency: CONCURRENCY,
        timeoutMs: 1000,
        backoffMs: 20,
      },
    ]);
    // Slow enough that attempts are in flight at the kill.
    server.answer = () => ({ status: 204, delayMs: 15 });
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) {
      const e = personEvent(String(2000000000 + (i % 30)));
      ids.push(String(e.id));
      await env.add(e);
    }
    const first = startProcess();
    await first.waitForLine(/webhooks ready/);
    await waitFor('a third delivered', () => server.delivered().length >= 100, { timeoutMs: 30000 });
    first.child.kill('SIGKILL');
    await first.waitForExit();
    const killedAt = Date.now();
    const seenBeforeKill = new Set(server.hits.map((h) => h.id));
    const second = startProcess();
    await second.waitForLine(/webhooks ready/);
    await waitFor('all delivered', () => new Set(server.delivered().map((h) => h.id)).size >= 300, {
      timeoutMs: 60000,
    });
    await new Promise((r) => setTimeout(r, 500));
    const counts = new Map<string, number>();
    for (const h of server.delivered()) counts.set(h.id, (counts.get(h.id) ?? 0) + 1);
    expect(ids.filter((id) => !counts.has(id))).toEqual([]);
    const repeated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    process.stdout.write(`kill -9: ${repeated.length} repeated of 300 (concurrency ${CONCURRENCY})\n`);
    // A repeat is an attempt the killed process had sent and not yet recorded.
    expect(repeated.length).toBeLessThanOrEqual(CONCURRENCY);
    for (const id of repeated) expect(seenBeforeKill.has(id)).toBe(true);
    // And nothing was delivered twice after the restart except those.
    const afterKill = server
      .delivered()
      .filter((h) => h.at > killedAt)
      .map((h) => h.id);
    expect(afterKill.length).toBe(new Set(afterKill).size);
    expect(await second.stop()).toBe(0);
  });
});
