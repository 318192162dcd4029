import { haendelsesbeskedXml, modtagBeskedInputXml, wrapModtagBeskedInput } from '../besked/besked-xml';
import { Chaos, malform, NO_CHAOS } from '../chaos/chaos';
import type { PullPublisher } from '../dueslag/pull-publisher';
import { PushSender, type PushOptions, type PushResult } from '../push/push-sender';
import type { SimEvent } from '../population/sim-event';
import { compileSubscription, type CompiledFilter, type Subscription } from './subscription';
import { matches, type VaerdilisteLookup } from './subscription-matcher';

/** Counts per subscription, for `cprh sim` and tests. */
export interface DeliveryStats {
  matched: number;
  published: number;
  pushed: number;
  pushFailed: number;
  duplicates: number;
  redeliveries: number;
  malformed: number;
}

const emptyStats = (): DeliveryStats => ({
  matched: 0,
  published: 0,
  pushed: 0,
  pushFailed: 0,
  duplicates: 0,
  redeliveries: 0,
  malformed: 0,
});

interface Entry {
  readonly sub: Subscription;
  readonly filter: CompiledFilter;
  readonly stats: DeliveryStats;
  readonly pusher?: PushSender;
}

export interface DistributorOptions {
  readonly publisher?: PullPublisher;
  readonly lookup: VaerdilisteLookup;
  readonly push?: Omit<PushOptions, 'tls'> & { tls?: PushOptions['tls'] };
  readonly chaos?: Chaos;
  readonly onPushResult?: (subscriptionId: string, r: PushResult) => void;
}

/**
 * Beskedfordeler's core: each event goes to every subscription whose filter it matches, by
 * pull (dueslag queue) or push (HTTPS), with chaos applied on request.
 */
export class Distributor {
  private readonly entries = new Map<string, Entry>();
  private readonly chaos: Chaos;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly background = new Set<Promise<unknown>>();

  private publisher: PullPublisher | undefined;

  constructor(private readonly options: DistributorOptions) {
    this.chaos = options.chaos ?? new Chaos(NO_CHAOS, 0);
    this.publisher = options.publisher;
  }

  /** Swaps the RabbitMQ publisher (after a reconnect). */
  setPublisher(publisher: PullPublisher | undefined): void {
    this.publisher = publisher;
  }

  /** Adds or replaces a subscription (throws SIM_SUBSCRIPTION_INVALID). */
  add(sub: Subscription): void {
    const filter = compileSubscription(sub);
    const old = this.entries.get(sub.id);
    // The replaced subscription's connections close in the background: add() stays synchronous.
    if (old?.pusher) void old.pusher.close();
    let pusher: PushSender | undefined;
    if (sub.delivery.mode === 'push') {
      const push = this.options.push;
      if (!push?.tls) throw new Error('push subscriptions need push TLS settings');
      pusher = new PushSender({ ...push, tls: push.tls }, this.chaos, (r) =>
        this.options.onPushResult?.(sub.id, r),
      );
    }
    this.entries.set(sub.id, { sub, filter, stats: emptyStats(), ...(pusher ? { pusher } : {}) });
  }

  remove(id: string): boolean {
    const e = this.entries.get(id);
    if (e?.pusher) void e.pusher.close();
    return this.entries.delete(id);
  }

  list(): Subscription[] {
    return [...this.entries.values()].map((e) => e.sub);
  }

  stats(id: string): DeliveryStats | undefined {
    const s = this.entries.get(id)?.stats;
    return s ? { ...s } : undefined;
  }

  /**
   * Delivers a batch. Resolves when pull messages are confirmed by the broker and pushes are
   * queued (use `settle()` to wait for pushes and scheduled redeliveries too).
   */
  async dispatch(events: readonly SimEvent[]): Promise<void> {
    const valueLists = new Map<string, ReadonlySet<string>>();
    for (const entry of this.entries.values()) {
      const matched: SimEvent[] = [];
      for (const e of events) {
        if (await matches(entry.filter, e, this.options.lookup, valueLists)) matched.push(e);
      }
      entry.stats.matched += matched.length;
      for (const event of this.chaos.reorder(matched)) {
        const copies = this.chaos.duplicate() ? 2 : 1;
        if (copies === 2) entry.stats.duplicates++;
        for (let i = 0; i < copies; i++) await this.deliver(entry, event, 1);
        if (this.chaos.redeliver()) {
          entry.stats.redeliveries++;
          const t = setTimeout(() => {
            this.timers.delete(t);
            const p = this.deliver(entry, event, 2).catch(() => undefined);
            this.track(p);
          }, this.chaos.redeliveryDelayMs());
          this.timers.add(t);
        }
      }
    }
    await this.publisher?.flush();
  }

  private track(p: Promise<unknown>): void {
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }

  private async deliver(entry: Entry, event: SimEvent, attempt: number): Promise<void> {
    const sub = entry.sub;
    const bad = this.chaos.malformed();
    if (bad) entry.stats.malformed++;
    const delivery = (n: number) => ({
      attempt: n,
      subscriptionId: sub.id,
      deliveredAt: new Date(),
      ...(sub.cvr !== undefined ? { recipientCvr: sub.cvr } : {}),
    });
    if (sub.delivery.mode === 'pull') {
      const publisher = this.publisher;
      if (!publisher) throw new Error('pull subscriptions need a RabbitMQ publisher');
      let xml = haendelsesbeskedXml(event, delivery(attempt));
      if (bad) xml = malform(xml, bad);
      await publisher.publish(sub.dueslag, xml, event.transaktionsId);
      entry.stats.published++;
      return;
    }
    const url = sub.delivery.url;
    const body = (n: number) =>
      bad
        ? malform(wrapModtagBeskedInput(haendelsesbeskedXml(event, delivery(n), false)), bad)
        : modtagBeskedInputXml(event, delivery(n));
    const p = (entry.pusher as PushSender)
      .enqueue({ url, beskedId: event.beskedId, body, firstAttempt: attempt })
      .then((r) => {
        if (r.ok) entry.stats.pushed++;
        else entry.stats.pushFailed++;
      });
    this.track(p);
  }

  /** Waits for queued pushes and scheduled redeliveries (bounded by `timeoutMs`). */
  async settle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((this.timers.size > 0 || this.background.size > 0) && Date.now() < deadline) {
      // Always wait on a real timer: an empty allSettled resolves at once and would starve timers.
      const tick = new Promise((r) => setTimeout(r, 50));
      await (this.background.size > 0
        ? Promise.race([Promise.allSettled([...this.background]).then(() => tick), tick])
        : tick);
    }
    await this.publisher?.flush();
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.entries.values()].flatMap((e) => (e.pusher ? [e.pusher.close()] : [])));
  }
}
