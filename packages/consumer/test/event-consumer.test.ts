import Redis from 'ioredis';
import { beskedToCloudEvent, eventSources, type CprCloudEvent } from '@cprh/besked';
import { readFixture, sleep, TEST_REDIS_URL, uniqueName, waitFor } from '@cprh/testkit';
import { ConsumerError, createEventConsumer, type EventConsumer, type EventMeta } from '../src';

// One real event from a KOMBIT sample; each test entry gets its own id so order is visible.
const sample = beskedToCloudEvent(readFixture('beskeder/testbesked01.xml'), {
  source: eventSources.file('testbesked01.xml'),
});
const eventWithId = (id: string): CprCloudEvent => ({ ...sample, id });

interface Received {
  id: string;
  meta: EventMeta;
}

describe('createEventConsumer (real Redis)', () => {
  let redis: Redis;
  let stream: string;
  let group: string;
  const consumers: EventConsumer[] = [];

  /** XADD in the worker's entry format: event, id, type, seq. */
  async function addEvents(count: number, firstSeq = 1): Promise<string[]> {
    const p = redis.pipeline();
    for (let i = 0; i < count; i++) {
      const e = eventWithId(`e${firstSeq + i}`);
      p.xadd(
        stream,
        '*',
        'event',
        JSON.stringify(e),
        'id',
        e.id,
        'type',
        e.type,
        'seq',
        String(firstSeq + i),
      );
    }
    const results = (await p.exec()) ?? [];
    return results.map(([err, id]) => {
      if (err) throw err;
      return String(id);
    });
  }

  async function pendingCount(): Promise<number> {
    const summary = (await redis.xpending(stream, group)) as [number, ...unknown[]];
    return summary[0];
  }

  function consumerFor(
    name: string,
    opts: Partial<Parameters<typeof createEventConsumer>[0]> & {
      handler: Parameters<typeof createEventConsumer>[0]['handler'];
    },
  ): EventConsumer {
    const c = createEventConsumer({ redis, stream, group, consumer: name, blockMs: 200, ...opts });
    consumers.push(c);
    return c;
  }

  beforeEach(() => {
    redis = new Redis(TEST_REDIS_URL);
    stream = `${uniqueName('consumer-test')}:events`;
    group = uniqueName('group');
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.stop()));
    await redis.del(stream);
    redis.disconnect();
  });

  it('hands each event to the handler once, in order, with entry id and seq, and acks it', async () => {
    const entryIds = await addEvents(5);
    const got: Received[] = [];
    const c = consumerFor('c1', {
      handler: async (event, meta) => {
        got.push({ id: event.id, meta });
      },
    });
    await c.start();
    await waitFor('5 events', () => got.length >= 5, { timeoutMs: 10000 });
    await waitFor('no pending entries', async () => (await pendingCount()) === 0, { timeoutMs: 5000 });
    await sleep(300); // a second delivery would show up here
    expect(got.map((g) => g.id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
    expect(got.map((g) => g.meta)).toEqual(entryIds.map((entryId, i) => ({ entryId, seq: i + 1 })));
    expect(await pendingCount()).toBe(0);
  }, 20000);

  it('parses the event field into the CloudEvent the worker wrote', async () => {
    await addEvents(1);
    let seen: CprCloudEvent | undefined;
    await consumerFor('c1', {
      handler: async (event) => {
        seen = event;
      },
    }).start();
    const e = await waitFor('the event', () => seen, { timeoutMs: 10000 });
    expect(e).toEqual(JSON.parse(JSON.stringify(eventWithId('e1'))));
    expect(e.specversion).toBe('1.0');
  }, 20000);

  it('leaves a failed entry pending; another consumer claims it once idle and handles it', async () => {
    const entryIds = await addEvents(3);
    const calls: string[] = [];
    const errors: Array<{ err: unknown; entryId: string | null }> = [];
    const a = consumerFor('a', {
      handler: async (event) => {
        calls.push(event.id);
        if (event.id === 'e2') throw new Error('downstream refused');
      },
      onError: (err, entryId) => errors.push({ err, entryId }),
    });
    await a.start();
    await waitFor('3 handler calls', () => calls.length >= 3, { timeoutMs: 10000 });
    await waitFor('acks of e1 and e3', async () => (await pendingCount()) === 1, { timeoutMs: 5000 });
    expect(errors).toHaveLength(1);
    const failure = errors[0]!;
    expect(failure.entryId).toBe(entryIds[1]);
    expect(failure.err).toBeInstanceOf(ConsumerError);
    expect((failure.err as ConsumerError).code).toBe('CONSUMER_HANDLER_FAILED');
    expect(((failure.err as ConsumerError).cause as Error).message).toBe('downstream refused');
    await a.stop();

    const claimedBy: Received[] = [];
    await consumerFor('b', {
      claimIdleMs: 200,
      blockMs: 100,
      handler: async (event, meta) => {
        claimedBy.push({ id: event.id, meta });
      },
    }).start();
    await waitFor('the claim of e2', () => claimedBy.length >= 1, { timeoutMs: 10000 });
    await waitFor('no pending entries', async () => (await pendingCount()) === 0, { timeoutMs: 5000 });
    expect(claimedBy).toEqual([{ id: 'e2', meta: { entryId: entryIds[1], seq: 2 } }]);
    expect(calls).toEqual(['e1', 'e2', 'e3']);
  }, 30000);

  it('re-delivers its own pending entries when restarted under the same consumer name', async () => {
    await addEvents(2);
    let fail = true;
    const calls: string[] = [];
    const handler = async (event: CprCloudEvent): Promise<void> => {
      calls.push(event.id);
      if (fail && event.id === 'e1') throw new Error('not yet');
    };
    const first = consumerFor('same', { handler });
    await first.start();
    await waitFor('2 handler calls', () => calls.length >= 2, { timeoutMs: 10000 });
    await first.stop();
    expect(await pendingCount()).toBe(1);

    fail = false;
    // claimIdleMs far away: only the read of its own history (id 0) can bring e1 back.
    await consumerFor('same', { handler }).start();
    await waitFor('no pending entries', async () => (await pendingCount()) === 0, { timeoutMs: 10000 });
    expect(calls).toEqual(['e1', 'e2', 'e1']);
  }, 30000);

  it('splits the entries of one group between two consumers without overlap', async () => {
    const byConsumer: Record<string, string[]> = { c1: [], c2: [] };
    const slowHandler = (name: string) => async (event: CprCloudEvent) => {
      byConsumer[name]!.push(event.id);
      await sleep(10); // long enough that the other consumer reads the next batch meanwhile
    };
    await consumerFor('c1', { batchSize: 5, handler: slowHandler('c1') }).start();
    await consumerFor('c2', { batchSize: 5, handler: slowHandler('c2') }).start();
    await addEvents(40);
    const total = () => byConsumer.c1!.length + byConsumer.c2!.length;
    await waitFor('40 events', () => total() >= 40, { timeoutMs: 15000 });
    await waitFor('no pending entries', async () => (await pendingCount()) === 0, { timeoutMs: 5000 });
    await sleep(300);
    const all = [...byConsumer.c1!, ...byConsumer.c2!];
    expect(all).toHaveLength(40);
    expect(new Set(all).size).toBe(40);
    expect(byConsumer.c1!.length).toBeGreaterThan(0);
    expect(byConsumer.c2!.length).toBeGreaterThan(0);
    // Each consumer still sees its share in stream order.
    for (const ids of Object.values(byConsumer)) {
      const seqs = ids.map((id) => Number(id.slice(1)));
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
  }, 30000);

  it('acks an entry whose event field is not JSON and reports CONSUMER_EVENT_INVALID, then goes on', async () => {
    const badId = await redis.xadd(
      stream,
      '*',
      'event',
      '{"id": "broken',
      'id',
      'x',
      'type',
      't',
      'seq',
      '1',
    );
    await addEvents(1, 2);
    const got: string[] = [];
    const errors: Array<{ err: unknown; entryId: string | null }> = [];
    await consumerFor('c1', {
      handler: async (event) => {
        got.push(event.id);
      },
      onError: (err, entryId) => errors.push({ err, entryId }),
    }).start();
    await waitFor('the valid event', () => got.length >= 1, { timeoutMs: 10000 });
    await waitFor('no pending entries', async () => (await pendingCount()) === 0, { timeoutMs: 5000 });
    expect(got).toEqual(['e2']);
    expect(errors).toHaveLength(1);
    const { err, entryId } = errors[0]!;
    expect(entryId).toBe(badId);
    expect(err).toBeInstanceOf(ConsumerError);
    expect((err as ConsumerError).code).toBe('CONSUMER_EVENT_INVALID');
    expect((err as ConsumerError).cause).toBeInstanceOf(SyntaxError);
  }, 20000);

  it('stop() returns promptly while a read is blocked, and leaves a passed-in connection open', async () => {
    const c = createEventConsumer({
      redis,
      stream,
      group,
      consumer: 'c1',
      blockMs: 5000,
      handler: async () => {},
    });
    await Promise.all([c.start(), c.start()]); // a second start joins the first
    await sleep(300); // now inside XREADGROUP ... BLOCK 5000
    const t0 = Date.now();
    await Promise.all([c.stop(), c.stop()]);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await redis.ping()).toBe('PONG');
  }, 20000);

  it('creates the group from $ when asked, so older entries are not delivered', async () => {
    await addEvents(2);
    const got: string[] = [];
    await consumerFor('c1', {
      from: '$',
      handler: async (event) => {
        got.push(event.id);
      },
    }).start();
    await addEvents(1, 3);
    await waitFor('the new event', () => got.length >= 1, { timeoutMs: 10000 });
    await sleep(300);
    expect(got).toEqual(['e3']);
  }, 20000);

  it('connects by URL and rejects unusable options', async () => {
    await addEvents(1);
    const got: string[] = [];
    const c = createEventConsumer({
      redis: TEST_REDIS_URL,
      stream,
      group,
      consumer: 'c1',
      blockMs: 200,
      handler: async (event) => {
        got.push(event.id);
      },
    });
    await c.start();
    await waitFor('the event', () => got.length >= 1, { timeoutMs: 10000 });
    await c.stop();
    expect(got).toEqual(['e1']);
    expect(() => createEventConsumer({ redis, group: '', consumer: 'x', handler: async () => {} })).toThrow(
      expect.objectContaining({ code: 'CONSUMER_OPTIONS_INVALID' }),
    );
    expect(() =>
      createEventConsumer({ redis, group: 'g', consumer: 'x', batchSize: 0, handler: async () => {} }),
    ).toThrow(expect.objectContaining({ code: 'CONSUMER_OPTIONS_INVALID' }));
  }, 20000);
});
