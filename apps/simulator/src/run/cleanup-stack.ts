/** What a half-started simulator has to undo, run newest first; one failing step does not stop the rest. */
export class CleanupStack {
  private readonly steps: (() => Promise<unknown>)[] = [];

  push(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop() as () => Promise<unknown>;
      await step().catch(() => undefined);
    }
  }
}
