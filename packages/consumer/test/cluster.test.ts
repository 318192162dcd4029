import { Cluster } from 'ioredis';
import { beskedToCloudEvent, eventSources } from '@cprh/besked';
import { readFixture, startRedisCluster, uniqueName, waitFor, type OwnRedisCluster } from '@cprh/testkit';
import { createEventConsumer, type ConsumerError } from '../src';

const sample = beskedToCloudEvent(readFixture('beskeder/testbesked01.xml'), {
  source: eventSources.file('testbesked01.xml'),
});

// The consumer on a real Redis Cluster, given its seed nodes (REDIS_CLUSTER_NODES's format).
describe('createEventConsumer on a Redis Cluster', () => {
  let cluster: OwnRedisCluster;

  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 120000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('reads and acks every event of a stream, in order', async () => {
    const seeds = cluster.seeds.split(',').map((s) => ({ host: '127.0.0.1', port: Number(s.split(':')[1]) }));
    const admin = new Cluster(seeds);
    const stream = `{${uniqueName('c')}}:events`;
    const group = 'svc';
    try {
      for (let i = 1; i <= 20; i++) {
        const e = { ...sample, id: `e${i}` };
        await admin.xadd(
          stream,
          '*',
          'event',
          JSON.stringify(e),
          'id',
          e.id,
          'type',
          e.type,
          'seq',
          String(i),
        );
      }
      const got: string[] = [];
      const c = createEventConsumer({
        redis: { clusterNodes: cluster.seeds },
        stream,
        group,
        consumer: 'c1',
        blockMs: 200,
        handler: async (event) => {
          got.push(event.id);
        },
      });
      await c.start();
      await waitFor('20 events', () => got.length === 20);
      await c.stop();
      expect(got).toEqual(Array.from({ length: 20 }, (_, i) => `e${i + 1}`));
      const pending = (await admin.xpending(stream, group)) as [number, ...unknown[]];
      expect(pending[0]).toBe(0);
    } finally {
      admin.disconnect();
    }
  });

  it('refuses seed nodes that are not host:port', async () => {
    const c = createEventConsumer({
      redis: { clusterNodes: 'nonsense' },
      group: 'g',
      consumer: 'c',
      handler: async () => undefined,
    });
    const err = await c.start().catch((e: unknown) => e);
    expect((err as ConsumerError).code).toBe('CONSUMER_OPTIONS_INVALID');
  });
});
