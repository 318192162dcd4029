import { randomUUID } from 'node:crypto';
import type { RedisConnection as Redis } from '@cprh/pipeline';
import { STREAM_FIELDS } from '@cprh/besked';
import type { WebhookEndpoint } from '@cprh/config';
import { oneLine } from '@cprh/pipeline';
import { type Logger } from '@cprh/runtime';
import { buildRequest } from './cloud-event-request';
import { entryTimeMs } from './delivery-keys';
import type { Claimed, DeliveryStore, Outcome, Tries } from './delivery-store';
import type { AttemptResult, EndpointClient } from './endpoint-client';
import { retryDelay } from './retry-delay';
import { webhookMetrics } from './webhook-metrics';

export interface DelivererOptions {
  readonly endpoint: WebhookEndpoint;
  readonly stream: string;
  readonly store: DeliveryStore;
  readonly client: EndpointClient;
  readonly redis: Redis;
  readonly pollMs: number;
  readonly log: Logger;
  /** The tenant's id for the metric labels (`default` without TENANTS_FILE). */
  readonly tenant: string;
}

/** A lease outlives the slowest attempt by this much; after it a killed process's persons are due again. */
const LEASE_MARGIN_MS = 5000;

/**
 * Sends one endpoint's queued events. Each round it leases due persons (at most `concurrency` in
 * flight across all processes) and sends each one's first event; a person's next event becomes due
 * only when this one was delivered or dead-lettered, so each person's events arrive in order while
 * other persons go on in parallel. Everything it knows is in Redis: a killed process's leases run
 * out and another process (or the restarted one) sends those events again.
 */
export class EndpointDeliverer {
  private readonly tokenPrefix = randomUUID();
  private inFlight = new Set<Promise<void>>();
  private stopped = false;
  private wakeUp: (() => void) | null = null;
  private woken = false;
  private loop: Promise<void> | null = null;
  private claims = 0;

  constructor(private readonly o: DelivererOptions) {}

  start(): void {
    this.loop = this.run();
  }

  /** Look for work now (an event was queued, an attempt finished, an operator enabled the endpoint). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    const { endpoint, store, log } = this.o;
    while (!this.stopped) {
      this.woken = false;
      let wait = this.o.pollMs;
      try {
        const room = endpoint.concurrency - this.inFlight.size;
        if (room > 0) {
          this.claims += 1;
          const { claimed, nextDue } = await store.claim(
            endpoint.concurrency,
            endpoint.timeoutMs + LEASE_MARGIN_MS,
            `${this.tokenPrefix}:${this.claims}`,
          );
          for (const c of claimed.slice(0, room)) this.track(this.deliver(c));
          if (nextDue !== null) wait = Math.max(0, Math.min(wait, nextDue - Date.now()));
        }
      } catch (err) {
        log.warn({ err: oneLine(err) }, 'webhook claim failed');
        wait = 1000;
      }
      if (this.woken || this.stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => {
      this.inFlight.delete(p);
      this.wake();
    });
  }

  private async eventJson(entryId: string): Promise<string | null> {
    const rows = await this.o.redis.xrange(this.o.stream, entryId, entryId);
    const fields = rows[0]?.[1];
    if (fields === undefined) return null;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === STREAM_FIELDS.event) return fields[i + 1] ?? null;
    }
    return null;
  }

  private async deliver(c: Claimed): Promise<void> {
    const { endpoint, store, log } = this.o;
    const label = { endpoint: endpoint.id, tenant: this.o.tenant };
    try {
      const json = await this.eventJson(c.entryId);
      const attempts = (c.tries?.attempts ?? 0) + 1;
      const now = Date.now();
      if (json === null) {
        // Trimmed from the stream: nothing left to send, and retrying cannot bring it back.
        await store.complete(c, {
          kind: 'dead',
          dead: {
            eventId: c.eventId,
            entryId: c.entryId,
            slot: c.slot,
            attempts: attempts - 1,
            lastStatus: c.tries?.status ?? null,
            lastError: 'WEBHOOKS_EVENT_GONE: the stream entry was trimmed',
            firstAttemptAt: c.tries?.firstAt ?? null,
            deadAt: now,
          },
        });
        webhookMetrics.deadLettered.inc(label);
        log.warn({ eventId: c.eventId }, 'webhook event gone from the stream');
        return;
      }
      const request = buildRequest(json, endpoint.mode, endpoint.secrets, Math.floor(now / 1000));
      const result = await this.o.client.send(request);
      webhookMetrics.attempts.inc(label);
      webhookMetrics.latency.observe(label, result.seconds);
      const outcome = this.outcomeOf(c, attempts, result, now);
      const recorded = await store.complete(c, outcome);
      this.report(c, attempts, result, outcome, recorded);
    } catch (err) {
      // Redis failed: the lease runs out and the event is sent again (at least once).
      log.warn({ eventId: c.eventId, err: oneLine(err) }, 'webhook attempt not recorded');
    }
  }

  private outcomeOf(c: Claimed, attempts: number, r: AttemptResult, startedAt: number): Outcome {
    const { endpoint } = this.o;
    if (r.status !== undefined && r.status >= 200 && r.status < 300) return { kind: 'delivered' };
    const tries: Tries = {
      attempts,
      status: r.status ?? null,
      error: r.error ?? null,
      firstAt: c.tries?.firstAt ?? startedAt,
      lastAt: startedAt,
    };
    if (r.status === 410) {
      // The receiver says the endpoint is gone for good: stop sending until an operator enables it.
      return { kind: 'gone', tries, disabled: { reason: 'HTTP 410 Gone', at: Date.now() } };
    }
    if (attempts >= endpoint.attempts) {
      return {
        kind: 'dead',
        dead: {
          eventId: c.eventId,
          entryId: c.entryId,
          slot: c.slot,
          attempts,
          lastStatus: tries.status,
          lastError: tries.error,
          firstAttemptAt: tries.firstAt,
          deadAt: Date.now(),
        },
      };
    }
    const delay = retryDelay(attempts, endpoint.backoffMs, endpoint.maxBackoffMs, r.retryAfterMs);
    return { kind: 'retry', dueAt: Date.now() + delay, tries };
  }

  private report(c: Claimed, attempts: number, r: AttemptResult, o: Outcome, recorded: boolean): void {
    const { endpoint, log } = this.o;
    const label = { endpoint: endpoint.id, tenant: this.o.tenant };
    const ctx = { eventId: c.eventId, attempt: attempts, status: r.status };
    if (o.kind === 'delivered') {
      webhookMetrics.delivered.inc(label);
      webhookMetrics.endToEnd.observe(label, Math.max(0, Date.now() - entryTimeMs(c.entryId)) / 1000);
      log.debug(ctx, 'webhook delivered');
    } else {
      webhookMetrics.failed.inc(label);
      if (o.kind === 'dead') {
        webhookMetrics.deadLettered.inc(label);
        log.warn({ ...ctx, err: r.error }, 'webhook dead-lettered after its last attempt');
      } else if (o.kind === 'gone') {
        webhookMetrics.enabled.set(label, 0);
        log.error(ctx, 'webhook endpoint answered 410 Gone: disabled until `cprh webhooks enable`');
      } else {
        log.info(
          { ...ctx, err: r.error, retryInMs: o.dueAt - Date.now() },
          'webhook attempt failed, will retry',
        );
      }
    }
    if (!recorded) log.warn(ctx, 'webhook lease ran out during the attempt: another attempt may repeat it');
  }

  /** Stops leasing; attempts in flight finish and are recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }
}
