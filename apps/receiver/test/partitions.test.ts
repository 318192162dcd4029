import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { loadConfig } from '@cprh/config';
import { createRedis, partitionOf, partitionPipelines, type InboxJobData } from '@cprh/pipeline';
import { deleteKeysAt, makeDevPki, TEST_REDIS_URL } from '@cprh/testkit';
import { pushBody } from './support/push-body';
import { pushClient, startTestReceiver, type ReceiverUnderTest } from './support/receiver-harness';

// PARTITIONS=3: each pushed message lands in its person's partition; a refused body too.
describe('the receiver with PARTITIONS=3 (real HTTPS, real Redis)', () => {
  const pki = makeDevPki();
  let rx: ReceiverUnderTest;
  let client: ReturnType<typeof pushClient>;

  beforeAll(async () => {
    rx = await startTestReceiver(pki, { PARTITIONS: '3' });
    client = pushClient(pki, { cert: pki.path('client.crt'), key: pki.path('client.key') });
  });
  afterAll(async () => {
    await client.close();
    const prefix = rx.env.prefix;
    await rx.stop();
    await deleteKeysAt(TEST_REDIS_URL, `{${prefix}:p`);
    pki.remove();
  });

  it('stores each message in the partition of its person, and dead-letters a refused body in one', async () => {
    const ids: string[] = [];
    for (let p = 0; p < 30; p++) {
      const id = randomUUID();
      ids.push(id);
      const cpr = `030370${String(p).padStart(4, '0')}`;
      const r = await client.send(
        rx.url,
        pushBody(id).replace(/urn:oio:cpr-nr:\d{10}/g, `urn:oio:cpr-nr:${cpr}`),
      );
      expect(r.statusKode).toBe(20);
    }
    const refused = await client.send(rx.url, '<not-a-besked/>');
    expect(refused.statusKode).toBe(40);

    const pipeline = loadConfig(['pipeline'], rx.env.env).pipeline;
    const redis = createRedis(loadConfig(['redis'], rx.env.env).redis, {});
    const queues = partitionPipelines(pipeline).map((p) => ({
      partition: p.partition,
      inbox: new Queue<InboxJobData>(p.pipeline.inboxQueue, {
        connection: redis,
        prefix: p.pipeline.queuePrefix,
      }),
      dead: new Queue(p.pipeline.deadQueue, { connection: redis, prefix: p.pipeline.queuePrefix }),
    }));
    try {
      const stored: string[] = [];
      let deadLetters = 0;
      for (const q of queues) {
        const jobs = await q.inbox.getJobs(['waiting']);
        expect(jobs.length).toBeGreaterThan(0);
        for (const j of jobs) {
          expect(partitionOf(j.data.person ?? '', 3)).toBe(q.partition);
          stored.push(j.id ?? '');
        }
        deadLetters += await q.dead.count();
      }
      expect(stored.sort()).toEqual(ids.map((id) => `b-${id}`).sort());
      expect(deadLetters).toBe(1);
      // Nothing in the unpartitioned queues.
      expect((await rx.inboxJobs()).length + (await rx.deadLetters()).length).toBe(0);
    } finally {
      for (const q of queues) await Promise.all([q.inbox.close(), q.dead.close()]);
      redis.disconnect();
    }
  });
});
