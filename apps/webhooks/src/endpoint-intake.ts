import { randomUUID } from 'node:crypto';
import type { RedisConnection as Redis } from '@cprh/pipeline';
import type { CprCloudEvent } from '@cprh/besked';
import type { WebhookEndpoint } from '@cprh/config';
import { createEventConsumer, type EventConsumer } from '@cprh/consumer';
import { oneLine } from '@cprh/pipeline';
import { type Logger } from '@cprh/runtime';
import { endpointGroup } from './delivery-keys';
import type { DeliveryStore } from './delivery-store';
import { personKeyOf, personSlot } from './person-key';
import { WebhooksError } from './webhooks-error';

export interface IntakeOptions {
  readonly endpoint: WebhookEndpoint;
  readonly stream: string;
  readonly store: DeliveryStore;
  readonly redis: Redis;
  readonly leaseMs: number;
  readonly acceptedTtlMs: number;
  readonly log: Logger;
  /** Called after an event was queued (the local deliverer looks for work at once). */
  readonly onQueued: () => void;
}

/** True when the event's type starts with one of the endpoint's prefixes (none = every type). */
export function wantsEvent(endpoint: WebhookEndpoint, event: CprCloudEvent): boolean {
  return endpoint.types.length === 0 || endpoint.types.some((p) => event.type.startsWith(p));
}

/**
 * Reads one endpoint's stream into its delivery queues. Only one process at a time does this per
 * endpoint (a lease in Redis, renewed every third of WEBHOOKS_INTAKE_LEASE_MS), always as the same
 * consumer of the endpoint's group: a process that takes over first re-reads the entries the last
 * one read and did not acknowledge, in stream order, so the per-person order of the stream is the
 * order of the queues. Each queue write checks the lease (fencing) and skips an event taken before.
 */
export class EndpointIntake {
  private readonly token = randomUUID();
  private consumer: EventConsumer | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private tick: Promise<void> = Promise.resolve();
  /**
   * Set when an event could not be queued: every later entry is refused too, and the next lease
   * tick starts the consumer afresh, which re-reads the unacknowledged entries in stream order, so
   * a failure never lets a person's later event overtake an earlier one.
   */
  private broken = false;

  constructor(private readonly o: IntakeOptions) {}

  start(): void {
    const every = Math.max(100, Math.floor(this.o.leaseMs / 3));
    const run = (): void => {
      this.tick = this.tick.then(() => this.keepLease()).catch(() => undefined);
    };
    run();
    this.timer = setInterval(run, every);
  }

  /** Takes or renews the lease; starts reading when it was taken, stops when it was lost. */
  private async keepLease(): Promise<void> {
    if (this.stopped) return;
    let held: boolean;
    try {
      held = await this.o.store.holdIntake(this.token, this.o.leaseMs);
    } catch (err) {
      this.o.log.warn({ err: oneLine(err) }, 'webhook intake lease not renewed');
      return;
    }
    if (held && this.broken && this.consumer !== null) {
      const c = this.consumer;
      this.consumer = null;
      await c.stop();
    }
    if (held && this.consumer === null && !this.stopped) {
      this.broken = false;
      this.o.log.info({ stream: this.o.stream }, 'webhook intake reading');
      this.consumer = this.createConsumer();
      await this.consumer.start().catch((err: unknown) => {
        this.o.log.warn({ err: oneLine(err) }, 'webhook intake did not start');
        this.consumer = null;
      });
    } else if (!held && this.consumer !== null) {
      this.o.log.warn('webhook intake lost to another process');
      const c = this.consumer;
      this.consumer = null;
      await c.stop();
    }
  }

  private createConsumer(): EventConsumer {
    const { endpoint, store, log } = this.o;
    return createEventConsumer({
      redis: this.o.redis,
      stream: this.o.stream,
      group: endpointGroup(endpoint.id),
      // One name for every process: whoever holds the lease re-reads what the last holder left.
      consumer: 'intake',
      from: endpoint.from === 'all' ? '0' : '$',
      blockMs: 1000,
      claimIdleMs: Math.max(2000, this.o.leaseMs),
      handler: async (event, { entryId }) => {
        if (this.broken) {
          throw new WebhooksError('WEBHOOKS_INTAKE_HELD', `entry ${entryId} waits for an earlier entry`);
        }
        if (!wantsEvent(endpoint, event)) return;
        const slot = personSlot(personKeyOf(event));
        let r: number;
        try {
          r = await store.accept(this.token, event.id, entryId, slot, this.o.acceptedTtlMs);
        } catch (err) {
          this.broken = true;
          throw err;
        }
        if (r < 0) {
          this.broken = true;
          throw new WebhooksError(
            'WEBHOOKS_INTAKE_LOST',
            `endpoint ${endpoint.id}: intake taken over, entry ${entryId} left to the new holder`,
          );
        }
        if (r > 0) this.o.onQueued();
      },
      onError: (err, entryId) => log.warn({ entryId, err: oneLine(err) }, 'webhook intake: entry not queued'),
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    await this.tick;
    const c = this.consumer;
    this.consumer = null;
    if (c !== null) await c.stop();
    await this.o.store.releaseIntake(this.token).catch(() => undefined);
  }
}
