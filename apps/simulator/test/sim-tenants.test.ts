import { peekBeskedId } from '@cprh/besked';
import { drainQueues, simTestEnv } from '@cprh/testkit';
import { loadWorkbenchConfig, SimError, SIMULATOR_SECTIONS, startSimulator, type Simulator } from '../src';
import type { SimTenant } from '../src/tenants/sim-tenant';

// Several municipalities in one simulator: a population and a catch-all demo subscription per
// tenant, each tenant's events only on its own dueslag, addressed to its own CVR.
describe('simulator serving several CVRs', () => {
  const t = simTestEnv({ SIM_POPULATION: '500' });
  const tenants: SimTenant[] = [
    { id: 'nord', cvr: '29189846', dueslag: t.newDueslag() },
    { id: 'midt', cvr: '29189870', dueslag: t.newDueslag() },
    { id: 'syd', cvr: '29189919', dueslag: t.newDueslag() },
  ];
  let sim: Simulator;

  beforeAll(async () => {
    sim = await startSimulator(loadWorkbenchConfig(SIMULATOR_SECTIONS, t.env), {
      rate: 0,
      servers: false,
      seed: 11,
      tenants,
    });
  });

  afterAll(async () => {
    await sim.stop();
    await t.cleanup();
  });

  it('has one demo subscription per tenant, for its CVR and on its dueslag (and not the single demo one)', () => {
    expect(sim.subscriptions().map((s) => [s.dueslag, s.cvr])).toEqual(
      tenants.map((x) => [x.dueslag, x.cvr]),
    );
  });

  it("emit N gives N events from each tenant's own population, each only on its own dueslag", async () => {
    const events = await sim.emit(4);
    expect(events).toHaveLength(12);
    const queues = tenants.map((x) => x.dueslag);
    const got = await drainQueues(queues, Object.fromEntries(queues.map((q) => [q, 4])));
    const cprs: Set<string>[] = [];
    for (const x of tenants) {
      const own = events.filter((e) => e.cvr === x.cvr);
      expect(own).toHaveLength(4);
      const bodies = got[x.dueslag] ?? [];
      expect(bodies.map((m) => peekBeskedId(m.body)).sort()).toEqual(own.map((e) => e.beskedId).sort());
      for (const m of bodies) expect(m.body).toContain(`urn:oio:cvr:${x.cvr}`);
      cprs.push(new Set(own.map((e) => e.person.cpr)));
    }
    // Different seeds: the populations are not the same people.
    expect([...(cprs[0] ?? [])].some((c) => !cprs[1]?.has(c))).toBe(true);
  });

  it('emits for one tenant on request, and names an unknown one', async () => {
    const [, midt] = tenants as [SimTenant, SimTenant, SimTenant];
    const events = await sim.emit(3, { tenant: 'midt' });
    expect(events.map((e) => e.cvr)).toEqual([midt.cvr, midt.cvr, midt.cvr]);
    const queues = tenants.map((x) => x.dueslag);
    const got = await drainQueues(queues, { [midt.dueslag]: 3 });
    expect(got[midt.dueslag]).toHaveLength(3);
    for (const x of tenants) if (x !== midt) expect(got[x.dueslag] ?? []).toHaveLength(0);
    const err = await sim.emit(1, { tenant: 'vest' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SimError);
    expect((err as SimError).code).toBe('SIM_UNKNOWN_TENANT');
  });
});
