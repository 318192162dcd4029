import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { makeDevPki, sleep, startRedisServer, waitFor, type OwnRedisServer } from '@cprh/testkit';
import {
  expectValidAnswers,
  pushBody,
  pushClient,
  startTestReceiver,
  type PushReply,
  type ReceiverUnderTest,
} from './support/receiver-harness';

// Each test takes its OWN redis-server away (never the shared one on 6379).
describe('receiver while Redis is away or slow', () => {
  const pki = makeDevPki();
  const dataDir = mkdtempSync(join(tmpdir(), 'cprh-rx-redis-'));
  let redis: OwnRedisServer;
  let admin: Redis;
  let client: ReturnType<typeof pushClient>;
  const replies: PushReply[] = [];
  let rx: ReceiverUnderTest | undefined;

  const start = async (env: Record<string, string> = {}): Promise<ReceiverUnderTest> => {
    rx = await startTestReceiver(pki, { REDIS_URL: redis.url, RECEIVER_STORE_TIMEOUT_MS: '500', ...env });
    return rx;
  };
  const send = async (url: string, body: string): Promise<PushReply> => {
    const r = await client.send(url, body);
    replies.push(r);
    return r;
  };
  /** Holds every write on the test's Redis for `ms` (reads still answer). */
  const pauseWrites = (ms: number) => admin.call('CLIENT', 'PAUSE', String(ms), 'WRITE');

  beforeAll(async () => {
    redis = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dataDir]);
    admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    admin.on('error', () => undefined);
    client = pushClient(pki, { cert: pki.path('client.crt'), key: pki.path('client.key'), connections: 8 });
  });
  afterEach(async () => {
    await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
    await rx?.stop();
    rx = undefined;
  });
  afterAll(async () => {
    await client.close();
    admin.disconnect();
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
    pki.remove();
  });

  it('answers 503 (StatusKode 50, Retry-After) and stores nothing while Redis is down; 20 once it is back', async () => {
    const r = await start();
    await redis.kill();
    const body = pushBody();
    const down = await send(r.url, body);
    expect([down.status, down.statusKode, down.headers['retry-after']]).toEqual([503, 50, '1']);
    await redis.start();
    const back = await waitFor('a 20 after Redis is back', async () => {
      const a = await send(r.url, body);
      return a.statusKode === 20 ? a : undefined;
    });
    expect(back.status).toBe(200);
    expect(await r.inboxJobs()).toHaveLength(1);
  });

  it('answers 503 when Redis does not confirm within RECEIVER_STORE_TIMEOUT_MS; the retry is stored once', async () => {
    const r = await start();
    const body = pushBody();
    await pauseWrites(3000);
    const t0 = Date.now();
    const slow = await send(r.url, body);
    expect([slow.status, slow.statusKode]).toEqual([503, 50]);
    expect(Date.now() - t0).toBeLessThan(2500);
    await admin.call('CLIENT', 'UNPAUSE');
    // The late write may land after all; the retry finds it and still answers 20, one job.
    const retry = await waitFor('a 20 after unpause', async () => {
      const a = await send(r.url, body);
      return a.statusKode === 20 ? a : undefined;
    });
    expect(retry.status).toBe(200);
    expect(await r.inboxJobs()).toHaveLength(1);
  });

  it('answers 503 beyond RECEIVER_MAX_IN_FLIGHT requests at once, at once', async () => {
    const r = await start({ RECEIVER_MAX_IN_FLIGHT: '2', RECEIVER_STORE_TIMEOUT_MS: '5000' });
    await pauseWrites(1500);
    const held = [send(r.url, pushBody()), send(r.url, pushBody())];
    await sleep(200); // both are waiting for Redis now
    const t0 = Date.now();
    const third = await send(r.url, pushBody());
    expect([third.status, third.statusKode]).toEqual([503, 50]);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect((await Promise.all(held)).map((a) => a.statusKode)).toEqual([20, 20]);
    expect(await r.inboxJobs()).toHaveLength(2);
  });

  it('stops gracefully: a push in flight gets its answer, then the port is closed', async () => {
    const r = await start({ RECEIVER_STORE_TIMEOUT_MS: '5000' });
    const url = r.url;
    await send(url, pushBody()); // a keep-alive connection, idle when stop begins
    await pauseWrites(800);
    const inFlight = send(url, pushBody());
    await sleep(200);
    const stopped = r.receiver.stop();
    const answer = await inFlight;
    expect([answer.status, answer.statusKode, answer.headers.connection]).toEqual([200, 20, 'close']);
    await stopped;
    await expect(client.send(url, pushBody())).rejects.toThrow();
    expect(await r.inboxJobs()).toHaveLength(2);
    // The harness's stop() must not stop it twice.
    // (Only the harness's own connections are left to close: a Redis client left open keeps
    // reconnecting to this file's redis-server after it stops, and jest never exits.)
    rx = { ...r, stop: () => r.release() };
  });

  it('every answer above is a valid ModtagBeskedOutput', async () => {
    expect(replies.length).toBeGreaterThan(6);
    await expectValidAnswers(replies);
  });
});
