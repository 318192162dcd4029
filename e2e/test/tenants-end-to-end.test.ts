import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { STS_ISSUE_PATH } from '@cprh/simulator';
import {
  appMain,
  deleteAmqpQueues,
  deleteKeysAt,
  freePort,
  makeDevPki,
  spawnTs,
  TEST_AMQP_URL,
  TEST_REDIS_URL,
  uniqueName,
  waitFor,
  type DevPki,
  type SpawnedProcess,
} from '@cprh/testkit';
import { POLLER_MAIN, WORKER_MAIN } from './support/pipeline-harness';
import { ProcessSet } from './support/person-order';
import { TenantsFlow } from './support/tenants-flow';

const TENANTS = ['aarhus', 'odense', 'vejle'];
const PERSONS = 100;
const EVENTS_PER_PERSON = 3;

const cprOf = (p: number): string =>
  `0909${String(50 + (p % 40)).padStart(2, '0')}${String(p).padStart(4, '0')}`;

// Issue 20 end to end: three municipalities in one TENANTS_FILE, each with its own certificate, CVR
// and dueslag. The simulator plays KOMBIT (STS per CVR, and an AMQP front that opens a dueslag only
// to a token of its own CVR) before the real RabbitMQ; ONE poller process logs every tenant in
// through STS and ONE worker process serves all three; kill -9 of each mid-flow.
describe('three tenants end to end through STS: one poller, one worker, kill -9 of both', () => {
  const BF_URL = `${TEST_AMQP_URL}/BF`;
  const base = uniqueName('t');
  const stream = `ev-${base}`;
  const simPrefix = `sim-${base}:`;
  const simDueslag = randomUUID();
  let flow: TenantsFlow | undefined;
  let redis: Redis | undefined;
  let sim: SpawnedProcess | undefined;
  let pki: DevPki | undefined;
  const procs = new ProcessSet(() => flow?.env ?? {});

  afterEach(async () => {
    await procs.killAll();
    await sim?.stop('SIGTERM', 20000).catch(() => undefined);
    redis?.disconnect();
    await flow?.cleanup();
    await deleteAmqpQueues([simDueslag], BF_URL);
    await deleteAmqpQueues([simDueslag]);
    await deleteKeysAt(TEST_REDIS_URL, `{${base}:`);
    await deleteKeysAt(TEST_REDIS_URL, base);
    await deleteKeysAt(TEST_REDIS_URL, stream);
    await deleteKeysAt(TEST_REDIS_URL, simPrefix);
    pki?.remove();
  });

  it(`${TENANTS.length} × ${PERSONS * EVENTS_PER_PERSON} events: each tenant's exactly once in its own stream, in order per person, none in another's`, async () => {
    const dev = (pki = makeDevPki('12345678'));
    const ports = { sts: await freePort(), front: await freePort() };
    const f = (flow = new TenantsFlow({
      ids: TENANTS,
      persons: PERSONS,
      eventsPerPerson: EVENTS_PER_PERSON,
      cprOf,
      brokerUrl: BF_URL,
      certificateOf: (id, cvr) => {
        const c = dev.makeClientCert(`tenant-${id}`, { startDays: -1, endDays: 365, cvr });
        return { certFile: c.cert, keyFile: c.key };
      },
      env: {
        REDIS_URL: TEST_REDIS_URL,
        // Every tenant logs in through STS for its own CVR with its own certificate.
        AMQP_AUTH: 'sts',
        AMQP_URL: `amqps://127.0.0.1:${ports.front}/BF`,
        STS_URL: `https://127.0.0.1:${ports.sts}${STS_ISSUE_PATH}`,
        CA_FILE: dev.files.ca,
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
    sim = spawnTs(appMain('simulator'), {
      REDIS_URL: TEST_REDIS_URL,
      AMQP_URL: TEST_AMQP_URL,
      TENANTS_FILE: f.file,
      SIM_RATE: '0',
      SIM_DUESLAG: simDueslag,
      SIM_REDIS_PREFIX: simPrefix,
      SIM_STS_PORT: String(ports.sts),
      SIM_SOAP_PORT: '0',
      SIM_AMQP_FRONT: 'true',
      SIM_AMQP_FRONT_PORT: String(ports.front),
      SIM_CERTS_DIR: dev.dir,
      LOG_LEVEL: 'info',
    });
    await sim.waitForLine(/simulator ready/, 60000);
    const conn = (redis = new Redis(TEST_REDIS_URL));
    const half = (PERSONS * EVENTS_PER_PERSON) / 2;
    await f.publish(0, half);
    const published = TENANTS.length * half;

    let poller = procs.start(POLLER_MAIN);
    const worker = procs.start(WORKER_MAIN);
    await poller.waitForLine(/poller ready/, 60000);

    // kill -9 of the poller while it drains the first half: its unacked messages go back to the
    // queues and are taken again (the inbox keeps one job per BeskedId).
    let readyAtPollerKill = published;
    await waitFor('the poller draining', async () => (readyAtPollerKill = await f.ready()) < published, {
      timeoutMs: 60000,
      intervalMs: 10,
    });
    await poller.stop('SIGKILL');
    poller = procs.start(POLLER_MAIN);
    await worker.waitForLine(/worker ready/, 60000);

    // kill -9 of the worker while events flow; the second half arrives while no worker runs.
    const restarted = await f.killWorkerMidFlow(conn, {
      worker,
      restart: () => procs.start(WORKER_MAIN),
      from: half,
      alsoReady: () => poller.waitForLine(/poller ready/, 60000),
    });
    const deliveredAtWorkerKill = restarted.deliveredAtKill;
    expect(await poller.stop('SIGTERM', 20000)).toBe(0);
    expect(await restarted.worker.stop('SIGTERM', 20000)).toBe(0);

    // Not vacuous: each kill came while there was work left for the killed process.
    expect(readyAtPollerKill).toBeGreaterThan(0);
    expect(deliveredAtWorkerKill).toBeLessThan(published);
    await f.expectEachTenantExactlyOnce(conn, 1);
    // Each tenant was logged in at the front with a token for its own CVR, before and after the kill.
    for (const t of f.tenants) {
      const logins = sim.lines.filter((l) => l.includes('login accepted') && l.includes(`"cvr":"${t.cvr}"`));
      expect({ id: t.id, logins: logins.length >= 2 }).toEqual({ id: t.id, logins: true });
    }
    // Nothing under the deployment's own names: every key and stream is a tenant's.
    expect(await conn.keys(`${base}*`)).toEqual([]);
    expect(await conn.xlen(stream)).toBe(0);
  }, 150000);
});
