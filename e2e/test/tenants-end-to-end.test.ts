import Redis from 'ioredis';
import { deleteKeysAt, TEST_AMQP_URL, TEST_REDIS_URL, uniqueName, waitFor } from '@cprh/testkit';
import { POLLER_MAIN, WORKER_MAIN } from './support/pipeline-harness';
import { ProcessSet } from './support/person-order';
import { TenantsFlow } from './support/tenants-flow';

const TENANTS = ['aarhus', 'odense', 'vejle'];
const PERSONS = 100;
const EVENTS_PER_PERSON = 3;

const cprOf = (p: number): string =>
  `0909${String(50 + (p % 40)).padStart(2, '0')}${String(p).padStart(4, '0')}`;

// Issue 20 end to end: three municipalities in one TENANTS_FILE, each with its own dueslag on the
// real RabbitMQ; ONE poller process and ONE worker process serve all three; kill -9 of each mid-flow.
describe('three tenants end to end: one poller, one worker, kill -9 of both', () => {
  const base = uniqueName('t');
  const stream = `ev-${base}`;
  let flow: TenantsFlow | undefined;
  let redis: Redis | undefined;
  const procs = new ProcessSet(() => flow?.env ?? {});

  afterEach(async () => {
    await procs.killAll();
    redis?.disconnect();
    await flow?.cleanup();
    await deleteKeysAt(TEST_REDIS_URL, `{${base}:`);
    await deleteKeysAt(TEST_REDIS_URL, base);
    await deleteKeysAt(TEST_REDIS_URL, stream);
  });

  it(`${TENANTS.length} × ${PERSONS * EVENTS_PER_PERSON} events: each tenant's exactly once in its own stream, in order per person, none in another's`, async () => {
    const f = (flow = new TenantsFlow({
      ids: TENANTS,
      persons: PERSONS,
      eventsPerPerson: EVENTS_PER_PERSON,
      cprOf,
      env: {
        REDIS_URL: TEST_REDIS_URL,
        AMQP_URL: TEST_AMQP_URL,
        QUEUE_PREFIX: base,
        EVENTS_STREAM: stream,
        POLLER_RETRY_MIN_MS: '100',
        POLLER_RETRY_MAX_MS: '1000',
        // Small batches: the poller is still draining when it is killed.
        POLLER_BATCH_SIZE: '10',
        POLLER_PREFETCH: '20',
        JOB_BACKOFF_MS: '200',
        // A killed worker's jobs are taken over quickly.
        WORKER_LOCK_DURATION_MS: '2000',
        WORKER_STALLED_INTERVAL_MS: '500',
        WORKER_MAX_STALLED_COUNT: '10',
        ORDER_WAIT_MS: '500',
        WORKER_CONCURRENCY: '8',
        METRICS_PORT: '0',
      },
    }));
    const conn = (redis = new Redis(TEST_REDIS_URL));
    const half = (PERSONS * EVENTS_PER_PERSON) / 2;
    await f.publish(0, half);
    const published = TENANTS.length * half;

    let poller = procs.start(POLLER_MAIN);
    let worker = procs.start(WORKER_MAIN);
    await poller.waitForLine(/poller ready/, 60000);
    await worker.waitForLine(/worker ready/, 60000);

    // kill -9 of the poller while it drains the first half: its unacked messages go back to the
    // queues and are taken again (the inbox keeps one job per BeskedId).
    await waitFor('the poller draining', async () => (await f.ready()) < published, {
      timeoutMs: 60000,
      intervalMs: 20,
    });
    await poller.stop('SIGKILL');
    const readyAtPollerKill = await f.ready();
    poller = procs.start(POLLER_MAIN);

    // kill -9 of the worker while events flow; the second half arrives while no worker runs.
    await waitFor('events flowing', async () => (await f.delivered(conn)) >= 60, {
      timeoutMs: 60000,
      intervalMs: 20,
    });
    await worker.stop('SIGKILL');
    const deliveredAtWorkerKill = await f.delivered(conn);
    await f.publish(half);
    worker = procs.start(WORKER_MAIN);
    await poller.waitForLine(/poller ready/, 60000);
    await worker.waitForLine(/worker ready/, 60000);

    await waitFor(`all ${f.total} events`, async () => (await f.delivered(conn)) >= f.total, {
      timeoutMs: 120000,
      intervalMs: 250,
    });
    expect(await poller.stop('SIGTERM', 20000)).toBe(0);
    expect(await worker.stop('SIGTERM', 20000)).toBe(0);

    // Not vacuous: each kill came while there was work left for the killed process.
    expect(readyAtPollerKill).toBeGreaterThan(0);
    expect(deliveredAtWorkerKill).toBeLessThan(published);
    await f.expectEachTenantExactlyOnce(conn, 1);
    // Nothing under the deployment's own names: every key and stream is a tenant's.
    expect(await conn.keys(`${base}*`)).toEqual([]);
    expect(await conn.xlen(stream)).toBe(0);
  }, 150000);
});
