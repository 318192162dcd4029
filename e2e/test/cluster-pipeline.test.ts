import { loadConfig } from '@cprh/config';
import { createProducerRedis, type RedisConnection } from '@cprh/pipeline';
import {
  brokerMessageCount,
  clusterTestEnv,
  spawnTs,
  startRedisCluster,
  waitFor,
  type OwnRedisCluster,
  type PipelineTestEnv,
  type SpawnedProcess,
} from '@cprh/testkit';
import {
  expectDeliveredExactlyOnce,
  freshMessages,
  publish,
  POLLER_MAIN,
  waitForStreamLength,
  WORKER_MAIN,
} from './support/pipeline-harness';

// The real poller and worker processes on a real 6-node Redis Cluster (deploy/redis-cluster.sh),
// fed by the real RabbitMQ. Each test gets its own cluster: one of them kills a master.
describe('the pipeline on a Redis Cluster', () => {
  let cluster: OwnRedisCluster;
  let t: PipelineTestEnv;
  let redis: RedisConnection;
  const procs: SpawnedProcess[] = [];

  beforeEach(async () => {
    cluster = await startRedisCluster();
  }, 120000);
  afterEach(async () => {
    for (const p of procs.splice(0)) await p.stop('SIGKILL').catch(() => undefined);
    redis?.disconnect();
    await t?.cleanup();
    await cluster?.stop();
  });

  async function start(
    env: Record<string, string>,
  ): Promise<{ poller: SpawnedProcess; worker: SpawnedProcess }> {
    redis = createProducerRedis(loadConfig(['redis'], env).redis, 'cluster-e2e');
    await redis.connect();
    const poller = spawnTs(POLLER_MAIN, { ...env, LOG_LEVEL: 'info' });
    const worker = spawnTs(WORKER_MAIN, { ...env, LOG_LEVEL: 'info' });
    procs.push(poller, worker);
    await poller.waitForLine(/poller ready/, 30000);
    return { poller, worker };
  }

  it('poller -> inbox -> worker -> stream: every message exactly once, acked only after WAIT', async () => {
    t = clusterTestEnv(cluster, { POLLER_BATCH_SIZE: '50', POLLER_PREFETCH: '100' });
    const { ids, bodies } = freshMessages(400);
    await publish(t.env, bodies);
    const { poller } = await start(t.env);
    await waitForStreamLength(redis, t.stream, 400, 60000);
    expect(await poller.stop('SIGTERM')).toBe(0);
    await expectDeliveredExactlyOnce(redis, t, ids);
  }, 120000);

  it('poll mode (a BullMQ job scheduler on the cluster drains the dueslag): exactly once', async () => {
    t = clusterTestEnv(cluster, {
      POLLER_MODE: 'poll',
      POLLER_POLL_INTERVAL_SECONDS: '1',
      POLLER_BATCH_SIZE: '50',
    });
    const { ids, bodies } = freshMessages(200);
    await publish(t.env, bodies);
    const { poller } = await start(t.env);
    await waitForStreamLength(redis, t.stream, 200, 60000);
    expect(await poller.stop('SIGTERM')).toBe(0);
    await expectDeliveredExactlyOnce(redis, t, ids);
  }, 120000);

  it('kill -9 of the master holding the inbox slot while events flow: its replica takes over, 0 lost, 0 twice', async () => {
    t = clusterTestEnv(cluster, { POLLER_BATCH_SIZE: '20', POLLER_PREFETCH: '40', WORKER_CONCURRENCY: '8' });
    const { ids, bodies } = freshMessages(1500);
    await publish(t.env, bodies);
    const { poller, worker } = await start(t.env);
    const inboxKey = loadConfig(['pipeline'], t.env).pipeline.seqKey;
    const master = await cluster.masterOf(inboxKey);
    const [replica] = await cluster.replicasOf(master);
    expect(replica).toBeDefined();
    await waitFor('events flowing', async () => (await redis.xlen(t.stream)) >= 100, { timeoutMs: 60000 });
    const before = await redis.xlen(t.stream);
    await cluster.kill(master);
    // The replica is promoted after cluster-node-timeout (2 s) and serves the slot.
    await waitFor('replica promoted', async () => (await cluster.masterOf(inboxKey)) === replica, {
      timeoutMs: 30000,
      intervalMs: 250,
    });
    expect(before).toBeLessThan(1500);
    // The promoted master has no replica now, so no inbox write can be confirmed (WAIT) and the
    // poller acks nothing. The crashed machine comes back and rejoins as the replica: intake goes on.
    await cluster.restart(master);
    await waitForStreamLength(redis, t.stream, 1500, 120000).catch(async (err: unknown) => {
      process.stderr.write(
        `stream ${await redis.xlen(t.stream)}, broker ${await brokerMessageCount(t.dueslag)}\n` +
          `poller:\n${poller.lines.slice(-15).join('\n')}\nworker:\n${worker.lines.slice(-15).join('\n')}\n`,
      );
      throw err;
    });
    expect(await poller.stop('SIGTERM')).toBe(0);
    // Give the worker time for anything still in flight, then count.
    await new Promise((r) => setTimeout(r, 2000));
    await expectDeliveredExactlyOnce(redis, t, ids);
  }, 240000);

  it('while no replica confirms the inbox write, the poller acks nothing; afterwards it delivers', async () => {
    t = clusterTestEnv(cluster, {
      REDIS_WAIT_TIMEOUT_MS: '200',
      POLLER_BATCH_SIZE: '10',
      POLLER_PREFETCH: '20',
    });
    const inboxKey = loadConfig(['pipeline'], t.env).pipeline.seqKey;
    const master = await cluster.masterOf(inboxKey);
    const replicas = await cluster.replicasOf(master);
    const { ids, bodies } = freshMessages(60);
    const { poller } = await start(t.env);
    for (const p of replicas) cluster.pause(p);
    try {
      await publish(t.env, bodies);
      await poller.waitForLine(/holding the batch unacked/, 20000);
      expect(poller.lines.join('\n')).toContain('PIPELINE_REPLICAS_NOT_CONFIRMED');
      // Stored on the master but not confirmed: nothing is acked, RabbitMQ still holds all 60.
      await new Promise((r) => setTimeout(r, 1500));
      expect(await brokerMessageCount(t.dueslag)).toBe(60);
    } finally {
      for (const p of replicas) cluster.resume(p);
    }
    await waitFor('every message acked', async () => (await brokerMessageCount(t.dueslag)) === 0, {
      timeoutMs: 60000,
      intervalMs: 250,
    });
    await waitForStreamLength(redis, t.stream, 60, 60000);
    expect(await poller.stop('SIGTERM')).toBe(0);
    await expectDeliveredExactlyOnce(redis, t, ids);
  }, 120000);
});
