import { waitFor } from '@cprh/testkit';
import {
  newSecret,
  personEvent,
  startTestServer,
  webhookTestEnv,
  type TestServer,
  type WebhookTestEnv,
} from './support/webhook-harness';

let env: WebhookTestEnv;
const servers: TestServer[] = [];

beforeEach(async () => {
  env = await webhookTestEnv();
});

afterEach(async () => {
  await env.cleanup();
  for (const s of servers.splice(0)) await s.close();
});

/** The stream's entry time (ms) of an event id, from the ids the test wrote. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

describe('order and isolation', () => {
  it("keeps each person's events in stream order through failures, with two delivery processes", async () => {
    const server = await startTestServer();
    servers.push(server);
    env.writeEndpoints([
      {
        id: 'ordered',
        url: server.url,
        secret: newSecret(),
        concurrency: 4,
        backoffMs: 5,
        maxBackoffMs: 40,
        timeoutMs: 300,
      },
    ]);
    // Failures at random: 5xx, a slow answer, a timeout.
    server.answer = () => {
      const r = Math.random();
      if (r < 0.25) return { status: 500 };
      if (r < 0.3) return { status: 204, delayMs: 50 };
      if (r < 0.33) return 'hang';
      return { status: 204 };
    };
    await env.start();
    await env.start();
    const persons = ['0101801111', '0202802222', '0303803333', '0404804444', '0505805555'];
    const written = new Map<string, string[]>();
    const personOf = new Map<string, string>();
    for (let i = 0; i < 100; i++) {
      const cpr = persons[i % persons.length] ?? '';
      const e = personEvent(cpr);
      written.set(cpr, [...(written.get(cpr) ?? []), String(e.id)]);
      personOf.set(String(e.id), cpr);
      await env.add(e);
    }
    await waitFor('all delivered', () => server.delivered().length >= 100, { timeoutMs: 60000 });
    const got = new Map<string, string[]>();
    for (const h of server.delivered()) {
      const cpr = personOf.get(h.id) ?? '?';
      got.set(cpr, [...(got.get(cpr) ?? []), h.id]);
    }
    for (const cpr of persons) expect(got.get(cpr)).toEqual(written.get(cpr));
    expect(server.hits.length).toBeGreaterThan(100); // failures were really injected
  });

  it("one endpoint down (every request hangs) leaves the other's p99 low", async () => {
    const down = await startTestServer();
    const up = await startTestServer();
    servers.push(down, up);
    down.answer = () => 'hang';
    env.writeEndpoints([
      { id: 'down', url: down.url, secret: newSecret(), concurrency: 8, timeoutMs: 2000, backoffMs: 50 },
      { id: 'up', url: up.url, secret: newSecret(), concurrency: 8, timeoutMs: 2000 },
    ]);
    await env.start();
    const sentAt = new Map<string, number>();
    // 40 persons, 10 events each, 100 a second.
    for (let i = 0; i < 400; i++) {
      const e = personEvent(String(1000000000 + (i % 40)));
      sentAt.set(String(e.id), Date.now());
      await env.add(e);
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 100));
    }
    await waitFor('up got everything', () => up.delivered().length >= 400, { timeoutMs: 30000 });
    const latencies = up.delivered().map((h) => h.at - (sentAt.get(h.id) ?? h.at));
    const p99 = percentile(latencies, 99);
    const p50 = percentile(latencies, 50);
    // Shown in the test output; the README quotes it.
    process.stdout.write(
      `isolation: up endpoint p50 ${p50} ms, p99 ${p99} ms over ${latencies.length}; down got ${down.hits.length} requests\n`,
    );
    expect(down.hits.length).toBeGreaterThan(0);
    expect(up.hits).toHaveLength(400);
    expect(p99).toBeLessThan(500);
  });
});
