import { makeDevPki } from '@cprh/testkit';
import {
  connectionBursts,
  headerFlood,
  namespaceBombs,
  slowHandshakes,
  twoBeskedBodies,
} from './support/abuse';
import { runHostileLoad, type HostileRunResult, type PhaseResult } from './support/hostile-run';

// The target, with bounded abuse (the bench runs the full sizes): during each kind of
// abuse, a well-behaved client in another process pushing 20/s is answered within 2 s at p99,
// every push is stored exactly once, and the receiver's RSS stays under 512 MB.
describe('the receiver under hostile load (receiver, good client and abuse in separate processes)', () => {
  const pki = makeDevPki();
  let run: HostileRunResult;
  const phase = (name: string): PhaseResult => {
    const p = run.phases.find((x) => x.name === name);
    if (p === undefined) throw new Error(`no phase ${name}`);
    return p;
  };

  beforeAll(async () => {
    run = await runHostileLoad({
      pki,
      rate: 20,
      phaseMs: 3000,
      receiverEnv: { RECEIVER_HANDSHAKE_TIMEOUT_MS: '2000' },
      phases: [
        { name: 'none', start: () => undefined },
        { name: 'slow handshakes', start: (t) => slowHandshakes(t, 100, 1000) },
        { name: 'connection bursts', start: (t) => connectionBursts(t, 300, 1000) },
        { name: 'header flood', start: (t) => headerFlood(t, 4) },
        { name: 'namespace bomb', start: (t) => namespaceBombs(t, 1, 5_800_000) },
        { name: 'two Haendelsesbesked', start: (t) => twoBeskedBodies(t, 4) },
      ],
    });
    // What was measured, one line per phase, for the log of a failing run.
    console.log(
      [
        ...run.phases.map(
          (p) =>
            `${p.name}: ${p.pushes} pushes, p50 ${p.p50.toFixed(0)} ms, p99 ${p.p99.toFixed(0)} ms, ` +
            `unanswered ${p.unanswered}, retried ${p.retried}, loop lag ${p.loopLagMaxMs.toFixed(0)} ms, ` +
            `refused ${JSON.stringify(p.refused)}, abuser saw ${JSON.stringify(p.abuse)}`,
        ),
        `peak RSS ${run.rssPeakMb.toFixed(0)} MB, answered ${run.answered}, missing ${run.missing.length}, ` +
          `extra ${run.extra}, client errors ${run.clientErrors.length}, receiver stderr ${run.receiverStderr.length}`,
      ].join('\n'),
    );
  }, 180_000);
  afterAll(() => pki.remove());

  it.each([
    'none',
    'slow handshakes',
    'connection bursts',
    'header flood',
    'namespace bomb',
    'two Haendelsesbesked',
  ])('during %s the good pushes are answered 20 within 2 s at p99', (name) => {
    const p = phase(name);
    expect(p.pushes).toBeGreaterThanOrEqual(45); // 3 s at 20/s
    expect(p.unanswered).toBe(0);
    expect(p.p99).toBeLessThan(2000);
  });

  it('stores every good push exactly once and nothing else in the inbox', () => {
    expect(run.clientErrors).toEqual([]);
    expect(run.answered).toBeGreaterThan(300);
    expect(run.missing).toEqual([]);
    expect(run.extra).toBe(0);
  });

  it('keeps its RSS under 512 MB', () => {
    expect(run.rssPeakMb).toBeGreaterThan(0);
    expect(run.rssPeakMb).toBeLessThan(512);
  });

  it('closes slow handshakes at the deadline and connections beyond the handshake cap at accept', () => {
    expect(phase('slow handshakes').refused.handshake_timeout ?? 0).toBeGreaterThan(0);
    expect(phase('slow handshakes').abuse['closed later'] ?? 0).toBeGreaterThan(0);
    expect(phase('connection bursts').refused.max_handshakes ?? 0).toBeGreaterThan(0);
  });

  it('answers the abusive requests as the contract says', () => {
    expect(phase('header flood').abuse['431'] ?? 0).toBeGreaterThan(0);
    expect(phase('namespace bomb').abuse['200 40'] ?? 0).toBeGreaterThan(0);
    expect(phase('two Haendelsesbesked').abuse['400 40'] ?? 0).toBeGreaterThan(0);
    for (const p of run.phases) expect([p.name, p.abuse['200 20'] ?? 0]).toEqual([p.name, 0]);
  });

  it('refuses a 5.8 MB namespace bomb without blocking its event loop', () => {
    // Unbounded, one such body blocked the loop 2.4-6.6 s (read twice, on the loop).
    expect(phase('namespace bomb').loopLagMaxMs).toBeLessThan(500);
  });
});
