import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
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

const DISPATCH_SHA = createHash('sha1').update(DISPATCH_LUA).digest('hex');

/**
 * Writes each event to the main stream (and its routes) exactly once, whatever retries or
 * re-runs happen: the check and all writes are one Lua script (see dispatch-script.ts).
 */
export class EventDispatcher {
  private readonly cfg: Config['pipeline'];

  constructor(
    private readonly redis: Redis,
    cfg: Config['pipeline'],
  ) {
    this.cfg = cfg;
  }

  async dispatch(event: DispatchableEvent, seq: number, routing: RoutingKeys): Promise<DispatchResult> {
    const streams = [this.cfg.eventsStream, ...routeTargets(this.cfg.routes, routing, this.cfg.eventsStream)];
    const keys = [`${this.cfg.dispatchedKeyPrefix}${event.id}`, ...streams];
    const args = [
      String(this.cfg.dispatchedTtlSeconds),
      String(this.cfg.eventsMaxLen),
      ...streamEntryFields({ event: JSON.stringify(event), id: event.id, type: event.type, seq }),
    ];
    let reply: unknown;
    try {
      reply = await this.redis.evalsha(DISPATCH_SHA, keys.length, ...keys, ...args);
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw wrap(err);
      reply = await this.redis.eval(DISPATCH_LUA, keys.length, ...keys, ...args).catch((e: unknown) => {
        throw wrap(e);
      });
    }
    if (!Array.isArray(reply) || reply.length !== 2 || typeof reply[1] !== 'string') {
      throw new PipelineError('PIPELINE_DISPATCH_REPLY', `unexpected dispatch reply for event ${event.id}`);
    }
    return { written: reply[0] === 1, entryId: reply[1], streams };
  }
}

function wrap(err: unknown): unknown {
  if (err instanceof Error && err.message.includes('WRONGTYPE target')) {
    return new PipelineError('PIPELINE_STREAM_WRONGTYPE', err.message.replace(/^.*WRONGTYPE /, ''), {
      cause: err,
    });
  }
  return err;
}
