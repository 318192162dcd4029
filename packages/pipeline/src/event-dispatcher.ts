import { createHash } from 'node:crypto';
import type { RedisConnection as Redis } from './redis-connections';
import { streamEntryFields } from '@cprh/besked';
import type { Config } from '@cprh/config';
import { DISPATCH_LUA } from './dispatch-script';
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
}

/** One event waiting for the next batch. */
interface Pending {
  eventId: string;
  /** Target streams, the main one first. */
  streams: string[];
  fields: string[];
  resolve: (r: DispatchResult) => void;
  reject: (err: unknown) => void;
}

const DISPATCH_SHA = createHash('sha1').update(DISPATCH_LUA).digest('hex');

/** Most events in one script call: bounds how long one call holds Redis (~30 µs per event). */
export const MAX_DISPATCH_BATCH = 128;

/**
 * Writes each event to the main stream (and its routes) exactly once, whatever retries or
 * re-runs happen: the check and all writes are one Lua script (see dispatch-script.ts).
 * Events dispatched in the same turn of the event loop (the worker's concurrent jobs) go to Redis
 * together in one script call; each caller still gets its own event's result or error.
 */
export class EventDispatcher {
  private readonly cfg: Config['pipeline'];
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly redis: Redis,
    cfg: Config['pipeline'],
  ) {
    this.cfg = cfg;
  }

  dispatch(event: DispatchableEvent, seq: number, routing: RoutingKeys): Promise<DispatchResult> {
    const streams = [this.cfg.eventsStream, ...routeTargets(this.cfg.routes, routing, this.cfg.eventsStream)];
    const fields = streamEntryFields({ event: JSON.stringify(event), id: event.id, type: event.type, seq });
    return new Promise<DispatchResult>((resolve, reject) => {
      this.pending.push({ eventId: event.id, streams, fields, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the current I/O callbacks and microtasks: every job that got this far is in.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.pending.length > 0) {
      void this.send(this.pending.splice(0, MAX_DISPATCH_BATCH));
    }
  }

  private async send(batch: Pending[]): Promise<void> {
    const width = batch[0]?.fields.length ?? 0;
    const keys: string[] = [];
    const args: string[] = [
      String(this.cfg.dispatchedTtlSeconds),
      String(this.cfg.eventsMaxLen),
      String(batch.length),
      String(width),
    ];
    for (const p of batch) {
      keys.push(`${this.cfg.dispatchedKeyPrefix}${p.eventId}`, ...p.streams);
      args.push(String(p.streams.length), ...p.fields);
    }
    let reply: unknown;
    try {
      reply = await this.call(keys, args);
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => settle(p, Array.isArray(reply) ? reply[i] : undefined));
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

/** One event's part of the script's reply: {1|0, entry id} or {-1, reason}. */
function settle(p: Pending, part: unknown): void {
  if (!Array.isArray(part) || part.length !== 2 || typeof part[1] !== 'string') {
    p.reject(
      new PipelineError('PIPELINE_DISPATCH_REPLY', `unexpected dispatch reply for event ${p.eventId}`),
    );
  } else if (part[0] === -1) {
    p.reject(new PipelineError('PIPELINE_STREAM_WRONGTYPE', part[1].replace(/^WRONGTYPE /, '')));
  } else {
    p.resolve({ written: part[0] === 1, entryId: part[1], streams: p.streams });
  }
}
