import { Gauge, type Registry } from 'prom-client';

/**
 * A gauge of the time left until an instant (a token's or a certificate's expiry), computed at
 * scrape time so it keeps counting down between renewals. Absent until `set` is first called.
 */
export class CountdownGauge {
  private expiresAtMs: number | undefined;

  constructor(opts: { name: string; help: string; unitMs: number; registry: Registry }) {
    const expiresAt = (): number | undefined => this.expiresAtMs;
    new Gauge({
      name: opts.name,
      help: opts.help,
      registers: [opts.registry],
      collect() {
        this.reset();
        const at = expiresAt();
        if (at !== undefined) this.set((at - Date.now()) / opts.unitMs);
      },
    });
  }

  /** Records the instant it expires (a Date or epoch ms); negative values once it has passed. */
  set(expiresAt: Date | number): void {
    this.expiresAtMs = typeof expiresAt === 'number' ? expiresAt : expiresAt.getTime();
  }

  /** Forgets the instant (nothing held any more); the gauge disappears from the scrape. */
  clear(): void {
    this.expiresAtMs = undefined;
  }
}
