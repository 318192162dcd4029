import Redis, { Cluster } from 'ioredis';
import { DEFAULT_EVENTS_STREAM } from '@cprh/besked';
import { ConsumerError } from './consumer-error';
import type { EventConsumer, EventConsumerOptions } from './consumer-options';
import { ensureGroup } from './ensure-group';
import {
  decodeEvent,
  decodeSeq,
  entriesOfReadReply,
  parseAutoclaimReply,
  type RawEntry,
} from './stream-reply';

type Connection = Redis | Cluster;

/** The consumer's own connection for a URL or a cluster's seed nodes; a passed connection as it is. */
export function connect(target: EventConsumerOptions['redis']): Connection {
  if (typeof target === 'string') return new Redis(target);
  if (target instanceof Redis || target instanceof Cluster) return target;
  const nodes = target.clusterNodes
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '')
    .map((n) => {
      const i = n.lastIndexOf(':');
      return { host: n.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(n.slice(i + 1)) };
    });
  if (nodes.length === 0 || nodes.some((n) => n.host === '' || !(n.port > 0))) {
    throw new ConsumerError('CONSUMER_OPTIONS_INVALID', 'clusterNodes must be host:port,host:port,…');
  }
  return new Cluster(nodes);
}

/** True when the consumer made the connection (and so closes it on stop). */
export function ownsConnection(target: EventConsumerOptions['redis']): boolean {
  return !(target instanceof Redis || target instanceof Cluster);
}

/** How long the loop waits after a failed Redis command before trying again. */
const RETRY_PAUSE_MS = 1000;

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConsumerError('CONSUMER_OPTIONS_INVALID', `${name} must be a positive integer`);
  }
  return value;
}

function nonEmpty(name: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConsumerError('CONSUMER_OPTIONS_INVALID', `${name} must be a non-empty string`);
  }
  return value;
}

/**
 * Reads CloudEvents from one stream (one partition's share, or the stream itself with one
 * partition) with a consumer group: first this consumer's own pending
 * entries (left by a previous run), then in each round entries idle longer than claimIdleMs
 * (XAUTOCLAIM: crashed consumers, failed handlers) and new entries (XREADGROUP '>', BLOCK).
 * An entry is acknowledged only after its handler resolved, so delivery is at least once.
 */
