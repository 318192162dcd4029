import { createHash } from 'node:crypto';
import type { RedisConnection as Redis } from './redis-connections';
import { STREAM_FIELDS, streamEntryFields } from '@cprh/besked';
import type { Config } from '@cprh/config';
import { DISPATCH_LUA } from './dispatch-script';
import {
  completionOutcomeOf,
  type CompletionOutcome,
  type CompletionRequest,
  type CompletionSettings,
} from './job-completion';
import type { BlockingHead, OrderTicket } from './order-gate';
import { personOrderKeys } from './order-keys';
import { PipelineError } from './pipeline-error';
import { routeTargets, type RoutingKeys } from './route-targets';

/** The parts of a CloudEvent the dispatcher writes. */
export interface DispatchableEvent {
  id: string;
  type: string;
}

export interface DispatchResult {
  /** Entry id in the main stream. */
  entryId: string;
  /** False when the event had been dispatched before and nothing was written now. */
  written: boolean;
  /** Every stream the event is in (main first). */
  streams: string[];
  /** Written with `orderbroken: true` (an earlier event of the person is missing, or a replay). */
  orderBroken: boolean;
  /** The person's next pending job, to be woken (its turn came); a completed job's call did that. */
  next: string | undefined;
  /** The job's completion in the same call, when the dispatch was asked for one. */
  completion?: CompletionOutcome;
}

/** Nothing written: an earlier event of the same person must enter the streams first. */
export interface DispatchBlocked {
  blocked: BlockingHead;
}

/** One event waiting for the next batch. */
interface Pending {
  eventId: string;
  ticket: OrderTicket;
  /** Target streams, the main one first. */
  streams: string[];
  fields: string[];
  complete: CompletionRequest | undefined;
  resolve: (r: DispatchResult | DispatchBlocked) => void;
  reject: (err: unknown) => void;
}

const DISPATCH_SHA = createHash('sha1').update(DISPATCH_LUA).digest('hex');

/** Most events in one script call: bounds how long one call holds Redis (~30 µs per event). */
export const MAX_DISPATCH_BATCH = 128;

/**
 * Writes each event to the main stream (and its routes) exactly once and, per person, in receive
 * order, whatever retries or re-runs happen: the gate, the check and all writes are one Lua script
 * (see dispatch-script.ts). Events dispatched in the same turn of the event loop (the worker's
 * concurrent jobs) go to Redis together in one script call, in seq order; each caller still gets
 * its own event's result or error. With `completion` settings (the worker's inbox), a dispatch
 * may ask for its job to be completed in the same call; without them the outcome says "not asked"
 * (code 1) and the job completes the usual way.
 */
