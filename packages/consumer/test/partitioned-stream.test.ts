import Redis from 'ioredis';
import { beskedToCloudEvent, eventSources } from '@cprh/besked';
import { readFixture, TEST_REDIS_URL, uniqueName, waitFor } from '@cprh/testkit';
import { createEventConsumer, streamDirectoryKey } from '../src';

const sample = beskedToCloudEvent(readFixture('beskeder/testbesked01.xml'), {
  source: eventSources.file('testbesked01.xml'),
});

// The pipeline with PARTITIONS > 1 writes partition streams and lists them under `<stream>:partitions`.
describe('createEventConsumer over partition streams (real Redis)', () => {
  let redis: Redis;
  let stream: string;
  let parts: string[];

  beforeEach(() => {
    redis = new Redis(TEST_REDIS_URL);
    stream = `${uniqueName('consumer-part')}:events`;
    parts = [0, 1, 2].map((p) => `${stream}:{x:p${p}}`);
  });
  afterEach(async () => {
    await redis.del(streamDirectoryKey(stream), stream, ...parts);
    redis.disconnect();
  });

  it('reads every partition stream given the plain name, each in order, one handler call at a time', async () => {
    await redis.set(streamDirectoryKey(stream), parts.join(' '));
    for (let i = 0; i < 30; i++) {
      const id = `e${i}`;
      await redis.xadd(
        parts[i % 3]!,
        '*',
        'event',
        JSON.stringify({ ...sample, id }),
        'id',
        id,
        'seq',
        String(i),
      );
    }
    const seen: string[] = [];
    let inHandler = 0;
    let overlapped = false;
    const consumer = createEventConsumer({
      redis: TEST_REDIS_URL,
      stream,
      group: 'g',
      consumer: 'c',
      blockMs: 200,
      handler: async (event) => {
        if (++inHandler > 1) overlapped = true;
        await new Promise((r) => setTimeout(r, 1));
        seen.push(event.id);
        inHandler--;
      },
    });
    await consumer.start();
    try {
      await waitFor('30 events', () => seen.length >= 30, { timeoutMs: 10000 });
    } finally {
      await consumer.stop();
    }
    expect([...seen].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `e${i}`).sort());
    for (const p of [0, 1, 2]) {
      const mine = seen.filter((id) => Number(id.slice(1)) % 3 === p);
      expect(mine).toEqual([...mine].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))));
      // One group per partition stream, everything acknowledged.
      expect(((await redis.xpending(parts[p]!, 'g')) as [number])[0]).toBe(0);
    }
    expect(overlapped).toBe(false);
    expect(await redis.exists(stream)).toBe(0);
  });
});
