/**
 * Runs tasks one at a time in call order, so the rate loop and emit() never interleave a batch.
 * A failed task does not stop the ones after it.
 */
export class SerialLane {
  private chain: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every task queued so far has ended. */
  async idle(): Promise<void> {
    await this.chain;
  }
}
