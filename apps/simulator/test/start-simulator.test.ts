import { peekBeskedId } from '@cprh/besked';
import { randomUUID } from 'node:crypto';
import { loadWorkbenchConfig } from '../src';
import { drainQueues, PUSH_OK, simTestEnv, startPushReceiver, TEST_REDIS_URL } from '@cprh/testkit';
import { Redis } from 'ioredis';
import { Agent, request } from 'undici';
import { DEMO_SUBSCRIPTION_ID, startSimulator, type Simulator, SIMULATOR_SECTIONS } from '../src';
import { SubscriptionRegistry } from '../src/subscriptions/subscription-registry';

describe('startSimulator', () => {
  const t = simTestEnv({ SIM_POPULATION: '2000' });
  const { prefix, dueslag, certs } = t;
  let sim: Simulator;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(TEST_REDIS_URL);
    sim = await startSimulator(loadWorkbenchConfig(SIMULATOR_SECTIONS, t.env), { rate: 20 });
  });

  afterAll(async () => {
    await sim.stop();
    redis.disconnect();
    await t.cleanup();
  });

  it('streams events to the demo subscription at the configured rate', async () => {
    await new Promise((r) => setTimeout(r, 1500));
    const stats = sim.stats(DEMO_SUBSCRIPTION_ID);
    expect(stats?.published).toBeGreaterThanOrEqual(15);
    expect(stats?.published).toBeLessThanOrEqual(40);
    const emitted = await sim.emit(5, { kind: 'doedsfald' });
    const got = (await drainQueues([dueslag], { [dueslag]: 20 }))[dueslag] ?? [];
    const ids = new Set(got.map((m) => peekBeskedId(m.body)));
    for (const e of emitted) expect(ids.has(e.beskedId)).toBe(true);
  });

  it('lists its subscriptions in Redis for `cprh sim subscriptions`', async () => {
    const listed = await new SubscriptionRegistry(redis, prefix).list();
    expect(listed.map((s) => [s.id, s.dueslag, s.delivery.mode])).toEqual([
      [DEMO_SUBSCRIPTION_ID, dueslag, 'pull'],
    ]);
  });

  it('emits a day of deltas', async () => {
    const events = await sim.emitDayOfDeltas(60_000);
    expect(events.length).toBeGreaterThan(30);
    expect(new Set(events.map((e) => e.kind)).size).toBeGreaterThanOrEqual(5);
  });

  it('pushes to a subscription added at run time, and stops after it is removed', async () => {
    const TYPE = randomUUID();
    const rx = await startPushReceiver(certs, () => ({ status: 200, body: PUSH_OK }));
    try {
      const id = randomUUID();
      await sim.addSubscription({
        id,
        navn: 'push doedsfald',
        dueslag: t.newDueslag(),
        delivery: { mode: 'push', url: rx.url },
        // Own beskedtype: the rate mode's events (the default type) stay out of this test.
        filter: { haendelser: ['doedsfald'], beskedtyper: [TYPE] },
      });
      const events = await sim.emit(12, { beskedtype: TYPE });
      const deaths = events.filter((e) => e.kind === 'doedsfald');
      const extra = await sim.emit(2, { kind: 'doedsfald', beskedtype: TYPE });
      await sim.settle(10_000);
      const pushedIds = rx.received.map((r) => /<UUIDIdentifikator>([^<]+)</.exec(r.body)?.[1]);
      expect(pushedIds.sort()).toEqual([...deaths, ...extra].map((e) => e.beskedId).sort());
      expect(await sim.removeSubscription(id)).toBe(true);
      await sim.emit(2, { kind: 'doedsfald', beskedtype: TYPE });
      await sim.settle(5_000);
      expect(rx.received).toHaveLength(pushedIds.length);
    } finally {
      await rx.close();
    }
  });

  it('serves the STS and the SOAP service over mutual TLS', async () => {
    expect(sim.stsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.soapUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/sts-bf-soap\/StsbeskedfordelerImpl$/);
    const agent = new Agent({
      connect: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey },
    });
    try {
      const wsdl = await request(`${sim.soapUrl}?wsdl`, { dispatcher: agent });
      expect(wsdl.statusCode).toBe(200);
      expect(await wsdl.body.text()).toContain('BeskedfordelerService');
    } finally {
      await agent.close();
    }
  });
});
