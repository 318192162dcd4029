import type { Config } from '@cprh/config';

export type FaultPoint = Config['pipeline']['fault']['point'];

/**
 * TEST-ONLY fault injection (FAULT_INJECT), off by default. At the configured point and occurrence
 * a `crash-*` point kills the process with SIGKILL (the same as `kill -9` at the worst moment);
 * other points make `hit` return true once and the caller performs the fault.
 */
export class FaultInjector {
  private seen = 0;

  constructor(private readonly fault: Config['pipeline']['fault']) {}

  hit(point: Exclude<FaultPoint, 'off'>): boolean {
    if (this.fault.point !== point) return false;
    this.seen += 1;
    if (this.seen !== this.fault.at) return false;
    if (point.startsWith('crash-')) {
      process.stderr.write(`FAULT_INJECT ${point}: killing pid ${process.pid} with SIGKILL\n`);
      process.kill(process.pid, 'SIGKILL');
    }
    process.stderr.write(`FAULT_INJECT ${point}\n`);
    return true;
  }
}