export function createStreamConsumer(options: EventConsumerOptions): EventConsumer {
  const stream = nonEmpty('stream', options.stream ?? DEFAULT_EVENTS_STREAM);
  const group = nonEmpty('group', options.group);
  const consumer = nonEmpty('consumer', options.consumer);
  const from = options.from ?? '0';
  if (from !== '0' && from !== '$') {
    throw new ConsumerError('CONSUMER_OPTIONS_INVALID', "from must be '0' or '$'");
  }
  const batchSize = positiveInt('batchSize', options.batchSize ?? 50);
  const claimIdleMs = positiveInt('claimIdleMs', options.claimIdleMs ?? 60000);
  // A read blocked longer than claimIdleMs would delay claiming: the round is capped.
  const blockMs = Math.min(positiveInt('blockMs', options.blockMs ?? 5000), claimIdleMs);
  const { handler } = options;

  let running: { main: Connection; blocking: Connection; loop: Promise<void> } | null = null;
  let stopping = false;
  let wake: (() => void) | null = null;
  let stopPromise: Promise<void> | null = null;
  let startPromise: Promise<void> | null = null;

  function report(err: unknown, entryId: string | null): void {
    try {
      options.onError?.(err, entryId);
    } catch {
      // A throwing onError must not stop the loop.
    }
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async function handleEntries(redis: Connection, entries: RawEntry[]): Promise<void> {
    // In stream order, one at a time: a handler may rely on the order of events.
    for (const { entryId, fields } of entries) {
      if (fields === null) {
        // Deleted from the stream (trimmed) while pending: nothing left to hand over.
        await redis.xack(stream, group, entryId);
        continue;
      }
      let event;
      try {
        event = decodeEvent(entryId, fields);
      } catch (err) {
        // Retrying cannot make it valid: acknowledge, so it is not claimed forever.
        await redis.xack(stream, group, entryId);
        report(err, entryId);
        continue;
      }
      try {
        await handler(event, { entryId, seq: decodeSeq(fields) });
      } catch (err) {
        report(
          new ConsumerError('CONSUMER_HANDLER_FAILED', `handler failed for entry ${entryId}`, { cause: err }),
          entryId,
        );
        continue;
      }
      await redis.xack(stream, group, entryId);
    }
  }

  async function run(main: Connection, blocking: Connection): Promise<void> {
    let pendingCursor: string | null = '0';
    let claimCursor = '0-0';
    while (!stopping) {
      try {
        if (pendingCursor !== null) {
          // Own pending entries, once at start: id 0 reads this consumer's history, not new entries.
          const own = entriesOfReadReply(
            await main.xreadgroup(
              'GROUP',
              group,
              consumer,
              'COUNT',
              batchSize,
              'STREAMS',
              stream,
              pendingCursor,
            ),
          );
          const last = own.at(-1);
          pendingCursor = last === undefined ? null : last.entryId;
          await handleEntries(main, own);
          continue;
        }
        const claimed = parseAutoclaimReply(
          await main.xautoclaim(stream, group, consumer, claimIdleMs, claimCursor, 'COUNT', batchSize),
        );
        claimCursor = claimed.next;
        await handleEntries(main, claimed.entries);
        if (stopping) break;
        const fresh = entriesOfReadReply(
          await blocking.xreadgroup(
            'GROUP',
            group,
            consumer,
            'COUNT',
            batchSize,
            'BLOCK',
            blockMs,
            'STREAMS',
            stream,
            '>',
          ),
        );
        await handleEntries(main, fresh);
      } catch (err) {
        // stop() closes the blocking connection: the aborted read is not a failure.
        if (stopping) break;
        report(
          new ConsumerError('CONSUMER_REDIS_FAILED', 'reading the events stream failed', { cause: err }),
          null,
        );
        if (err instanceof Error && err.message.startsWith('NOGROUP')) {
          // The stream or group was deleted under us: create it again on the next round.
          await ensureGroup(main, stream, group, from).catch(() => undefined);
        }
        await pause(RETRY_PAUSE_MS);
      }
    }
  }

  return {
    start() {
      if (running !== null || stopPromise !== null) return Promise.resolve();
      // Two callers of start() share one start, so there is never a second loop.
      startPromise ??= (async () => {
        stopping = false;
        const main = connect(options.redis);
        // BLOCK holds its connection: a connection of its own keeps XACK/XAUTOCLAIM free and lets stop()
        // cut the read short by disconnecting it.
        const blocking = main.duplicate();
        // Failed commands reach the loop as rejections; the event would only repeat them.
        blocking.on('error', () => undefined);
        try {
          await ensureGroup(main, stream, group, from);
        } catch (err) {
          blocking.disconnect();
          if (ownsConnection(options.redis)) main.disconnect();
          throw new ConsumerError('CONSUMER_REDIS_FAILED', `could not create consumer group on ${stream}`, {
            cause: err,
          });
        }
        running = { main, blocking, loop: run(main, blocking) };
      })().finally(() => {
        startPromise = null;
      });
      return startPromise;
    },

    async stop() {
      // A stop during start waits for the start, then stops what it started.
      if (startPromise !== null) await startPromise.catch(() => undefined);
      if (running === null) return;
      // Two callers of stop() wait for the same shutdown.
      stopPromise ??= (async () => {
        if (running === null) return;
        const { main, blocking, loop } = running;
        stopping = true;
        wake?.();
        blocking.disconnect();
        await loop;
        if (ownsConnection(options.redis)) {
          await main.quit().catch(() => main.disconnect());
        }
        running = null;
      })().finally(() => {
        stopPromise = null;
      });
      return stopPromise;
    },
  };
}
