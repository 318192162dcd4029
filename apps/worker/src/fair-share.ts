/** What the fair share needs of a BullMQ Worker: its concurrency, and the event of a job taken. */
export interface ShareableWorker {
  concurrency: number;
  on(event: 'active', listener: () => void): unknown;
}

export interface FairShareOptions {
  /** WORKER_CONCURRENCY: what a municipality gets while it is the only one with work. */
  readonly full: number;
  /** WORKER_FAIR_CONCURRENCY: what each gets while two or more have work. */
  readonly fair: number;
  /** A municipality counts as having work this long after it last took a job. */
  readonly windowMs?: number;
  /** How often the shares are set. */
  readonly tickMs?: number;
  readonly now?: () => number;
}

/**
 * Keeps one municipality's backlog from starving the others in a worker process. Every
 * municipality's BullMQ Workers run in one event loop and against one Redis, so a quiet
 * municipality's job waits behind whatever a busy one has in flight: with 64 of a backlog's jobs in
 * flight, its p99 was ~0.9 s at 50 events/s; with 8, ~0.1 s (README "Fairness"). So while two or
 * more municipalities have taken a job within the window, each gets `fair` jobs in parallel; a
 * municipality alone with work gets `full`, so a single backlog still drains at full speed.
 */
export class FairShare {
  private readonly workers = new Map<string, ShareableWorker[]>();
  private readonly lastActive = new Map<string, number>();
  private readonly windowMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private current: number;

  constructor(private readonly o: FairShareOptions) {
    this.windowMs = o.windowMs ?? 2000;
    this.now = o.now ?? Date.now;
    this.current = o.full;
  }

  /** Adds one of a municipality's inbox Workers (one per partition it serves). */
  register(tenant: string, worker: ShareableWorker): void {
    const list = this.workers.get(tenant) ?? [];
    list.push(worker);
    this.workers.set(tenant, list);
    worker.concurrency = this.current;
    worker.on('active', () => this.lastActive.set(tenant, this.now()));
  }

  start(): void {
    this.timer = setInterval(() => this.apply(), this.o.tickMs ?? 200);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The municipalities that took a job within the window. */
  busy(): string[] {
    const since = this.now() - this.windowMs;
    return [...this.lastActive].filter(([, at]) => at >= since).map(([tenant]) => tenant);
  }

  /** Sets every Worker's concurrency for the municipalities with work now; returns it. */
  apply(): number {
    const target = this.busy().length >= 2 ? this.o.fair : this.o.full;
    if (target !== this.current) {
      this.current = target;
      // BullMQ takes no new job while a Worker has `concurrency` in flight; the ones running finish.
      for (const list of this.workers.values()) for (const w of list) w.concurrency = target;
    }
    return target;
  }
}
