import { peekBeskedId } from '@cprh/besked';
import { Writable } from 'node:stream';
import { loadWorkbenchConfig } from '../src';
import { drainQueue, simTestEnv, type SimTestEnv } from '@cprh/testkit';
import pino from 'pino';
import { startSimulator, startSimulatorService, SIMULATOR_SECTIONS } from '../src';
import { runSeed, MAX_SEED } from '../src/run/run-seed';

/** A logger whose JSON lines land in `lines`. */
function capturingLogger(lines: Record<string, unknown>[]) {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return pino({ level: 'info' }, sink);
}

describe('seed per run', () => {
  let t: SimTestEnv;
  beforeAll(() => {
    t = simTestEnv({ SIM_RATE: '0' });
  });
  afterAll(() => t.cleanup());

  /** BeskedIds of `n` events emitted by a simulator started with `seed` (or none). */
  async function idsOfRun(n: number, seed?: number): Promise<{ seed: number; ids: string[] }> {
    const sim = await startSimulator(loadWorkbenchConfig(SIMULATOR_SECTIONS, t.env), {
      servers: false,
      ...(seed !== undefined ? { seed } : {}),
    });
    try {
      return { seed: sim.seed, ids: (await sim.emit(n)).map((e) => e.beskedId) };
    } finally {
      await sim.stop();
    }
  }

  it('picks a new seed each run unless one is given', () => {
    const seeds = new Set(Array.from({ length: 50 }, () => runSeed(undefined)));
    expect(seeds.size).toBeGreaterThan(45);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 1 && s < 1e9 && s <= MAX_SEED).toBe(true);
    expect(runSeed(0)).toBe(0);
    expect(runSeed(42)).toBe(42);
  });

  it('no seed: each run brings new BeskedIds; the run seed repeats a run exactly', async () => {
    const a = await idsOfRun(6);
    const b = await idsOfRun(6);
    expect(a.seed).not.toBe(b.seed);
    expect(a.ids.filter((id) => b.ids.includes(id))).toEqual([]);
    expect((await idsOfRun(6, a.seed)).ids).toEqual(a.ids);
    // SIM_SEED does the same as the option.
    const viaEnv = await startSimulator(
      loadWorkbenchConfig(SIMULATOR_SECTIONS, { ...t.env, SIM_SEED: String(b.seed) }),
      {
        servers: false,
      },
    );
    try {
      expect(viaEnv.seed).toBe(b.seed);
      expect((await viaEnv.emit(6)).map((e) => e.beskedId)).toEqual(b.ids);
    } finally {
      await viaEnv.stop();
    }
    await drainQueue(t.dueslag);
  });

  it("cprh start's simulator logs its seed, and SIM_SEED with that seed repeats the demo feed", async () => {
    /** Runs the service as `cprh start` does until `n` events are in the dueslag; their ids and the log. */
    async function serviceRun(env: Record<string, string>, n: number) {
      const lines: Record<string, unknown>[] = [];
      const service = await startSimulatorService(
        loadWorkbenchConfig(SIMULATOR_SECTIONS, env),
        capturingLogger(lines),
      );
      let got: string[];
      try {
        got = (await drainQueue(t.dueslag, n, 10_000)).map((m) => peekBeskedId(m.body) ?? '');
      } finally {
        await service.stop();
      }
      got.push(...(await drainQueue(t.dueslag)).map((m) => peekBeskedId(m.body) ?? ''));
      const fed = lines.find((l) => String(l.msg).startsWith('simulator: demo subscription fed'));
      return { ids: got, fed };
    }
    const env = { ...t.env, SIM_RATE: '50' };
    const first = await serviceRun(env, 5);
    const second = await serviceRun(env, 5);
    expect(first.ids.length).toBeGreaterThanOrEqual(5);
    expect(first.ids.filter((id) => second.ids.includes(id))).toEqual([]);
    const seed = Number(first.fed?.seed);
    expect(Number.isInteger(seed)).toBe(true);
    expect(String(first.fed?.msg)).toContain(`SIM_SEED=${seed} repeats this run`);
    const again = await serviceRun({ ...env, SIM_SEED: String(seed) }, 5);
    const k = Math.min(first.ids.length, again.ids.length);
    expect(again.ids.slice(0, k)).toEqual(first.ids.slice(0, k));
  });
});
