import { rmSync } from 'node:fs';
import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import {
  createDeadQueue,
  createProducerRedis,
  hashTag,
  keySlot,
  partitionPipeline,
  type RedisConnection,
} from '@cprh/pipeline';
import {
  clusterTestEnv,
  startRedisCluster,
  waitFor,
  type OwnRedisCluster,
  type PipelineTestEnv,
} from '@cprh/testkit';
import { expectExactlyOnce, WORKER_MAIN } from './support/pipeline-harness';
import { personFeed, ProcessSet, readPersonStreams, type PersonOrder } from './support/person-order';
import {
  tenantDelivered,
  tenantPipelines,
  tenantStreams,
  writeTenantsFile,
  writeToInbox,
} from './support/tenant-inboxes';

const TENANTS = ['aarhus', 'odense', 'vejle'];
const PARTITIONS = 2;
const PERSONS = 150;
const EVENTS_PER_PERSON = 4;
const PER_TENANT = PERSONS * EVENTS_PER_PERSON;
const TOTAL = TENANTS.length * PER_TENANT;

const cprOf = (p: number): string =>
  `0707${String(40 + (p % 40)).padStart(2, '0')}${String(p).padStart(4, '0')}`;

/** Every key on the cluster's masters (the cluster is this suite's own: nothing else is on it). */
async function allKeys(cluster: OwnRedisCluster): Promise<string[]> {
  const keys: string[] = [];
  for (const port of cluster.ports) {
    const node = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await node.connect();
      const role = (await node.call('ROLE')) as [string, ...unknown[]];
      if (role[0] !== 'master') continue;
      let cursor = '0';
      do {
        const [next, page] = await node.scan(cursor, 'COUNT', 1000);
        cursor = next;
        keys.push(...page);
      } while (cursor !== '0');
    } finally {
      node.disconnect();
    }
  }
  return keys;
}

// Three tenants on the 6-node Redis Cluster with PARTITIONS=2, one worker process serving all.
describe('three tenants on a Redis Cluster with PARTITIONS=2', () => {
  let cluster: OwnRedisCluster | undefined;
  let t: PipelineTestEnv | undefined;
  let redis: RedisConnection | undefined;
  let dir: string | undefined;
  const procs = new ProcessSet(() => ({}));

  afterEach(async () => {
    await procs.killAll();
    redis?.disconnect();
    await t?.cleanup();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`${TOTAL} events: each tenant's exactly once in its own partition streams, every key under its tenant's partition tag`, async () => {
    cluster = await startRedisCluster();
    t = clusterTestEnv(cluster, { PARTITIONS: String(PARTITIONS), WORKER_CONCURRENCY: '8' });
    const tenantsFile = writeTenantsFile(TENANTS.map((id) => ({ id })));
    dir = tenantsFile.dir;
    const env = { ...t.env, TENANTS_FILE: tenantsFile.file, LOG_LEVEL: 'info' };
    const conn = createProducerRedis(loadConfig(['redis'], env).redis, 'cluster-tenants');
    redis = conn;
    await conn.connect();
    const pipelines = tenantPipelines(env);
    const feeds = new Map<string, { bodies: Buffer[]; order: PersonOrder }>(
      TENANTS.map((id) => [
        id,
        personFeed({ persons: PERSONS, eventsPerPerson: EVENTS_PER_PERSON, cprOf, shuffle: true }),
      ]),
    );
    for (const [id, feed] of feeds) await writeToInbox(conn, pipelines.get(id)!, feed.bodies);

    const worker = procs.start(WORKER_MAIN, env);
    await worker.waitForLine(/worker ready/, 60000);
    const delivered = async (): Promise<number> =>
      (await Promise.all([...pipelines.values()].map((p) => tenantDelivered(conn, p)))).reduce(
        (a, b) => a + b,
        0,
      );
    await waitFor(`all ${TOTAL} events`, async () => (await delivered()) >= TOTAL, {
      timeoutMs: 240000,
      intervalMs: 500,
    });
    expect(await worker.stop('SIGTERM')).toBe(0);

    const base = t.prefix.replace(/[{}]/g, '');
    const allowed = new Set<string>();
    for (const [id, feed] of feeds) {
      const pipeline = pipelines.get(id)!;
      expect(pipeline.queuePrefix).toBe(`{${base}:${id}}`);
      const streams = tenantStreams(pipeline);
      expect(streams).toEqual([0, 1].map((p) => `${base}:events:{${base}:${id}:p${p}}`));
      const r = await readPersonStreams(conn, streams, feed.order);
      // This tenant's events only, each once: another tenant's would show as `extra`.
      expectExactlyOnce(r.perStream.flat(), [...feed.order.keys()]);
      expect(r.outOfOrder).toEqual([]);
      expect(r.personsInTwo).toBe(0);
      // Both partitions of the tenant carried events.
      expect(r.perStream.map((ids) => ids.length > 0)).toEqual([true, true]);
      allowed.add(`${base}:${id}`);
      for (let p = 0; p < PARTITIONS; p++) {
        const part = partitionPipeline(pipeline, p);
        allowed.add(hashTag(part.seqKey)!);
        const dead = createDeadQueue(conn, part);
        try {
          expect({ id, p, dead: await dead.count() }).toEqual({ id, p, dead: 0 });
        } finally {
          await dead.close();
        }
      }
    }

    // Every key is a tenant's (its own tag, or one of its partitions'), none under the bare prefix,
    // and the keys of one tenant's partition are all in that partition's slot.
    const keys = await allKeys(cluster);
    expect(keys.length).toBeGreaterThan(0);
    const byTag = new Map<string, Set<number>>();
    const strays: string[] = [];
    for (const key of keys) {
      const tag = hashTag(key);
      if (tag === undefined || !allowed.has(tag)) strays.push(key);
      else byTag.set(tag, (byTag.get(tag) ?? new Set()).add(keySlot(key)));
    }
    expect(strays).toEqual([]);
    for (const id of TENANTS) {
      for (let p = 0; p < PARTITIONS; p++) {
        const tag = `${base}:${id}:p${p}`;
        expect({ tag, slots: [...(byTag.get(tag) ?? [])] }).toEqual({ tag, slots: [keySlot(`{${tag}}`)] });
      }
    }
    // The cluster agrees with the slot we computed, for one key of each tenant's partition 0.
    for (const id of TENANTS) {
      const seqKey = partitionPipeline(pipelines.get(id)!, 0).seqKey;
      expect(await conn.cluster('KEYSLOT', seqKey)).toBe(keySlot(seqKey));
    }
  }, 420000);
});
