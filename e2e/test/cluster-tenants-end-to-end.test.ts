import { loadConfig } from '@cprh/config';
import { createProducerRedis, hashTag, partitionPipeline, type RedisConnection } from '@cprh/pipeline';
import { clusterTestEnv, startRedisCluster, type OwnRedisCluster, type PipelineTestEnv } from '@cprh/testkit';
import { POLLER_MAIN, WORKER_MAIN } from './support/pipeline-harness';
import { ProcessSet } from './support/person-order';
import { TenantsFlow } from './support/tenants-flow';

const TENANTS = ['aarhus', 'odense', 'vejle'];
const PARTITIONS = 2;
const PERSONS = 100;
const EVENTS_PER_PERSON = 3;

const cprOf = (p: number): string =>
  `1010${String(50 + (p % 40)).padStart(2, '0')}${String(p).padStart(4, '0')}`;

/** Every key on the cluster's masters (the cluster is this suite's own: nothing else is on it). */
async function masterKeys(conn: RedisConnection): Promise<string[]> {
  if (!('nodes' in conn)) throw new Error('expected a Cluster connection');
  const keys: string[] = [];
  for (const node of conn.nodes('master')) {
    let cursor = '0';
    do {
      const [next, page] = await node.scan(cursor, 'COUNT', 1000);
      cursor = next;
      keys.push(...page);
    } while (cursor !== '0');
  }
  return keys;
}

// Issue 20 end to end on the 6-node Redis Cluster with PARTITIONS=2: three municipalities in one
// TENANTS_FILE, each with its own dueslag on the real RabbitMQ; ONE poller process and ONE worker
// process serve all three; kill -9 of the worker mid-flow.
describe('three tenants end to end on a Redis Cluster with PARTITIONS=2', () => {
  let cluster: OwnRedisCluster | undefined;
  let t: PipelineTestEnv | undefined;
  let flow: TenantsFlow | undefined;
  let redis: RedisConnection | undefined;
  const procs = new ProcessSet(() => flow?.env ?? {});

  afterEach(async () => {
    await procs.killAll();
    redis?.disconnect();
    await flow?.cleanup();
    await t?.cleanup();
    await cluster?.stop();
  });

  it(`${TENANTS.length} × ${PERSONS * EVENTS_PER_PERSON} events: each tenant's exactly once in its own partition streams, in order per person, none in another's`, async () => {
    cluster = await startRedisCluster();
    t = clusterTestEnv(cluster, {
      PARTITIONS: String(PARTITIONS),
      POLLER_BATCH_SIZE: '10',
      POLLER_PREFETCH: '20',
      WORKER_LOCK_DURATION_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '500',
      WORKER_MAX_STALLED_COUNT: '10',
      ORDER_WAIT_MS: '500',
      WORKER_CONCURRENCY: '8',
      METRICS_PORT: '0',
    });
    const f = (flow = new TenantsFlow({
      ids: TENANTS,
      persons: PERSONS,
      eventsPerPerson: EVENTS_PER_PERSON,
      cprOf,
      env: t.env,
    }));
    const conn = createProducerRedis(loadConfig(['redis'], f.env).redis, 'cluster-tenants-e2e');
    redis = conn;
    await conn.connect();
    const half = (PERSONS * EVENTS_PER_PERSON) / 2;
    await f.publish(0, half);
    const published = TENANTS.length * half;

    const poller = procs.start(POLLER_MAIN);
    const worker = procs.start(WORKER_MAIN);
    await poller.waitForLine(/poller ready/, 60000);
    await worker.waitForLine(/worker ready/, 60000);

    // kill -9 of the worker while events flow; the second half arrives while no worker runs and
    // the restarted one takes over the killed one's jobs.
    const restarted = await f.killWorkerMidFlow(conn, {
      worker,
      restart: () => procs.start(WORKER_MAIN),
      from: half,
    });
    const deliveredAtWorkerKill = restarted.deliveredAtKill;
    expect(await poller.stop('SIGTERM', 20000)).toBe(0);
    expect(await restarted.worker.stop('SIGTERM', 20000)).toBe(0);

    // Not vacuous: the kill came while the first half was still being worked on.
    expect(deliveredAtWorkerKill).toBeLessThan(published);
    const perStream = await f.expectEachTenantExactlyOnce(conn, PARTITIONS);
    // Both partitions of every tenant carried events.
    for (const [id, lens] of perStream)
      expect({ id, used: lens.map((n) => n > 0) }).toEqual({ id, used: [true, true] });

    // Every key is a tenant's: under its own tag or one of its partitions' tags.
    const base = t.prefix.replace(/[{}]/g, '');
    const allowed = new Set<string>();
    for (const tenant of f.tenants) {
      allowed.add(`${base}:${tenant.id}`);
      for (let p = 0; p < PARTITIONS; p++)
        allowed.add(hashTag(partitionPipeline(tenant.pipeline, p).seqKey) ?? '');
    }
    const keys = await masterKeys(conn);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !allowed.has(hashTag(k) ?? ''))).toEqual([]);
  }, 150000);
});
