import { peekBeskedId } from '@cprh/besked';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Distributor } from '../src/subscriptions/distributor';
import { EventGenerator } from '../src/population/event-generator';
import { PullPublisher } from '../src/dueslag/pull-publisher';
import type { SimEvent } from '../src/population/sim-event';
import type { Subscription } from '../src/subscriptions/subscription';
import { VaerdilisteStore } from '../src/vaerdiliste/vaerdiliste-store';
import {
  TEST_AMQP_URL,
  TEST_REDIS_URL,
  deleteAmqpQueues,
  drainQueues,
  uniqueName,
  deleteKeysWithPrefix,
} from '@cprh/testkit';

const OTHER_TYPE = 'c8673551-981e-4be1-b1a6-180cf6fa61f0';

describe('subscription filters (pull, real RabbitMQ and Redis)', () => {
  let redis: Redis;
  let publisher: PullPublisher;
  let store: VaerdilisteStore;
  let prefix: string;
  const queues: string[] = [];

  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
    await redis.connect();
    publisher = await PullPublisher.connect(TEST_AMQP_URL);
    prefix = `${uniqueName('t-sim')}:`;
    store = new VaerdilisteStore(redis, prefix);
  });

  afterAll(async () => {
    await deleteAmqpQueues(queues);
    await deleteKeysWithPrefix(redis, prefix);
    await publisher.close();
    redis.disconnect();
  });

  function pullSub(filter: Subscription['filter']): Subscription {
    const dueslag = randomUUID();
    queues.push(dueslag);
    return { id: randomUUID(), navn: 'test', dueslag, delivery: { mode: 'pull' }, filter };
  }

  it('delivers to each subscription exactly the events its filter matches', async () => {
    const gen = new EventGenerator({
      seed: 21,
      populationSize: 2000,
      start: new Date('2026-02-02T08:00:00Z'),
    });
    const events: SimEvent[] = [...gen.take(150), ...gen.take(150, { beskedtype: OTHER_TYPE })];
    const followed = events.filter((_, i) => i % 17 === 0).map((e) => e.person.cpr);
    const listId = randomUUID();
    await store.create({ uuid: listId, navn: 'fulgte', vaerdier: followed });

    const subs = {
      all: pullSub({}),
      type: pullSub({ beskedtyper: [OTHER_TYPE.toUpperCase()] }),
      kinds: pullSub({ haendelser: ['foedsel', 'urn:cpr-haendelser:sim:handling:flytning'] }),
      kommune: pullSub({ kommunekoder: ['101', '0751'] }),
      cpr: pullSub({ cprVaerdiliste: listId }),
      both: pullSub({ haendelser: ['flytning'], kommunekoder: ['101'] }),
    };
    const expected: Record<keyof typeof subs, SimEvent[]> = {
      all: events,
      type: events.filter((e) => e.beskedtype === OTHER_TYPE),
      kinds: events.filter((e) => e.kind === 'foedsel' || e.kind === 'flytning'),
      kommune: events.filter((e) => e.kommunekoder.includes('0101') || e.kommunekoder.includes('0751')),
      cpr: events.filter((e) => followed.includes(e.person.cpr)),
      both: events.filter((e) => e.kind === 'flytning' && e.kommunekoder.includes('0101')),
    };
    for (const list of Object.values(expected)) expect(list.length).toBeGreaterThan(0);
    expect(expected.kinds.length).toBeLessThan(events.length);

    const distributor = new Distributor({ publisher, lookup: (id) => store.activeValues(id) });
    for (const s of Object.values(subs)) distributor.add(s);
    await distributor.dispatch(events);

    const got = await drainQueues(
      Object.values(subs).map((s) => s.dueslag),
      Object.fromEntries(
        Object.entries(subs).map(([k, s]) => [s.dueslag, expected[k as keyof typeof subs].length]),
      ),
    );
    for (const [name, sub] of Object.entries(subs)) {
      const msgs = got[sub.dueslag] ?? [];
      const ids = msgs.map((m) => peekBeskedId(m.body));
      expect({ name, ids: ids.sort() }).toEqual({
        name,
        ids: expected[name as keyof typeof subs].map((e) => e.beskedId).sort(),
      });
      for (const m of msgs) expect(m.persistent).toBe(true);
    }
    // messageId carries the TransaktionsId
    const first = got[subs.all.dueslag]?.[0];
    const event = events.find((e) => e.beskedId === peekBeskedId(first?.body ?? ''));
    expect(first?.messageId).toBe(event?.transaktionsId);
    await distributor.close();
  });

  it('rejects a subscription with an unknown event name', () => {
    const d = new Distributor({ lookup: async () => new Set() });
    expect(() => d.add(pullSub({ haendelser: ['ukendt'] }))).toThrow(/unknown event "ukendt"/);
  });
});
