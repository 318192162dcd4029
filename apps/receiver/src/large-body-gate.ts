import type { IncomingMessage } from 'node:http';

/**
 * Large bodies one at a time. Reading, checking and storing a body of megabytes costs the event
 * loop tens of milliseconds (TLS, copies, the dead letter's JSON), so several at once would hold
 * up the small pushes of everyone else. A request whose body is large (by Content-Length, or of
 * unknown length) waits here before its body is read (TCP holds the sender back meanwhile); when
 * `maxWaiting` already wait, it is answered 503 at once and its connection closed.
 */
export class LargeBodyGate {
  private active = 0;
  private readonly waiting: { req: IncomingMessage; admit: () => void }[] = [];

  constructor(
    private readonly slots: number,
    private readonly maxWaiting: number,
  ) {}

  /** A release function once admitted; 'full' when too many wait; 'gone' when the client left. */
  enter(req: IncomingMessage): Promise<(() => void) | 'full' | 'gone'> {
    if (this.active < this.slots) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.maxWaiting) return Promise.resolve('full');
    return new Promise((resolve) => {
      const entry = {
        req,
        admit: () => {
          req.off('close', onClose);
          resolve(this.releaser());
        },
      };
      const onClose = (): void => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve('gone');
      };
      req.once('close', onClose);
      this.waiting.push(entry);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next === undefined) this.active--;
      else next.admit(); // the slot passes on
    };
  }
}
