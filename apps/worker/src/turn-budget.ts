/**
 * Spreads a burst of jobs over turns of the event loop: at most `perTurn` pass `take()` in one
 * turn, the rest wait for the next. Jobs arrive in bursts (one dispatch call hands each slot its
 * next job at once), and parsing them all before anything is sent let the worker and Redis take
 * turns instead of working together: with a budget, the dispatch of the first jobs (EventDispatcher
 * sends at the end of the turn) is in Redis while the next ones are parsed (`pnpm bench`).
 */
export class TurnBudget {
  private used = 0;
  private resetting = false;

  constructor(private readonly perTurn: number) {}

  async take(): Promise<void> {
    while (this.used >= this.perTurn) await new Promise<void>((resolve) => setImmediate(resolve));
    this.used += 1;
    if (this.resetting) return;
    this.resetting = true;
    setImmediate(() => {
      this.used = 0;
      this.resetting = false;
    });
  }
}
