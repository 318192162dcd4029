import { Gauge, type Registry } from 'prom-client';

/**
 * A gauge of the time left until an instant (a token's or a certificate's expiry), computed at
 * scrape time so it keeps counting down between renewals. Absent until `set` is first called.
 * With `labelNames` (e.g. `tenant`) each label set counts down on its own.
 */
export class CountdownGauge<L extends string = never> {
  private readonly expiresAt = new Map<string, { labels: Partial<Record<L, string>>; ms: number }>();

  constructor(opts: {
    name: string;
    help: string;
    unitMs: number;
    registry: Registry;
    labelNames?: readonly L[];
  }) {
    const entries = (): { labels: Partial<Record<L, string>>; ms: number }[] => [...this.expiresAt.values()];
    new Gauge<L>({
      name: opts.name,
      help: opts.help,
      registers: [opts.registry],
      labelNames: opts.labelNames ?? [],
      collect() {
        this.reset();
        const now = Date.now();
        for (const e of entries()) this.set(e.labels, (e.ms - now) / opts.unitMs);
      },
    });
  }

  /** Records the instant it expires (a Date or epoch ms); negative values once it has passed. */
  set(expiresAt: Date | number, labels: Partial<Record<L, string>> = {}): void {
    const ms = typeof expiresAt === 'number' ? expiresAt : expiresAt.getTime();
    this.expiresAt.set(keyOf(labels), { labels, ms });
  }

  /** Forgets the instant (nothing held any more); the series disappears from the scrape. */
  clear(labels: Partial<Record<L, string>> = {}): void {
    this.expiresAt.delete(keyOf(labels));
  }
}

function keyOf(labels: object): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}
