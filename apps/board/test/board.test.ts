import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '@cprh/config';
import { localIsoTime } from '@cprh/pipeline';
import { startBoard, BoardError, type RunningBoard, BOARD_SECTIONS } from '../src';

const REDIS_URL = 'redis://127.0.0.1:6379';
const auth = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

/** A port nothing listens on: bind to 0, note the port, close. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('ops board against the real Redis', () => {
  const suffix = randomUUID().slice(0, 8);
  const env = {
    REDIS_URL,
    QUEUE_PREFIX: `cprh-test-board-${suffix}`,
    INBOX_QUEUE: `inbox-${suffix}`,
    DEAD_QUEUE: `dead-${suffix}`,
    EVENTS_STREAM: `cprh-test-board-${suffix}:events`,
    ROUTES: `foedsel=cprh-test-board-${suffix}:events:foedsel`,
    BOARD_PORT: '0',
    LOG_LEVEL: 'silent',
  };
  const boards: RunningBoard[] = [];
  const redis = new Redis(REDIS_URL);
  const queueOpts = { connection: { url: REDIS_URL }, prefix: env.QUEUE_PREFIX };
  const inbox = new Queue(env.INBOX_QUEUE, queueOpts);
  const dead = new Queue(env.DEAD_QUEUE, queueOpts);

  async function start(extra: Record<string, string> = {}): Promise<RunningBoard> {
    const b = await startBoard(loadConfig(BOARD_SECTIONS, { ...env, ...extra }));
    boards.push(b);
    return b;
  }

  afterEach(async () => {
    await Promise.all(boards.splice(0).map((b) => b.close()));
  });
  afterAll(async () => {
    await inbox.obliterate({ force: true });
    await dead.obliterate({ force: true });
    await redis.del(env.EVENTS_STREAM, `cprh-test-board-${suffix}:events:foedsel`);
    await Promise.all([inbox.close(), dead.close()]);
    redis.disconnect();
  });

  it('serves the board only with the right credentials; health probes stay open', async () => {
    const b = await start({ BOARD_USER: 'ops', BOARD_PASSWORD: 's3cret' });
    expect((await fetch(b.url)).status).toBe(401);
    expect((await fetch(b.url)).headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect((await fetch(b.url, { headers: auth('ops', 'wrong') })).status).toBe(401);
    expect((await fetch(b.url, { headers: auth('other', 's3cret') })).status).toBe(401);
    expect((await fetch(`${b.url}metrics`)).status).toBe(401);
    expect((await fetch(`${b.url}api/queues`)).status).toBe(401);

    const page = await fetch(b.url, { headers: auth('ops', 's3cret') });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>cprh (read-only)</title>');
    const api = await fetch(`${b.url}api/queues`, { headers: auth('ops', 's3cret') });
    const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names.sort()).toEqual([env.DEAD_QUEUE, env.INBOX_QUEUE].sort());

    expect((await fetch(`${b.url}healthz`)).status).toBe(200);
    expect((await fetch(`${b.url}readyz`)).status).toBe(200);
  });

  it('shows dead letters with local ISO 8601 times and no "No workers" warning on the dead queue', async () => {
    const at = Date.UTC(2026, 11, 1, 9, 30);
    await dead.add(
      'dead',
      {
        code: 'BESKED_FIELD_MISSING',
        message: 'm',
        attempts: 1,
        firstFailedAt: at,
        lastFailedAt: at,
        receivedAt: at,
      },
      { jobId: 'b-times' },
    );
    try {
      const b = await start();
      const api = (await (
        await fetch(`${b.url}api/queues?activeQueue=${env.DEAD_QUEUE}&status=waiting`)
      ).json()) as {
        queues: {
          name: string;
          hasWorkers: boolean | null;
          description?: string;
          jobs: { data: Record<string, unknown> }[];
        }[];
      };
      const queue = (name: string) => api.queues.find((q) => q.name === name);
      // Nothing reads the dead queue by design: "unknown" to Bull Board, so no warning; the inbox
      // without a worker still warns.
      expect(queue(env.DEAD_QUEUE)?.hasWorkers).toBeNull();
      expect(queue(env.DEAD_QUEUE)?.description).toMatch(/no worker reads this queue/);
      expect(queue(env.INBOX_QUEUE)?.hasWorkers).toBe(false);
      const data = queue(env.DEAD_QUEUE)?.jobs[0]?.data ?? {};
      const local = localIsoTime(at);
      expect(local).toMatch(/^2026-12-01T\d\d:30:00\.000[+-]\d\d:\d\d$/);
      expect(data).toMatchObject({ firstFailedAt: local, lastFailedAt: local, receivedAt: local });
    } finally {
      // Other tests count the dead queue's jobs.
      await dead.remove('b-times');
    }
  });

  it('is read-only by default and read-write only when BOARD_READ_WRITE=true', async () => {
    const ro = await start();
    const pause = (url: string) => fetch(`${url}api/queues/${env.INBOX_QUEUE}/pause`, { method: 'PUT' });
    expect((await pause(ro.url)).status).toBe(405);
    expect(await inbox.isPaused()).toBe(false);

    const rw = await start({ BOARD_READ_WRITE: 'true' });
    expect((await pause(rw.url)).status).toBe(200);
    expect(await inbox.isPaused()).toBe(true);
    await inbox.resume();
  });

  it('reports job counts, dead letters and the stream length in /metrics at scrape time', async () => {
    const b = await start();
    await inbox.addBulk([
      { name: 'besked', data: { n: 1 }, opts: { jobId: `job-a-${suffix}` } },
      { name: 'besked', data: { n: 2 }, opts: { jobId: `job-b-${suffix}` } },
      { name: 'besked', data: { n: 3 }, opts: { jobId: `job-c-${suffix}` } },
    ]);
    await inbox.add('besked', { n: 4 }, { jobId: `job-d-${suffix}`, delay: 60_000 });
    await dead.add('dead-letter', { code: 'X' }, { jobId: `dead-a-${suffix}` });
    await dead.add('dead-letter', { code: 'Y' }, { jobId: `dead-b-${suffix}` });
    for (let i = 0; i < 5; i++) await redis.xadd(env.EVENTS_STREAM, '*', 'id', `e${i}`);
    await redis.xadd(`cprh-test-board-${suffix}:events:foedsel`, '*', 'id', 'e1');

    const res = await fetch(`${b.url}metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const value = (line: string) => {
      const found = text.split('\n').find((l) => l.startsWith(`${line} `));
      return found === undefined ? undefined : Number(found.slice(line.length + 1));
    };
    expect(value(`cprh_queue_jobs{queue="${env.INBOX_QUEUE}",state="waiting",tenant="default"}`)).toBe(3);
    expect(value(`cprh_queue_jobs{queue="${env.INBOX_QUEUE}",state="delayed",tenant="default"}`)).toBe(1);
    expect(value(`cprh_queue_jobs{queue="${env.INBOX_QUEUE}",state="failed",tenant="default"}`)).toBe(0);
    expect(value(`cprh_queue_jobs{queue="${env.INBOX_QUEUE}",state="completed",tenant="default"}`)).toBe(0);
    expect(value(`cprh_queue_jobs{queue="${env.DEAD_QUEUE}",state="waiting",tenant="default"}`)).toBe(2);
    expect(value(`cprh_dead_letters{queue="${env.DEAD_QUEUE}",tenant="default"}`)).toBe(2);
    expect(value(`cprh_events_stream_length{stream="${env.EVENTS_STREAM}",tenant="default"}`)).toBe(5);
    expect(
      value(`cprh_events_stream_length{stream="cprh-test-board-${suffix}:events:foedsel",tenant="default"}`),
    ).toBe(1);
    expect(value('cprh_redis_up')).toBe(1);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    // Ids never become labels.
    expect(text).not.toContain('job-a-');
    expect(text).not.toContain('dead-a-');

    // Read at scrape time: a new entry shows on the next scrape.
    await redis.xadd(env.EVENTS_STREAM, '*', 'id', 'e5');
    const again = await (await fetch(`${b.url}metrics`)).text();
    expect(again).toContain(`cprh_events_stream_length{stream="${env.EVENTS_STREAM}",tenant="default"} 6`);
  });

  it('answers /readyz 503 with a reason when Redis is unreachable, and stays alive', async () => {
    const port = await closedPort();
    const b = await start({ REDIS_URL: `redis://127.0.0.1:${port}` });
    const t0 = Date.now();
    const ready = await fetch(`${b.url}readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { status: string; reason: string };
    expect(body.status).toBe('unavailable');
    expect(body.reason).toMatch(/^redis: /);
    expect((await fetch(`${b.url}healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${b.url}metrics`)).text();
    expect(metrics).toMatch(/^cprh_redis_up 0$/m);
    expect(metrics).not.toContain('cprh_queue_jobs{');
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  describe('with its own redis-server that goes away', () => {
    let child: ChildProcess | undefined;
    afterEach(() => {
      child?.kill('SIGKILL');
    });

    it('turns ready -> not ready when Redis dies, then back when it returns', async () => {
      const port = await closedPort();
      const spawnRedis = async () => {
        const c = spawn(
          'redis-server',
          ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
          {
            stdio: 'ignore',
          },
        );
        const probe = new Redis({
          port,
          lazyConnect: true,
          retryStrategy: () => 50,
          maxRetriesPerRequest: null,
        });
        probe.on('error', () => undefined);
        await probe.connect().catch(() => undefined);
        await probe.ping();
        probe.disconnect();
        return c;
      };
      child = await spawnRedis();
      const b = await start({ REDIS_URL: `redis://127.0.0.1:${port}` });
      expect((await fetch(`${b.url}readyz`)).status).toBe(200);

      child.kill('SIGKILL');
      await once(child, 'exit');
      expect((await fetch(`${b.url}readyz`)).status).toBe(503);
      expect(await (await fetch(`${b.url}metrics`)).text()).toMatch(/^cprh_redis_up 0$/m);

      child = await spawnRedis();
      const deadline = Date.now() + 15_000;
      let status = 0;
      while (Date.now() < deadline) {
        status = (await fetch(`${b.url}readyz`)).status;
        if (status === 200) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(200);
    });
  });

  it('refuses a non-loopback bind without credentials, with one line naming the fix', async () => {
    const err: unknown = await startBoard(
      loadConfig(BOARD_SECTIONS, { ...env, BOARD_HOST: '0.0.0.0' }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BoardError);
    expect((err as BoardError).code).toBe('BOARD_UNPROTECTED_BIND');
    expect((err as BoardError).message).not.toContain('\n');
    expect((err as BoardError).message).toMatch(/BOARD_USER and BOARD_PASSWORD/);

    const b = await start({ BOARD_HOST: '0.0.0.0', BOARD_USER: 'ops', BOARD_PASSWORD: 'pw' });
    expect(b.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
    const port = new URL(b.url).port;
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('fails with a one-line error when the port is taken', async () => {
    const first = await start();
    const port = new URL(first.url).port;
    const err: unknown = await startBoard(loadConfig(BOARD_SECTIONS, { ...env, BOARD_PORT: port })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BoardError);
    expect((err as BoardError).code).toBe('BOARD_LISTEN_FAILED');
  });
});
