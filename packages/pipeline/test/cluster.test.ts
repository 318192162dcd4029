import pino from 'pino';
import type { Cluster } from 'ioredis';
import { loadConfig } from '@cprh/config';
import { clusterTestEnv, startRedisCluster, type OwnRedisCluster, type PipelineTestEnv } from '@cprh/testkit';
import {
  checkInboxMoving,
  checkRedis,
  createInboxQueue,
  createProducerRedis,
  EventDispatcher,
  InboxWriter,
  keySlot,
  nodeForKey,
  type PipelineError,
  type RedisConnection,
} from '../src';

const silent = pino({ level: 'silent' });
const received = (id: string) => ({
  body: Buffer.from(
    `<Haendelsesbesked><BeskedId><UUIDIdentifikator>${id}</UUIDIdentifikator></BeskedId></Haendelsesbesked>`,
  ),
  source: 'urn:test',
  receivedAt: Date.now(),
  channel: { kind: 'amqp' as const, messageId: id, redelivered: false },
});

// Every script and every multi-key step of the product on a real 6-node Redis Cluster: a key
// outside the script's slot fails here with CROSSSLOT instead of in production.
describe('on a Redis Cluster (3 masters, 3 replicas)', () => {
  let cluster: OwnRedisCluster;
  let t: PipelineTestEnv;
  let redis: RedisConnection;

  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 120000);
  afterAll(async () => {
    await cluster?.stop();
  });
  beforeEach(async () => {
    t = clusterTestEnv(cluster);
    redis = createProducerRedis(loadConfig(['redis'], t.env).redis, 'cluster-test');
    await redis.connect();
  });
  afterEach(async () => {
    redis.disconnect();
    await t.cleanup();
  });

  it('computes key slots as the cluster does', async () => {
    const keys = [
      'foo',
      '{cprh}:inbox:wait',
      'cpr:events',
      '{user1000}.following',
      'a{}b{c}',
      'x{y}z',
      'æøå',
    ];
    for (const k of keys) {
      expect(keySlot(k)).toBe(Number(await (redis as Cluster).call('CLUSTER', 'KEYSLOT', k)));
    }
  });

  it('start-up check reads every master, and refuses names that cross slots in one line', async () => {
    const cfg = loadConfig(['redis', 'pipeline'], t.env);
    const r = await checkRedis(cfg.redis, silent, cfg.pipeline);
    expect(r.masters).toBe(3);
    expect(r.aofEnabled).toBe(true);

    const untagged = loadConfig(['redis', 'pipeline'], { ...t.env, QUEUE_PREFIX: 'cprh' });
    const e1 = await checkRedis(untagged.redis, silent, untagged.pipeline).catch((e: unknown) => e);
    expect((e1 as PipelineError).code).toBe('PIPELINE_CLUSTER_CROSS_SLOT');
    expect((e1 as Error).message).toContain('QUEUE_PREFIX={cprh}');

    const defaultStream = loadConfig(['redis', 'pipeline'], { ...t.env, EVENTS_STREAM: '' });
    const e2 = await checkRedis(defaultStream.redis, silent, defaultStream.pipeline).catch((e: unknown) => e);
    expect((e2 as PipelineError).code).toBe('PIPELINE_CLUSTER_CROSS_SLOT');
    expect((e2 as Error).message).toContain(`${t.prefix}:cpr:events`);
    expect((e2 as Error).message).not.toContain('\n');

    const route = loadConfig(['redis', 'pipeline'], { ...t.env, ROUTES: 'foedsel=births' });
    const e3 = await checkRedis(route.redis, silent, route.pipeline).catch((e: unknown) => e);
    expect((e3 as Error).message).toMatch(/"births" \(ROUTES\)/);

    const gone = loadConfig(['redis'], { REDIS_CLUSTER_NODES: '127.0.0.1:1' }).redis;
    const e4 = await checkRedis(gone, silent).catch((e: unknown) => e);
    expect((e4 as PipelineError).code).toBe('PIPELINE_REDIS_UNREACHABLE');
    expect((e4 as Error).message).toContain('REDIS_CLUSTER_NODES');
  });

  it('runs the dispatch script (markers, main stream, routes) in one slot, exactly once', async () => {
    const births = `${t.prefix}:foedsel`;
    const cfg = loadConfig(['pipeline'], {
      ...t.env,
      ROUTES: `foedsel=${births}`,
      EVENTS_MAXLEN: '1000',
    }).pipeline;
    const d = new EventDispatcher(redis, cfg);
    const ev = (id: string) => ({ id, type: 'dk.kombit.cpr.personhaendelse' });
    const results = await Promise.all(
      [1, 2, 3, 1, 2].map((n) =>
        d.dispatch(ev(`e${n}`), n, { eventNames: ['foedsel'], beskedtype: undefined }),
      ),
    );
    expect(results.filter((r) => r.written)).toHaveLength(3);
    expect(await redis.xlen(cfg.eventsStream)).toBe(3);
    expect(await redis.xlen(births)).toBe(3);
  });

  it('runs the readiness script on the inbox keys, and the inbox write reaches a replica (WAIT)', async () => {
    const cfg = loadConfig(['redis', 'pipeline'], t.env);
    expect(cfg.redis.minReplicasAck).toBe(1);
    const inbox = createInboxQueue(redis, cfg.pipeline);
    try {
      const w = new InboxWriter(redis, inbox, cfg.pipeline, cfg.redis);
      const ids = await w.persist([received('9a1b2c3d-0000-4000-8000-000000000001')]);
      expect(ids).toHaveLength(1);
      expect(await inbox.getWaitingCount()).toBe(1);
      // The WAIT went to the master of the inbox's slot, on the connection that wrote.
      const node = nodeForKey(redis, cfg.pipeline.seqKey);
      expect(node.options.port).toBe(await cluster.masterOf(cfg.pipeline.seqKey));
      const ready = await checkInboxMoving(redis, cfg.pipeline, 60);
      expect(ready).toEqual({ ready: true });
      const stalled = await checkInboxMoving(redis, cfg.pipeline, 60, Date.now() + 120000);
      expect(stalled.ready).toBe(false);
    } finally {
      await inbox.close();
    }
  });

  it('refuses to confirm an inbox write that no replica took (replica hung): the caller must not ack', async () => {
    const cfg = loadConfig(['redis', 'pipeline'], { ...t.env, REDIS_WAIT_TIMEOUT_MS: '300' });
    const inbox = createInboxQueue(redis, cfg.pipeline);
    const master = await cluster.masterOf(cfg.pipeline.seqKey);
    const replicas = await cluster.replicasOf(master);
    expect(replicas.length).toBeGreaterThan(0);
    try {
      for (const p of replicas) cluster.pause(p);
      const w = new InboxWriter(redis, inbox, cfg.pipeline, cfg.redis);
      const err = await w
        .persist([received('9a1b2c3d-0000-4000-8000-000000000002')])
        .catch((e: unknown) => e);
      expect((err as PipelineError).code).toBe('PIPELINE_REPLICAS_NOT_CONFIRMED');
      expect((err as Error).message).toMatch(/0 of 1 replicas/);
    } finally {
      for (const p of replicas) cluster.resume(p);
      await inbox.close();
    }
    // Once the replica is back the same message is confirmed (and stored once).
    const w = new InboxWriter(redis, createInboxQueue(redis, cfg.pipeline), cfg.pipeline, {
      ...cfg.redis,
      waitTimeoutMs: 5000,
    });
    await w.persist([received('9a1b2c3d-0000-4000-8000-000000000002')]);
    const q = createInboxQueue(redis, cfg.pipeline);
    expect(await q.getWaitingCount()).toBe(1);
    await q.close();
  });
});