export class EventDispatcher {
  private readonly cfg: Config['pipeline'];
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly redis: Redis,
    cfg: Config['pipeline'],
    private readonly completion?: CompletionSettings,
  ) {
    this.cfg = cfg;
  }

  /**
   * `order` is the job's place in its person's order; a bare seq (tools, tests) makes the event
   * its own person, so nothing orders it.
   */
  dispatch(event: DispatchableEvent, order: number, routing: RoutingKeys): Promise<DispatchResult>;
  dispatch(
    event: DispatchableEvent,
    order: OrderTicket,
    routing: RoutingKeys,
    complete?: CompletionRequest,
  ): Promise<DispatchResult | DispatchBlocked>;
  dispatch(
    event: DispatchableEvent,
    order: OrderTicket | number,
    routing: RoutingKeys,
    complete?: CompletionRequest,
  ): Promise<DispatchResult | DispatchBlocked> {
    const ticket: OrderTicket =
      typeof order === 'number'
        ? { person: `e-${sha256(event.id)}`, jobId: event.id, seq: order, gapId: event.id, replay: false }
        : order;
    const streams = [this.cfg.eventsStream, ...routeTargets(this.cfg.routes, routing, this.cfg.eventsStream)];
    const fields = streamEntryFields({
      event: JSON.stringify(event),
      id: event.id,
      type: event.type,
      seq: ticket.seq,
    });
    return new Promise<DispatchResult | DispatchBlocked>((resolve, reject) => {
      this.pending.push({ eventId: event.id, ticket, streams, fields, complete, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the current I/O callbacks and microtasks: every job that got this far is in.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    // In seq order: two events of one person in one call both go, the earlier first.
    this.pending.sort((a, b) => a.ticket.seq - b.ticket.seq);
    while (this.pending.length > 0) {
      void this.send(this.pending.splice(0, MAX_DISPATCH_BATCH));
    }
  }

  private async send(batch: Pending[]): Promise<void> {
    const width = batch[0]?.fields.length ?? 0;
    const c = this.completion;
    const now = Date.now();
    const keys: string[] =
      c === undefined
        ? []
        : [c.keys.active, c.keys.stalled, c.keys.completed, c.keys.wait, c.keys.delayed, c.keys.prioritized, c.keys.meta, c.keys.marker];
    const args: string[] = [
      String(this.cfg.dispatchedTtlSeconds),
      String(this.cfg.eventsMaxLen),
      String(batch.length),
      String(width),
      String((batch[0]?.fields.indexOf(STREAM_FIELDS.event) ?? 0) + 2),
      String(keys.length),
      c?.keys.jobPrefix ?? '',
      String(now),
      String(c?.lockDurationMs ?? 0),
      String(c?.keepCompletedMs ?? 0),
      c?.name ?? '',
    ];
    for (const p of batch) {
      const t = p.ticket;
      const order = personOrderKeys(this.cfg.orderKeyPrefix, t.person);
      keys.push(`${this.cfg.dispatchedKeyPrefix}${p.eventId}`, order.pending, order.gaps);
      if (c !== undefined) {
        const jobKey = `${c.keys.jobPrefix}${t.jobId}`;
        keys.push(jobKey, `${jobKey}:lock`);
      }
      keys.push(...p.streams);
      const r = p.complete;
      args.push(String(p.streams.length), t.jobId, String(t.seq), t.gapId, t.replay ? '1' : '0');
      args.push(r?.token ?? '', r?.resultOpen ?? '', r?.dataOpen ?? '', r?.fetchNext === true ? '1' : '0');
      args.push(...p.fields);
    }
    let reply: unknown;
    try {
      reply = await this.call(keys, args);
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => settle(p, Array.isArray(reply) ? reply[i] : undefined, now));
  }

  private async call(keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(DISPATCH_SHA, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
      return this.redis.eval(DISPATCH_LUA, keys.length, ...keys, ...args);
    }
  }
}

/** Narrows a dispatch outcome. */
export function isBlocked(r: DispatchResult | DispatchBlocked): r is DispatchBlocked {
  return 'blocked' in r;
}

/** One event's part of the script's reply (see dispatch-script.ts). */
function settle(p: Pending, part: unknown, now: number): void {
  if (!Array.isArray(part) || part.length < 2 || typeof part[1] !== 'string') {
    p.reject(
      new PipelineError('PIPELINE_DISPATCH_REPLY', `unexpected dispatch reply for event ${p.eventId}`),
    );
  } else if (part[0] === -1) {
    p.reject(new PipelineError('PIPELINE_STREAM_WRONGTYPE', part[1].replace(/^WRONGTYPE /, '')));
  } else if (part[0] === -2) {
    p.resolve({ blocked: { jobId: part[1], seq: Number(part[2]) } });
  } else {
    const next = typeof part[2] === 'string' && part[2] !== '' ? part[2] : undefined;
    const result: DispatchResult = {
      written: part[0] === 1,
      entryId: part[1],
      streams: p.streams,
      orderBroken: part[3] === 1,
      next,
    };
    if (p.complete !== undefined) result.completion = completionOutcomeOf(part[4], now);
    p.resolve(result);
  }
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 32);
}
