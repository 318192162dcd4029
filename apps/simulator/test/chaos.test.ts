import { peekBeskedId } from '@cprh/besked';
import { randomUUID } from 'node:crypto';
import { XMLValidator } from 'fast-xml-parser';
import { Chaos, NO_CHAOS, type ChaosRates } from '../src/chaos/chaos';
import { Distributor } from '../src/subscriptions/distributor';
import { EventGenerator } from '../src/population/event-generator';
import { PullPublisher } from '../src/dueslag/pull-publisher';
import type { SimEvent } from '../src/population/sim-event';
import { TEST_AMQP_URL, deleteAmqpQueues, drainQueues, type QueuedMessage } from '@cprh/testkit';

const attemptsOf = (xml: string) => Number(/<ns2:AntalLeveranceforsoeg>(\d+)</.exec(xml)?.[1]);

describe('chaos (pull, real RabbitMQ)', () => {
  let publisher: PullPublisher;
  const queues: string[] = [];
  beforeAll(async () => {
    publisher = await PullPublisher.connect(TEST_AMQP_URL);
  });
  afterAll(async () => {
    await deleteAmqpQueues(queues);
    await publisher.close();
  });

  async function run(
    rates: Partial<ChaosRates>,
    events: SimEvent[],
    expected: number,
    seed = 1,
  ): Promise<QueuedMessage[]> {
    const dueslag = randomUUID();
    queues.push(dueslag);
    const d = new Distributor({
      publisher,
      lookup: async () => new Set(),
      chaos: new Chaos({ ...NO_CHAOS, ...rates }, seed),
    });
    d.add({ id: randomUUID(), navn: 'chaos', dueslag, delivery: { mode: 'pull' }, filter: {} });
    await d.dispatch(events);
    await d.settle(10_000);
    await d.close();
    return (await drainQueues([dueslag], { [dueslag]: expected }))[dueslag] ?? [];
  }

  const events = (n: number, seed = 2) =>
    new EventGenerator({ seed, populationSize: 300, start: new Date('2026-04-01T08:00:00Z') }).take(n);

  it('without chaos delivers each event once, in order', async () => {
    const ev = events(30);
    const got = await run({}, ev, 30);
    expect(got.map((m) => peekBeskedId(m.body))).toEqual(ev.map((e) => e.beskedId));
  });

  it('duplicates deliveries (same BeskedId and messageId twice)', async () => {
    const ev = events(10);
    const got = await run({ duplicate: 1 }, ev, 20);
    expect(got).toHaveLength(20);
    for (const e of ev) {
      const copies = got.filter((m) => peekBeskedId(m.body) === e.beskedId);
      expect(copies.map((m) => m.messageId)).toEqual([e.transaktionsId, e.transaktionsId]);
    }
  });

  it('redelivers later with AntalLeveranceforsoeg 2', async () => {
    const ev = events(5);
    const got = await run({ redeliver: 1 }, ev, 10);
    expect(got).toHaveLength(10);
    for (const e of ev) {
      const copies = got.filter((m) => peekBeskedId(m.body) === e.beskedId);
      expect(copies.map((m) => attemptsOf(m.body)).sort()).toEqual([1, 2]);
    }
  });

  it('reorders a batch', async () => {
    const ev = events(40);
    const got = await run({ reorder: 1 }, ev, 40);
    const ids = got.map((m) => peekBeskedId(m.body));
    expect(ids).not.toEqual(ev.map((e) => e.beskedId));
    expect([...ids].sort()).toEqual(ev.map((e) => e.beskedId).sort());
  });

  it('sends malformed messages: broken XML, a DTD, or no BeskedId', async () => {
    const ev = events(30);
    const got = await run({ malformed: 1 }, ev, 30, 9);
    const kinds = got.map((m) =>
      XMLValidator.validate(m.body) !== true
        ? 'broken'
        : m.body.includes('<!DOCTYPE')
          ? 'dtd'
          : peekBeskedId(m.body) === null
            ? 'missing'
            : 'fine',
    );
    expect(kinds).not.toContain('fine');
    expect(new Set(kinds)).toEqual(new Set(['broken', 'dtd', 'missing']));
    // Each still carries its TransaktionsId as messageId.
    expect(got.map((m) => m.messageId)).toEqual(ev.map((e) => e.transaktionsId));
  });

  it('makes the same trouble for the same seed', () => {
    const decide = (seed: number) => {
      const c = new Chaos({ ...NO_CHAOS, duplicate: 0.3, malformed: 0.3 }, seed);
      return Array.from({ length: 50 }, () => [c.duplicate(), c.malformed()]);
    };
    expect(decide(5)).toEqual(decide(5));
    expect(decide(5)).not.toEqual(decide(6));
  });
});
