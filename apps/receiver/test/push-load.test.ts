import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDevPki, startRedisServer, type OwnRedisServer } from '@cprh/testkit';
import { pushAll, pushClient, startTestReceiver, type ReceiverUnderTest } from './support/receiver-harness';

const N = 1000;
const CONNECTIONS = 20;

describe('pushes under load', () => {
  const pki = makeDevPki();
  let client: ReturnType<typeof pushClient>;

  beforeAll(() => {
    client = pushClient(pki, {
      cert: pki.path('client.crt'),
      key: pki.path('client.key'),
      connections: CONNECTIONS,
    });
  });
  afterAll(async () => {
    await client.close();
    pki.remove();
  });

  /** Inbox job ids, and whether each expected message is there exactly once. */
  async function expectEachOnce(rx: ReceiverUnderTest, ids: readonly string[]): Promise<void> {
    const jobs = await rx.inboxJobs();
    const jobIds = jobs.map((j) => j.id).sort();
    expect(jobIds).toEqual(ids.map((id) => `b-${id}`).sort());
    expect(new Set(jobIds).size).toBe(ids.length);
  }

  it(`${N} pushes at ${CONNECTIONS} concurrent connections give ${N} inbox entries, once each; pushed twice, still once`, async () => {
    const rx = await startTestReceiver(pki);
    try {
      const ids = Array.from({ length: N }, () => randomUUID());
      const first = await pushAll(client, rx.url, ids, { concurrency: CONNECTIONS });
      expect([first.accepted.length, first.statuses.get(200)]).toEqual([N, N]);
      await expectEachOnce(rx, ids);
      const again = await pushAll(client, rx.url, ids, { concurrency: CONNECTIONS });
      expect(again.statuses.get(200)).toBe(N);
      await expectEachOnce(rx, ids);
    } finally {
      await rx.stop();
    }
  });

  describe("with the test's own Redis stopped mid-run (AOF, fsync always)", () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cprh-rx-load-'));
    let redis: OwnRedisServer;
    beforeAll(async () => {
      redis = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dataDir]);
    });
    afterAll(async () => {
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('answers 503 while it is down, never 20 for a message not stored, and has every message once after the restart', async () => {
      const rx = await startTestReceiver(pki, { REDIS_URL: redis.url, RECEIVER_STORE_TIMEOUT_MS: '1000' });
      try {
        const ids = Array.from({ length: N }, () => randomUUID());
        let outage: Promise<void> | undefined;
        let acceptedBeforeRestart = 0;
        const run = await pushAll(client, rx.url, ids, {
          concurrency: CONNECTIONS,
          retryMs: 100,
          onAnswer: (live) => {
            if (outage !== undefined || live.accepted.length < N / 4) return;
            outage = (async () => {
              await redis.kill();
              await new Promise((res) => setTimeout(res, 1500));
              acceptedBeforeRestart = live.accepted.length;
              await redis.start();
            })();
          },
        });
        await outage;
        expect(outage).toBeDefined();
        expect(run.statuses.get(503) ?? 0).toBeGreaterThan(0);
        expect(acceptedBeforeRestart).toBeLessThan(N);
        // Every message answered 20 (the sender stops sending it then) is in the inbox, once.
        expect(new Set(run.accepted).size).toBe(N);
        await expectEachOnce(rx, ids);
      } finally {
        await rx.stop();
      }
    });
  });
});
