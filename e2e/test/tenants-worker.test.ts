import { rmSync } from 'node:fs';
import Redis from 'ioredis';
import { createDeadQueue } from '@cprh/pipeline';
import { deleteKeysAt, pipelineTestEnv, TEST_REDIS_URL, waitFor, type PipelineTestEnv } from '@cprh/testkit';
import { expectExactlyOnce, streamEventIds, WORKER_MAIN } from './support/pipeline-harness';
import { personFeed, ProcessSet, readPersonStreams, type PersonOrder } from './support/person-order';
import { tenantDelivered, tenantPipelines, writeTenantsFile, writeToInbox } from './support/tenant-inboxes';

const TENANTS = ['north', 'south', 'west'];
const PERSONS = 200;
const EVENTS_PER_PERSON = 5;
const PER_TENANT = PERSONS * EVENTS_PER_PERSON;
const TOTAL = TENANTS.length * PER_TENANT;

/** The same persons in every municipality (a person who moved): their order keys must not meet. */
const cprOf = (p: number): string =>
  `0505${String(60 + (p % 30)).padStart(2, '0')}${String(p).padStart(4, '0')}`;

// One worker process with TENANTS_FILE serves three tenants' inboxes; kill -9 of it mid-way.
describe('worker with TENANTS_FILE: three tenants in one process', () => {
  let t: PipelineTestEnv | undefined;
  let redis: Redis | undefined;
  let dir: string | undefined;
  const procs = new ProcessSet(() => ({}));

  afterEach(async () => {
    await procs.killAll();
    redis?.disconnect();
    if (t) await deleteKeysAt(TEST_REDIS_URL, `{${t.prefix}:`);
    await t?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`${TOTAL} events of ${TENANTS.length} tenants: each exactly once in its own stream, in order per person, through kill -9`, async () => {
    t = pipelineTestEnv({
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '500',
      WORKER_MAX_STALLED_COUNT: '10',
      ORDER_WAIT_MS: '500',
      WORKER_CONCURRENCY: '8',
    });
    const tenantsFile = writeTenantsFile(TENANTS.map((id) => ({ id })));
    dir = tenantsFile.dir;
    const env = { ...t.env, TENANTS_FILE: tenantsFile.file, LOG_LEVEL: 'info' };
    const conn = new Redis(TEST_REDIS_URL);
    redis = conn;
    const pipelines = tenantPipelines(env);
    expect([...pipelines.keys()]).toEqual(TENANTS);
    const feeds = new Map<string, { bodies: Buffer[]; order: PersonOrder }>(
      TENANTS.map((id) => [
        id,
        personFeed({ persons: PERSONS, eventsPerPerson: EVENTS_PER_PERSON, cprOf, shuffle: true }),
      ]),
    );
    const half = PER_TENANT / 2;
    for (const [id, feed] of feeds) await writeToInbox(conn, pipelines.get(id)!, feed.bodies.slice(0, half));

    const delivered = async (): Promise<number> =>
      (await Promise.all([...pipelines.values()].map((p) => tenantDelivered(conn, p)))).reduce(
        (a, b) => a + b,
        0,
      );
    let worker = procs.start(WORKER_MAIN, env);
    await worker.waitForLine(/worker ready/, 60000);
    await waitFor('events flowing', async () => (await delivered()) >= 300, {
      timeoutMs: 60000,
      intervalMs: 20,
    });
    const atKill = await delivered();
    await worker.stop('SIGKILL');

    // The second half arrives while no worker runs; the restarted one takes over the killed one's jobs.
    for (const [id, feed] of feeds) await writeToInbox(conn, pipelines.get(id)!, feed.bodies.slice(half));
    worker = procs.start(WORKER_MAIN, env);
    await worker.waitForLine(/worker ready/, 60000);
    await waitFor(`all ${TOTAL} events`, async () => (await delivered()) >= TOTAL, {
      timeoutMs: 180000,
      intervalMs: 500,
    });
    expect(await worker.stop('SIGTERM')).toBe(0);
    // Not vacuous: the kill came while the first half was still being worked on.
    expect(atKill).toBeLessThan(TENANTS.length * half);

    for (const [id, feed] of feeds) {
      const pipeline = pipelines.get(id)!;
      // Exactly this tenant's events, once each: another tenant's would show as `extra`.
      expectExactlyOnce(await streamEventIds(conn, pipeline.eventsStream), [...feed.order.keys()]);
      expect((await readPersonStreams(conn, [pipeline.eventsStream], feed.order)).outOfOrder).toEqual([]);
      const dead = createDeadQueue(conn, pipeline);
      try {
        expect({ id, dead: await dead.count() }).toEqual({ id, dead: 0 });
      } finally {
        await dead.close();
      }
      expect(await conn.keys(`${pipeline.orderKeyPrefix}*`)).toEqual([]);
    }
    // Nothing under the deployment's own names: every key is a tenant's.
    expect(await conn.xlen(t.stream)).toBe(0);
    expect(await conn.keys(`${t.prefix}:*`)).toEqual(
      expect.not.arrayContaining([
        expect.stringMatching(new RegExp(`^${t.prefix}:(inbox|dead|dispatched|order)`)),
      ]),
    );
  }, 300000);
});
