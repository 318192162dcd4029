import Redis from 'ioredis';
import { beskedToCloudEvent, eventSources } from '@cprh/besked';
import { readFixture, TEST_REDIS_URL, uniqueName, waitFor } from '@cprh/testkit';
import { loadConfig } from '@cprh/config';
import { partitionStreams, streamDirectoryKey as pipelineDirectoryKey } from '@cprh/pipeline';
import { ConsumerError, createEventConsumer, streamDirectoryKey, tenantStream } from '../src';

const sample = beskedToCloudEvent(readFixture('beskeder/testbesked01.xml'), {
  source: eventSources.file('testbesked01.xml'),
});

describe('tenantStream', () => {
  it("names the tenant's stream under its hash tag, braces of the settings ignored", () => {
    expect(tenantStream('cpr:events', 'aarhus')).toBe('cpr:events:{cprh:aarhus}');
    expect(tenantStream('{cprh}:events', 'odense', '{cprh}')).toBe('cprh:events:{cprh:odense}');
    expect(tenantStream('cpr:events:foedsel', 'k-101', 'x1')).toBe('cpr:events:foedsel:{x1:k-101}');
  });

  it("names exactly the stream the pipeline writes a tenant's events to", () => {
    for (const [prefix, stream, routeStream] of [
      ['cprh', 'cpr:events', 'cpr:events:foedsel'],
      ['{cprh}', '{cprh}:events', '{cprh}:events:foedsel'],
      ['kunde-7', 'k7:events', 'k7:foedsel'],
    ] as const) {
      const pipeline = loadConfig(['pipeline'], {
        QUEUE_PREFIX: prefix,
        EVENTS_STREAM: stream,
        ROUTES: `foedsel=${routeStream}`,
        TENANT_ID: 'odense',
        PARTITIONS: '3',
      }).pipeline;
      expect(tenantStream(stream, 'odense', prefix)).toBe(pipeline.eventsStream);
      expect(tenantStream(routeStream, 'odense', prefix)).toBe(pipeline.routes[0]?.stream);
      // Partitions are found through the directory the pipeline keeps under the tenant's stream.
      expect(streamDirectoryKey(tenantStream(stream, 'odense', prefix))).toBe(
        pipelineDirectoryKey(pipeline.eventsStream),
      );
      expect(partitionStreams(pipeline, pipeline.eventsStream)[2]).toBe(
        `${stream.replace(/[{}]/g, '')}:{${prefix.replace(/[{}]/g, '')}:odense:p2}`,
      );
    }
  });

  it('refuses an id TENANTS_FILE would refuse', () => {
    for (const bad of ['Aarhus', 'a:b', '', '-a', 'a}b', 'x'.repeat(32)]) {
      expect(() => tenantStream('cpr:events', bad)).toThrow(ConsumerError);
    }
  });
});

// Three municipalities' streams side by side (names under a unique base, never the default
// `cpr:events`); a consumer for one reads exactly that one's events.
describe('createEventConsumer with tenant (real Redis)', () => {
  let redis: Redis;
  let base: string;
  const tenants = ['aarhus', 'odense', 'aalborg'];
  let keys: string[];

  beforeEach(() => {
    redis = new Redis(TEST_REDIS_URL);
    base = uniqueName('consumer-tenant');
    keys = [];
  });
  afterEach(async () => {
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  async function add(stream: string, id: string): Promise<void> {
    keys.push(stream);
    await redis.xadd(stream, '*', 'event', JSON.stringify({ ...sample, id }), 'id', id, 'seq', '1');
  }

  async function readAll(tenant: string, expected: number): Promise<string[]> {
    const seen: string[] = [];
    const consumer = createEventConsumer({
      redis: TEST_REDIS_URL,
      stream: `${base}:events`,
      tenant,
      queuePrefix: base,
      group: 'g',
      consumer: 'c',
      blockMs: 200,
      handler: (event) => {
        seen.push(event.id);
        return Promise.resolve();
      },
    });
    await consumer.start();
    try {
      await waitFor(`${expected} events of ${tenant}`, () => seen.length >= expected, { timeoutMs: 10000 });
      // A moment more: anything of another tenant would arrive now.
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await consumer.stop();
    }
    return seen.sort();
  }

  it("reads its tenant's stream only", async () => {
    for (const t of tenants)
      for (let i = 0; i < 5; i++) await add(`${base}:events:{${base}:${t}}`, `${t}-${i}`);
    // The plain stream (a single-municipality deployment) is not read either.
    await add(`${base}:events`, 'plain');
    expect(await readAll('odense', 5)).toEqual([0, 1, 2, 3, 4].map((i) => `odense-${i}`));
    // Its group lives on its stream; the others have none.
    expect(await redis.xinfo('GROUPS', `${base}:events:{${base}:odense}`)).toHaveLength(1);
    expect(await redis.xinfo('GROUPS', `${base}:events:{${base}:aarhus}`)).toHaveLength(0);
  });

  it("reads every partition stream of its tenant, none of another's", async () => {
    for (const t of tenants) {
      const stream = `${base}:events:{${base}:${t}}`;
      const parts = [0, 1].map((p) => `${base}:events:{${base}:${t}:p${p}}`);
      keys.push(streamDirectoryKey(stream));
      await redis.set(streamDirectoryKey(stream), parts.join(' '));
      for (let i = 0; i < 6; i++) await add(parts[i % 2]!, `${t}-${i}`);
    }
    expect(await readAll('aalborg', 6)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `aalborg-${i}`));
  });
});
