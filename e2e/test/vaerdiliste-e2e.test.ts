import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { loadConfig } from '@cprh/config';
import type { RunningService } from '@cprh/runtime';
import { POLLER_SECTIONS, startPoller } from '@cprh/poller';
import type { SimEvent } from '@cprh/simulator';
import { pipelineTestEnv, sleep, TEST_REDIS_URL, type PipelineTestEnv } from '@cprh/testkit';
import { startWorker, WORKER_SECTIONS } from '@cprh/worker';
import {
  capturingLogger,
  readyInQueue,
  streamEventIds,
  waitForStreamLength,
} from './support/pipeline-harness';
import { runCli } from '@cprh/testkit';
import { startSimForVaerdilister, type SimForVaerdilister } from '@cprh/simulator/sim-for-vaerdilister';

// A value list changed with `cprh vaerdiliste` decides which events the simulator delivers to a
// CPR-filtered pull subscription, and so which events reach the stream (poller + worker here).
describe('cprh vaerdiliste tilfoej/fjern -> the events that reach the stream', () => {
  let t: PipelineTestEnv;
  let s: SimForVaerdilister;
  let redis: Redis;
  const services: RunningService[] = [];

  beforeAll(async () => {
    t = pipelineTestEnv({ SIM_POPULATION: '30', SIM_SEED: '42' });
    s = await startSimForVaerdilister(t.env);
    redis = new Redis(TEST_REDIS_URL);
    const { log } = capturingLogger('warn');
    services.push(await startWorker(loadConfig(WORKER_SECTIONS, t.env), log));
    services.push(await startPoller(loadConfig(POLLER_SECTIONS, t.env), log));
  });
  afterAll(async () => {
    for (const svc of services.reverse()) await svc.stop();
    await s.stop();
    await t.cleanup();
    redis.disconnect();
  });

  const cli = (...args: string[]) => runCli(['vaerdiliste', ...args], s.cliEnv);
  const idsFor = (events: SimEvent[], cprs: ReadonlySet<string>): string[] =>
    events.filter((e) => cprs.has(e.person.cpr)).map((e) => e.beskedId);

  /**
   * Emits `n` name changes (people already living here, so the same people come again) and
   * waits until the stream holds an entry for each followed person's event, and a little longer
   * so that anything wrongly delivered would be there too. Returns the events.
   */
  const emitAndSettle = async (
    n: number,
    followed: ReadonlySet<string>,
    before: number,
  ): Promise<SimEvent[]> => {
    const events = await s.sim.emit(n, { kind: 'navneaendring' });
    await waitForStreamLength(redis, t.stream, before + idsFor(events, followed).length, 30_000);
    await sleep(700);
    return events;
  };

  it('an empty list passes nothing; tilfoej lets exactly those people through; fjern stops one', async () => {
    const created = await cli('opret', '--navn', 'fulgte borgere');
    expect(created.code).toBe(0);
    const listId = created.stdout.trim();
    await s.sim.addSubscription({
      id: randomUUID(),
      navn: 'cpr-filter',
      dueslag: t.dueslag,
      delivery: { mode: 'pull' },
      filter: { cprVaerdiliste: listId },
    });

    const first = await emitAndSettle(40, new Set(), 0);
    expect(await redis.xlen(t.stream)).toBe(0);

    // Follow half of the people seen so far.
    const people = [...new Set(first.map((e) => e.person.cpr))];
    const followed = new Set(people.slice(0, Math.ceil(people.length / 2)));
    const add = await cli('tilfoej', listId, ...[...followed].map((c) => `${c.slice(0, 6)}-${c.slice(6)}`));
    expect(add.code).toBe(0);

    // The seeded generator makes the same events every run; which of them pass is the list's doing.
    const second = await emitAndSettle(40, followed, 0);
    const want2 = idsFor(second, followed);
    expect(want2.length).toBeGreaterThan(0);
    expect(want2.length).toBeLessThan(second.length); // the filter really drops some
    expect((await streamEventIds(redis, t.stream)).sort()).toEqual([...want2].sort());

    const dropped = [...followed][0] ?? '';
    expect((await cli('fjern', listId, dropped)).code).toBe(0);
    followed.delete(dropped);
    const third = await emitAndSettle(40, followed, want2.length);
    const want3 = idsFor(third, followed);
    expect((await streamEventIds(redis, t.stream)).sort()).toEqual([...want2, ...want3].sort());
    expect(third.some((e) => e.person.cpr === dropped)).toBe(true); // dropped's events were there, and filtered
    expect(await readyInQueue(t.dueslag)).toBe(0);
  });
});
