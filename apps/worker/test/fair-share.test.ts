import { EventEmitter } from 'node:events';
import { FairShare, type ShareableWorker } from '../src/fair-share';

/** A stand-in with a Worker's two members the share uses; the scheduling is what is tested here. */
class StandIn extends EventEmitter implements ShareableWorker {
  concurrency = 1;
  take(): void {
    this.emit('active');
  }
}

describe('FairShare', () => {
  it('gives full concurrency to a municipality alone with work, the fair share while two or more have work', () => {
    let now = 0;
    const share = new FairShare({ full: 64, fair: 8, windowMs: 2000, now: () => now });
    const a0 = new StandIn();
    const a1 = new StandIn();
    const b = new StandIn();
    const c = new StandIn();
    share.register('a', a0);
    share.register('a', a1);
    share.register('b', b);
    share.register('c', c);
    expect([a0, a1, b, c].map((w) => w.concurrency)).toEqual([64, 64, 64, 64]);

    a0.take();
    expect(share.apply()).toBe(64);
    now = 500;
    b.take();
    expect(share.apply()).toBe(8);
    expect([a0, a1, b, c].map((w) => w.concurrency)).toEqual([8, 8, 8, 8]);
    expect(share.busy().sort()).toEqual(['a', 'b']);

    // b goes quiet: after the window a has the process to itself again.
    now = 2400;
    a1.take();
    expect(share.apply()).toBe(8);
    now = 2600;
    expect(share.busy()).toEqual(['a']);
    expect(share.apply()).toBe(64);
    expect([a0, a1, b, c].map((w) => w.concurrency)).toEqual([64, 64, 64, 64]);

    // Nobody busy: full (the next one to get work starts at full speed).
    now = 10_000;
    expect(share.apply()).toBe(64);
  });
});
