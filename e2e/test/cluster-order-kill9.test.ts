import { loadConfig } from '@cprh/config';
import {
  createDeadQueue,
  createProducerRedis,
  partitionPipeline,
  partitionStreams,
  type RedisConnection,
} from '@cprh/pipeline';
import {
  brokerMessageCount,
  startRedisCluster,
  waitFor,
  type OwnRedisCluster,
  type PipelineTestEnv,
  type SpawnedProcess,
} from '@cprh/testkit';
import {
  expectExactlyOnce,
  publish,
  readyInQueue,
  POLLER_MAIN,
  WORKER_MAIN,
} from './support/pipeline-harness';
import { personFeed, ProcessSet, readPersonStreams, spreadClusterEnv } from './support/person-order';

const PARTITIONS = 4;
// Enough that the last kill still comes while events flow (a faster pipeline drained 3,000 before it).
const PERSONS = 1000;
const EVENTS_PER_PERSON = 5;
const TOTAL = PERSONS * EVENTS_PER_PERSON;

const cprOf = (p: number): string =>
  `0303${String(50 + (p % 40)).padStart(2, '0')}${String(p).padStart(4, '0')}`;

// The 6-node Redis Cluster (3 masters, 3 replicas) with PARTITIONS=4 over at least 2 masters, the
// real poller and 3 worker processes, the real RabbitMQ. While events flow: kill -9 of two workers,
// of the poller, and of the master holding partition 0 (its replica takes over).
describe('order per person on a Redis Cluster through kill -9 of the poller, workers and a master', () => {
  let cluster: OwnRedisCluster | undefined;
  let t: PipelineTestEnv | undefined;
  let redis: RedisConnection | undefined;
  const procs = new ProcessSet(() => t?.env ?? {});

  afterEach(async () => {
    await procs.killAll();
    redis?.disconnect();
    await t?.cleanup();
    await cluster?.stop();
  });

  it(`${TOTAL} events of ${PERSONS} persons in ${PARTITIONS} partitions: 0 lost, 0 duplicated, 0 persons out of order`, async () => {
    cluster = await startRedisCluster();
    const spread = await spreadClusterEnv(cluster, PARTITIONS, {
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '500',
      WORKER_MAX_STALLED_COUNT: '10',
      ORDER_WAIT_MS: '500',
      POLLER_BATCH_SIZE: '50',
      POLLER_PREFETCH: '100',
      WORKER_CONCURRENCY: '8',
    });
    t = spread.t;
    expect(spread.masters.size).toBeGreaterThanOrEqual(2);
    const env = t.env;
    const pipeline = loadConfig(['pipeline'], env).pipeline;
    const streams = partitionStreams(pipeline, t.stream);
    const conn = createProducerRedis(loadConfig(['redis'], env).redis, 'cluster-order-kill9');
    redis = conn;
    await conn.connect();
    const { bodies, order } = personFeed({
      persons: PERSONS,
      eventsPerPerson: EVENTS_PER_PERSON,
      cprOf,
      shuffle: true,
    });
    await publish(env, bodies);

    const running: { poller: SpawnedProcess; workers: SpawnedProcess[] } = {
      poller: procs.start(POLLER_MAIN),
      workers: [procs.start(WORKER_MAIN), procs.start(WORKER_MAIN), procs.start(WORKER_MAIN)],
    };
    await running.poller.waitForLine(/poller ready/, 30000);
    const delivered = async (): Promise<number> =>
      (await Promise.all(streams.map((s) => conn.xlen(s)))).reduce((a, b) => a + b, 0);
    await waitFor('events flowing', async () => (await delivered()) >= 50, {
      timeoutMs: 60000,
      intervalMs: 50,
    });

    // Each kill happens while events still flow: the count at each is recorded and checked below.
    const atKill: Record<string, number> = {};
    const killWorker = async (i: number, name: string): Promise<void> => {
      atKill[name] = await delivered();
      await running.workers[i]!.stop('SIGKILL');
      running.workers[i] = procs.start(WORKER_MAIN);
    };
    await killWorker(0, 'worker 1');
    // Started before the master goes: a process starting during a failover exits (its start-up
    // check cannot reach the slot), which a supervisor restarts; here that would only be noise.
    await running.workers[0]!.waitForLine(/worker started/, 30000);

    const inboxKey = partitionPipeline(pipeline, 0).seqKey;
    const master = await cluster.masterOf(inboxKey);
    const [replica] = await cluster.replicasOf(master);
    expect(replica).toBeDefined();
    atKill.master = await delivered();
    await cluster.kill(master);
    await waitFor('replica promoted', async () => (await cluster!.masterOf(inboxKey)) === replica, {
      timeoutMs: 30000,
      intervalMs: 250,
    });
    // The promoted master has no replica, so its partition's inbox writes are not confirmed (WAIT)
    // and the poller acks nothing until the crashed node is back as its replica.
    await cluster.restart(master);

    atKill.poller = await delivered();
    await running.poller.stop('SIGKILL');
    running.poller = procs.start(POLLER_MAIN);
    await running.poller.waitForLine(/poller ready/, 30000);
    await killWorker(1, 'worker 2');
    for (const [i, w] of running.workers.entries()) {
      await w.waitForLine(/worker started/, 30000).catch(async (err: unknown) => {
        process.stderr.write(
          `worker ${i} ended with ${String(await w.waitForExit(1000).catch(() => 'running'))}\n`,
        );
        throw err;
      });
    }

    await waitFor(`all ${TOTAL} events`, async () => (await delivered()) >= TOTAL, {
      timeoutMs: 240000,
      intervalMs: 500,
    }).catch(async (err: unknown) => {
      process.stderr.write(
        `delivered ${await delivered()}, broker ${await brokerMessageCount(t!.dueslag)}\n` +
          `poller:\n${running.poller.lines.slice(-15).join('\n')}\n`,
      );
      throw err;
    });
    for (const p of [running.poller, ...running.workers]) expect(await p.stop('SIGTERM')).toBe(0);

    // Not vacuous: every kill came before the last event was in a stream.
    for (const [name, n] of Object.entries(atKill))
      expect({ name, beforeTheEnd: n < TOTAL }).toEqual({ name, beforeTheEnd: true });
    expect(Object.keys(atKill).sort()).toEqual(['master', 'poller', 'worker 1', 'worker 2']);
    for (let p = 0; p < PARTITIONS; p++) {
      const dead = createDeadQueue(conn, partitionPipeline(pipeline, p));
      try {
        expect(await dead.count()).toBe(0);
      } finally {
        await dead.close();
      }
    }
    const r = await readPersonStreams(conn, streams, order);
    expectExactlyOnce(r.perStream.flat(), [...order.keys()]);
    expect(await readyInQueue(t.dueslag)).toBe(0);
    expect(r.outOfOrder).toEqual([]);
    expect(r.personsInTwo).toBe(0);
  }, 420000);
});
