import { loadConfig } from '@cprh/config';
import { createInboxQueue, createProducerRedis, InboxWriter } from '@cprh/pipeline';
import { clusterTestEnv, startRedisCluster, type OwnRedisCluster } from '@cprh/testkit';
import { BOARD_SECTIONS, startBoard } from '../src';

// The board on a real Redis Cluster: its queue counts, stream lengths and readiness.
describe('board on a Redis Cluster', () => {
  let cluster: OwnRedisCluster;

  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 120000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('counts the inbox and the stream, and is ready', async () => {
    const t = clusterTestEnv(cluster, { LOG_LEVEL: 'silent' });
    const cfg = loadConfig(BOARD_SECTIONS, t.env);
    const redis = createProducerRedis(cfg.redis, 'board-cluster-test');
    await redis.connect();
    const inbox = createInboxQueue(redis, cfg.pipeline);
    const body = Buffer.from(
      '<Haendelsesbesked><BeskedId><UUIDIdentifikator>5d2f0c1e-1111-4222-8333-444455556666</UUIDIdentifikator></BeskedId></Haendelsesbesked>',
    );
    await new InboxWriter(redis, inbox, cfg.pipeline, cfg.redis).persist([
      {
        body,
        source: 'urn:test',
        receivedAt: Date.now(),
        channel: { kind: 'amqp', messageId: 'm', redelivered: false },
      },
    ]);
    await redis.xadd(t.stream, '*', 'id', 'x');
    const board = await startBoard(cfg);
    try {
      const metrics = await (await fetch(`${board.url}metrics`)).text();
      expect(metrics).toMatch(/cprh_queue_jobs\{queue="inbox",state="waiting",tenant="default"\} 1/);
      expect(metrics).toContain(`cprh_events_stream_length{stream="${t.stream}",tenant="default"} 1`);
      expect(metrics).toMatch(/cprh_redis_up 1/);
      expect((await fetch(`${board.url}readyz`)).status).toBe(200);
    } finally {
      await board.close();
      await inbox.close();
      redis.disconnect();
    }
  });
});
