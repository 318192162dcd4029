import pino, { type DestinationStream } from 'pino';

/**
 * Log output that holds the lines written while a process starts. Once the start succeeds they are
 * written out (`release`); when it fails they are dropped (`discard`), so a failed start shows
 * only its one error line. A start still busy after `maxHoldMs` is released anyway: a slow start
 * still shows what it is doing.
 */
export class HeldLogOutput implements DestinationStream {
  private held: string[] | undefined = [];
  private dropping = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly target: DestinationStream = pino.destination(1),
    maxHoldMs = 10_000,
  ) {
    this.timer = setTimeout(() => this.release(), maxHoldMs);
    this.timer.unref();
  }

  write(line: string): void {
    if (this.dropping) return;
    if (this.held) this.held.push(line);
    else this.target.write(line);
  }

  /** Writes what was held and passes every later line straight through. */
  release(): void {
    clearTimeout(this.timer);
    const held = this.held ?? [];
    this.held = undefined;
    for (const line of held) this.target.write(line);
  }

  /** Drops what was held and every later line (the process is about to exit with one line). */
  discard(): void {
    clearTimeout(this.timer);
    this.held = undefined;
    this.dropping = true;
  }
}
