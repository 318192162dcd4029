import type { Config } from '@cprh/config';

export type FaultPoint = Config['pipeline']['fault']['point'];

/**
 * TEST-ONLY fault injection (FAULT_INJECT): at the configured point and occurrence the process
 * kills itself with SIGKILL, the same as `kill -9` at the worst moment. Off by default.
 */
export class FaultInjector {
  private seen = 0;

  constructor(private readonly fault: Config['pipeline']['fault']) {}

  hit(point: Exclude<FaultPoint, 'off'>): void {
    if (this.fault.point !== point) return;
    this.seen += 1;
    if (this.seen === this.fault.at) {
      process.stderr.write(`FAULT_INJECT ${point}: killing pid ${process.pid} with SIGKILL\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  }
}
